"""The document lifecycle: drafts, optimistic concurrency, publish, versions, diff, rollback, audit."""

from __future__ import annotations

import copy
import threading
import time

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, Queue
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.errors import Conflict, Duplicate, InvalidDocument, NotFound

from .. import factories

FORM = {
    "title": "取件",
    "schema": {"type": "object", "properties": {
        "address": {"type": "string", "title": "取件地址", "minLength": 2},
        "phone": {"type": "string", "title": "电话"},
    }, "required": ["address"]},
    "statuses": [{"name": "pending", "label": "待处理", "color": "#000000", "initial": True},
                 {"name": "done", "label": "已完成", "color": "#2e7d32", "final": True}],
    "transitions": [{"from": "pending", "to": "done"}],
}
IVR = {
    "start": "menu",
    "fallback": "agent",
    "nodes": {
        "menu": {"type": "menu", "prompt": {"text": "寄件请按1，人工服务请按0"},
                 "options": {"1": "pickup", "0": "agent"}, "fallback": "agent"},
        "pickup": {"type": "ticket", "form": "pickup", "fields": {"phone": "{{call.caller}}"}, "next": "bye"},
        "agent": {"type": "queue", "queue": "general", "overflow": "bye"},
        "bye": {"type": "hangup", "prompt": {"text": "再见"}},
    },
}


@pytest.fixture
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        tenant = factories.tenant(session)
        session.add(Queue(tenant_id=tenant.id, name="general", label="综合"))
        return tenant.id


def service(session) -> DocumentService:
    return DocumentService(session, actor="analyst1")


def test_a_draft_is_created_and_duplicate_names_are_refused(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        doc = service(session).create("form", "pickup", FORM)
        assert (doc.draft_revision, doc.published_version) == (1, None)
    with pytest.raises(Duplicate, match="already exists"), db.tenant(tenant_id) as session:
        service(session).create("form", "pickup", FORM)


@pytest.mark.parametrize(("kind", "name", "body", "message"), [
    ("ivr", "bad name!", {}, "document name"),
    ("nonsense", "x", {}, "unknown document kind"),
    ("ivr", "x", [], "must be a JSON object"),
])
def test_bad_create_arguments_get_clear_errors(db: Database, tenant_id: int, kind, name, body, message) -> None:
    with pytest.raises((InvalidDocument, NotFound)) as caught, db.tenant(tenant_id) as session:
        service(session).create(kind, name, body)
    assert message in str(caught.value)


def test_a_stale_draft_save_is_refused_and_keeps_the_newer_draft(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        service(session).create("form", "pickup", FORM)
    mine, theirs = copy.deepcopy(FORM), copy.deepcopy(FORM)
    mine["title"], theirs["title"] = "mine", "theirs"
    with db.tenant(tenant_id) as session:
        assert service(session).save_draft("form", "pickup", theirs, base_revision=1).draft_revision == 2
    with pytest.raises(Conflict) as caught, db.tenant(tenant_id) as session:
        service(session).save_draft("form", "pickup", mine, base_revision=1)
    assert caught.value.current_revision == 2
    with db.tenant(tenant_id) as session:
        assert service(session).get("form", "pickup").draft["title"] == "theirs"


@pytest.mark.postgres
def test_concurrent_saves_from_one_revision_let_exactly_one_win(postgres_database: Database) -> None:
    db = postgres_database
    with db.platform() as session:
        tenant_id = factories.tenant(session).id
    with db.tenant(tenant_id) as session:
        service(session).create("form", "pickup", FORM)
    outcomes: list[str] = []

    def save(title: str, hold: threading.Event | None, started: threading.Event) -> None:
        body = dict(FORM, title=title)
        try:
            with db.tenant(tenant_id) as session:
                if hold is None:
                    started.set()
                service(session).save_draft("form", "pickup", body, base_revision=1)
                if hold is not None:
                    started.set()  # its UPDATE holds the row lock until the transaction ends
                    hold.wait(5)
            outcomes.append(title)
        except Conflict:
            outcomes.append("conflict")

    hold, first_started, second_started = threading.Event(), threading.Event(), threading.Event()
    first = threading.Thread(target=save, args=("first", hold, first_started))
    first.start()
    first_started.wait(5)
    second = threading.Thread(target=save, args=("second", None, second_started))
    second.start()  # its UPDATE waits on the first transaction's row lock
    second_started.wait(5)
    time.sleep(0.2)
    hold.set()
    first.join(10)
    second.join(10)
    assert sorted(outcomes) == ["conflict", "first"]


def test_publish_of_an_invalid_draft_is_refused_with_every_finding(db: Database, tenant_id: int) -> None:
    broken = copy.deepcopy(IVR)
    broken["nodes"]["menu"]["options"]["2"] = "nowhere"
    with db.tenant(tenant_id) as session:
        service(session).create("ivr", "main", broken)  # the form "pickup" is not published either
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        service(session).publish("ivr", "main", note="first")
    found = {(f.pointer, f.code) for f in caught.value.findings}
    assert ("/nodes/menu/options/2", "unknown-target") in found
    assert ("/nodes/pickup/form", "unknown-form") in found
    with db.tenant(tenant_id) as session:
        assert service(session).get("ivr", "main").published_version is None
        assert service(session).versions("ivr", "main") == []
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == "main")).all()
        assert "document.publish_refused" in actions


def test_publish_makes_an_immutable_numbered_version(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        s = service(session)
        s.create("form", "pickup", FORM)
        s.publish("form", "pickup", note="v1")
        s.create("ivr", "main", IVR)
        v1 = s.publish("ivr", "main", note="first version")
        assert (v1.number, v1.author, v1.note) == (1, "analyst1", "first version")
        assert v1.published_at is not None
    changed = copy.deepcopy(IVR)
    changed["nodes"]["bye"]["prompt"]["text"] = "感谢来电，再见"
    with db.tenant(tenant_id) as session:
        service(session).save_draft("ivr", "main", changed, base_revision=1)
    with db.tenant(tenant_id) as session:
        s = service(session)
        assert s.published("ivr", "main").body == IVR
        assert s.publish("ivr", "main", note="second").number == 2
        assert [v.number for v in s.versions("ivr", "main")] == [1, 2]
        (change,) = s.diff("ivr", "main", 1, 2)
        assert (change.pointer, change.old, change.new) == ("/nodes/bye/prompt/text", "再见", "感谢来电，再见")


def test_publish_refuses_a_draft_changed_since_the_reviewed_revision(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        service(session).create("form", "pickup", FORM)
        service(session).save_draft("form", "pickup", dict(FORM, title="改"), base_revision=1)
    with pytest.raises(Conflict), db.tenant(tenant_id) as session:
        service(session).publish("form", "pickup", base_revision=1)


def test_rollback_publishes_exactly_the_older_body(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        s = service(session)
        s.create("form", "pickup", FORM)
        s.publish("form", "pickup", note="v1")
        newer = copy.deepcopy(FORM)
        newer["schema"]["properties"]["weight"] = {"type": "number", "title": "重量", "minimum": 0}
        s.save_draft("form", "pickup", newer, base_revision=1)
        s.publish("form", "pickup", note="v2")
    with db.tenant(tenant_id) as session:
        v3 = service(session).rollback("form", "pickup", 1)
        assert (v3.number, v3.rollback_of) == (3, 1)
    with db.tenant(tenant_id) as session:
        s = service(session)
        assert s.published("form", "pickup").body == FORM
        assert s.get("form", "pickup").draft == FORM
        assert s.version("form", "pickup", 2).body == newer
        assert s.diff("form", "pickup", 1, 3) == []
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == "pickup")
                                  .order_by(AuditEntry.id)).all()
        assert actions == ["document.create", "document.publish", "document.save_draft", "document.publish",
                           "document.rollback"]


def test_unknown_versions_and_documents_are_not_found(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        s = service(session)
        with pytest.raises(NotFound):
            s.get("ivr", "missing")
        s.create("form", "pickup", FORM)
        with pytest.raises(NotFound, match="no version 7"):
            s.version("form", "pickup", 7)
        with pytest.raises(NotFound, match="never been published"):
            s.published("form", "pickup")


def test_documents_of_another_tenant_are_not_found(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        service(session).create("form", "secret", FORM)
    with db.platform() as session:
        other = factories.tenant(session).id
    with db.tenant(other) as session:
        with pytest.raises(NotFound):
            service(session).get("form", "secret")
        assert service(session).list() == []
        service(session).create("form", "secret", FORM)  # the same name is free in another tenant


def test_an_edit_published_in_the_same_session_publishes_the_edited_body(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        s = service(session)
        s.create("form", "pickup", FORM)
        s.publish("form", "pickup", note="v1")
        doc = s.create("ivr", "main", IVR)  # held by the session with its draft loaded, as a script would
        changed = copy.deepcopy(IVR)
        changed["nodes"]["bye"]["prompt"]["text"] = "同一会话中修改"
        s.save_draft("ivr", "main", changed, base_revision=doc.draft_revision)
        version = s.publish("ivr", "main", note="same session")
        assert version.body["nodes"]["bye"]["prompt"]["text"] == "同一会话中修改"
