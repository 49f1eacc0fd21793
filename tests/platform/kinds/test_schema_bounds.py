"""Everything a tenant types is bounded by the schema (issue 16 #4, product rule "bound what a tenant types"):
every string has a maxLength and every array a maxItems, so an over-long value is a worded finding on its field
instead of a database error or a layout an analyst cannot read. Strings whose pattern or format already bounds
them are listed below with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from hotline.platform.kinds import KINDS
from hotline.platform.kinds.validation import validate_schema
from hotline.platform.kinds.wording import in_words

#: Strings bounded by an anchored pattern of bounded length (path inside the schema file → why).
PATTERN_BOUNDED = {
    "common/$defs/name": "^[A-Za-z_][A-Za-z0-9_-]{0,63}$: at most 64 characters",
    "ivr/$defs/variable": "^[A-Za-z_][A-Za-z0-9_]{0,63}$: at most 64 characters",
    "common/$defs/phone": "^\\+?[0-9]{3,20}$: at most 21 characters",
    "common/$defs/hhmm": "HH:MM: 5 characters",
    "ivr/$defs/callback/properties/confirm_digit": "one key",
    "outbound/$defs/question/properties/options/items/properties/digit": "one key",
    "form/properties/statuses/items/properties/color": "#RRGGBB: 7 characters",
}


def _schemas() -> Iterator[tuple[str, Any]]:
    files = resources.files("hotline.platform.kinds")
    yield "common", json.loads((files / "common.schema.json").read_text(encoding="utf-8"))
    for kind in KINDS:
        yield kind, json.loads((files / kind / "schema.json").read_text(encoding="utf-8"))


def _unbounded(node: Any, path: str) -> Iterator[str]:
    if isinstance(node, dict):
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        if "string" in types and not {"maxLength", "enum", "const"} & node.keys() and path not in PATTERN_BOUNDED:
            yield f"string {path}"
        if "array" in types and "maxItems" not in node:
            yield f"array {path}"
        for key, value in node.items():
            yield from _unbounded(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _unbounded(value, f"{path}/{i}")


def test_every_string_and_list_a_tenant_types_is_bounded() -> None:
    found = [where for name, schema in _schemas() for where in _unbounded(schema, name)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("action", [
    {"type": "assign", "target": "group", "name": "g" * 65},
    {"type": "escalate", "target": "department", "name": "d" * 65, "level": 2},
])
def test_an_over_long_assign_or_escalate_name_is_a_worded_finding(action: dict[str, Any], lang: str) -> None:
    """`name` is an agent's username or a ticket group (both 64 characters in the database, docs/dispatch.md)."""
    body = {"title": "t", "rules": [{"name": "r", "event": "ticket.created", "actions": [action]}]}
    findings = validate_schema("dispatch", body)
    assert [f.pointer for f in findings] == ["/rules/0/actions/0/name"]
    (worded,) = in_words(findings, "dispatch", body, lang)
    assert "64" in worded.message and "65" in worded.message, worded.message
    assert "'" not in worded.message, worded.message
    ok = {**action, "name": "x" * 64}
    assert validate_schema("dispatch", {**body, "rules": [{**body["rules"][0], "actions": [ok]}]}) == []


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_over_long_list_is_a_worded_finding_with_both_counts(lang: str) -> None:
    body = {"title": "t", "rules": [{"name": "r", "event": "ticket.created",
                                     "actions": [{"type": "assign", "target": "group", "name": "g"}] * 51}]}
    findings = validate_schema("dispatch", body)
    assert [f.pointer for f in findings] == ["/rules/0/actions"]
    assert "{'type'" not in findings[0].message  # the counts, never the list itself
    (worded,) = in_words(findings, "dispatch", body, lang)
    assert "50" in worded.message and "51" in worded.message and worded.message != findings[0].message
