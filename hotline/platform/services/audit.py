"""Writes the audit log; every lifecycle step of a document and every platform change goes through here."""

from __future__ import annotations

from typing import Any

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


def record_independently(session: Session, actor: str, action: str, object_type: str, object_id: str,
                         detail: dict[str, Any] | None = None) -> None:
    """Records an entry in its own transaction, for steps whose own transaction rolls back (a refused
    publish): the refusal must stay in the log although nothing else of the attempt does."""
    factory = sessionmaker(bind=session.get_bind())
    with factory() as own, own.begin():
        own.add(AuditEntry(tenant_id=tenant_of(session), actor=actor, action=action, object_type=object_type,
                           object_id=object_id, detail=detail or {}))
