"""Tenant scoping in one place.

A session opened for a tenant carries the tenant id in `session.info`; two session events then make
every ORM query (SELECT, bulk UPDATE/DELETE, lazy loads, Session.get) see only that tenant's rows, and
refuse to flush a row of another tenant. Services never write their own tenant filters, so one cannot be
forgotten (the cross-tenant test in tests/platform/test_scoping.py tries every tenant-scoped table).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from .models.base import TenantScoped

TENANT_KEY = "tenant_id"


class CrossTenantError(PermissionError):
    """An attempt to write a row of another tenant through a tenant's session."""


def scope(session: Session, tenant_id: int) -> Session:
    """Binds a session to a tenant. Every later query through it is scoped."""
    if session.info.get(TENANT_KEY) not in (None, tenant_id):
        raise CrossTenantError("a session is bound to one tenant for its whole life")
    session.info[TENANT_KEY] = tenant_id
    return session


def tenant_of(session: Session) -> int | None:
    return session.info.get(TENANT_KEY)


@event.listens_for(Session, "do_orm_execute")
def _scope_queries(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None or not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load:
        return
    state.statement = state.statement.options(*(
        with_loader_criteria(owned, lambda cls: cls.tenant_id == tenant_id, include_aliases=True,
                             track_closure_variables=True)
        for owned in _owned_roots()
    ))


def _owned_roots() -> tuple[type, ...]:
    """TenantScoped (a mixin with the column) plus each tenant-owned model that declares its own column."""
    from .models import AuditEntry

    return (TenantScoped, AuditEntry)


@event.listens_for(Session, "before_flush")
def _guard_writes(session: Session, _context: Any, _instances: Any) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    if tenant_id is None:
        return
    for obj in session.new:
        if isinstance(obj, TenantScoped):
            if obj.tenant_id is None:
                obj.tenant_id = tenant_id
            elif obj.tenant_id != tenant_id:
                raise CrossTenantError(
                    f"{type(obj).__name__} of tenant {obj.tenant_id} cannot be written in tenant {tenant_id}"
                )
    for obj in session.dirty:
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            raise CrossTenantError(f"{type(obj).__name__} cannot move to another tenant")
