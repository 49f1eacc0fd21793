"""Work that must wait for the *outermost* transaction: jobs to enqueue, events to publish.

SQLAlchemy dispatches `after_commit` when a savepoint (`begin_nested`) is released and `after_rollback` when
one is rolled back, not only for the session's real transaction (orm/session.py, SessionTransaction.commit:
"if self._parent is None or self.nested: ... dispatch.after_commit"). The dispatch engine runs every rule's
action in a savepoint, so hooks keyed on those events alone enqueued SMS jobs and published ticket events
for rows that were not committed yet (a worker could read a ticket that did not exist, or the outer
transaction could still roll back), and a savepoint's rollback dropped everything the outer transaction had
queued. Here each pending item belongs to the transaction that was innermost when it was queued: a released
savepoint hands its items to its parent, a rolled-back one drops only its own, and the outermost commit
runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_PENDING = "hotline.commit_hooks"

Runner = Callable[[Session, list[Any]], None]
_RUNNERS: dict[str, Runner] = {}


def register(kind: str, runner: Runner) -> None:
    """Declares how the items of one kind run once the outermost transaction has committed."""
    _RUNNERS[kind] = runner


def defer(session: Session, kind: str, item: Any) -> None:
    """Holds `item` until the session's outermost transaction commits; dropped if its scope rolls back."""
    scope = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((scope, kind, item))


def _current(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    ending = _current(session)
    if ending is not None and ending.nested:
        parent = ending.parent
        session.info[_PENDING] = [(parent if scope is ending else scope, kind, item)
                                  for scope, kind, item in pending]
        return
    session.info.pop(_PENDING, None)
    by_kind: dict[str, list[Any]] = {}
    for _scope, kind, item in pending:
        by_kind.setdefault(kind, []).append(item)
    for kind, items in by_kind.items():
        _RUNNERS[kind](session, items)


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    ending = _current(session)
    if ending is not None and ending.nested:
        session.info[_PENDING] = [entry for entry in pending if entry[0] is not ending]
        return
    session.info.pop(_PENDING, None)
