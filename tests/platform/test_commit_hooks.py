"""Jobs and events wait for the outermost commit: a savepoint's release or rollback is not the transaction's.

The dispatch engine runs each rule's action in a savepoint; SQLAlchemy fires after_commit/after_rollback for
savepoints too, so an SMS job was enqueued (and a ticket event published) before its rows were committed,
and a savepoint's rollback dropped what the outer transaction had queued.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Tenant
from hotline.platform.notifier import NOTIFIER, Notifier, queue_event
from hotline.platform.services.notifications import after_commit


def _touch(session) -> None:
    session.execute(select(Tenant.id).limit(1)).all()


def test_a_released_savepoint_does_not_run_what_waits_for_the_commit(db: Database) -> None:
    ran: list[str] = []
    with db.platform() as session:
        _touch(session)
        after_commit(session, lambda: ran.append("outer"))
        with session.begin_nested():
            after_commit(session, lambda: ran.append("inner"))
        assert ran == []  # the savepoint is released, nothing is committed yet
        with session.begin_nested():
            _touch(session)
        assert ran == []
    assert ran == ["outer", "inner"]


def test_a_rolled_back_savepoint_drops_only_its_own_work(db: Database) -> None:
    ran: list[str] = []
    with db.platform() as session:
        _touch(session)
        after_commit(session, lambda: ran.append("outer"))
        savepoint = session.begin_nested()
        after_commit(session, lambda: ran.append("inner"))
        savepoint.rollback()
        after_commit(session, lambda: ran.append("after"))
    assert ran == ["outer", "after"]


def test_nothing_runs_when_the_outer_transaction_rolls_back(db: Database) -> None:
    ran: list[str] = []
    with pytest.raises(RuntimeError), db.platform() as session:
        after_commit(session, lambda: ran.append("outer"))
        with session.begin_nested():
            after_commit(session, lambda: ran.append("inner"))
        raise RuntimeError("the request failed")
    assert ran == []


def test_events_are_published_after_the_outer_commit_not_the_savepoint(db: Database) -> None:
    seen: list[str] = []
    notifier = Notifier()
    notifier.subscribe(lambda payload: seen.append(payload["type"]))
    with db.platform() as session:
        session.info[NOTIFIER] = notifier
        with session.begin_nested():
            queue_event(session, {"type": "ticket.created"})
        assert seen == []
        failed = session.begin_nested()
        queue_event(session, {"type": "ticket.lost"})
        failed.rollback()
    assert seen == ["ticket.created"]
