"""Writes the audit log; every lifecycle step of a document and every platform change goes through here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from ..models import AuditEntry
from ..scoping import tenant_of


def record(session: Session, actor: str, action: str, object_type: str, object_id: str,
           detail: dict[str, Any] | None = None, tenant_id: int | None = None) -> AuditEntry:
    """Adds an audit entry in the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditEntry(
        tenant_id=tenant_id if tenant_id is not None else tenant_of(session),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
    )
    session.add(entry)
    return entry


_PENDING = "hotline.audit_kept_on_rollback"


def record_kept_on_rollback(session: Session, actor: str, action: str, object_type: str, object_id: str,
                            detail: dict[str, Any] | None = None) -> None:
    """Records a step whose own transaction is about to roll back (a refused publish).

    The entry waits on the session: it joins the transaction if that commits after all, and is written
    in a transaction of its own right after a rollback. Writing it *during* the failing transaction from a
    second connection would wait on that transaction's own write lock on SQLite.
    """
    session.info.setdefault(_PENDING, []).append(dict(
        tenant_id=tenant_of(session), actor=actor, action=action, object_type=object_type,
        object_id=object_id, detail=detail or {}))


@event.listens_for(Session, "before_commit")
def _join_commit(session: Session) -> None:
    for values in session.info.pop(_PENDING, []):
        session.add(AuditEntry(**values))


@event.listens_for(Session, "after_rollback")
def _write_after_rollback(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        with sessionmaker(bind=session.get_bind())() as own, own.begin():
            own.add_all(AuditEntry(**values) for values in pending)
