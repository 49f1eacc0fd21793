"""Rules never crash a run: a condition on a missing field is false; a rule naming something gone since
publish is skipped with a logged warning; a malformed condition skips its rule, the later rules still run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.services import templates, tickets
from hotline.platform.services.documents import DocumentService

Unique = Callable[[str], str]


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("rob"), None, "test").id


def _publish_raw(db: Database, tenant_id: int, name: str, *rules: dict[str, Any]) -> None:
    """Publishes, then swaps the published body: what a version published before a field was renamed looks like."""
    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", name, {"rules": [{"name": "x", "event": "ticket.updated", "actions": [
            {"type": "escalate", "target": "group", "name": "x"}]}]})
        service.publish("dispatch", name)
        service.published("dispatch", name).body = {"rules": list(rules)}


def _run(db: Database, tenant_id: int) -> tuple[str, list]:
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, "tracking_query", {"waybill": "YT1234567890", "phone": "13800138000",
                                                            "question_type": "no_update"}, "agent1").number
    with db.tenant(tenant_id) as session:
        return number, run_rules(session, "ticket.updated", {"ticket": tickets.get(session, number)})


@pytest.mark.parametrize("op, value", [("eq", "x"), ("gt", 1), ("lt", 1), ("contains", "x"), ("starts_with", "x"),
                                       ("matches", ".*"), ("in", ["x"]), ("not_empty", None), ("exists", None)])
def test_a_condition_on_a_missing_field_is_false(db: Database, tenant_id: int, op: str, value: Any) -> None:
    when = {"field": "ticket.no_such_field", "op": op}
    if value is not None:
        when["value"] = value
    _publish_raw(db, tenant_id, "a_missing", {"name": "never", "event": "ticket.updated", "when": when,
                                              "actions": [{"type": "escalate", "target": "group", "name": "g"}]})
    assert _run(db, tenant_id)[1] == []


def test_a_field_deleted_after_publish_skips_the_rule_with_a_warning_and_later_rules_run(
        db: Database, tenant_id: int, caplog: pytest.LogCaptureFixture) -> None:
    _publish_raw(db, tenant_id, "a_gone",
                 {"name": "renamed", "event": "ticket.updated",
                  "actions": [{"type": "escalate", "target": "group", "name": "g"},
                              {"type": "set_fields", "fields": {"old_result": "x"}}]},
                 {"name": "bad_regex", "event": "ticket.updated",
                  "when": {"field": "ticket.waybill", "op": "matches", "value": "("},
                  "actions": [{"type": "escalate", "target": "group", "name": "g"}]},
                 {"name": "still_runs", "event": "ticket.updated",
                  "actions": [{"type": "set_fields", "fields": {"result": "ok"}}]})
    with caplog.at_level("WARNING", logger="hotline.dispatch"):
        number, firings = _run(db, tenant_id)
    assert [(f.rule, f.outcome) for f in firings] == [("renamed", "skipped"), ("bad_regex", "skipped"),
                                                      ("still_runs", "fired")]
    assert "field 'old_result' is not a field of form tracking_query" in caplog.text
    assert "condition could not be evaluated" in caplog.text
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert ticket.data["result"] == "ok" and "old_result" not in ticket.data
        assert not [e for e in tickets.history(session, number) if e.action == "escalate"]  # nothing of the rule ran
