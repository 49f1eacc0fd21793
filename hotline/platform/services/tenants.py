"""Tenants and their dialled numbers (DIDs): platform-level operations."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import phones
from ..models import DID, Tenant
from . import audit
from .errors import Duplicate, NotFound

SLUG = re.compile(r"[a-z][a-z0-9_-]{1,63}")


def create_tenant(session: Session, slug: str, title: str, actor: str, settings: dict[str, Any] | None = None,
                  template: str | None = None) -> Tenant:
    if not SLUG.fullmatch(slug or ""):
        raise ValueError(f"tenant name {slug!r} must be 2–64 lower-case letters, digits, '_' or '-', "
                         "starting with a letter")
    if session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise Duplicate(f"a tenant named {slug!r} already exists")
    tenant = Tenant(slug=slug, title=title or slug, settings=settings or {}, template=template)
    session.add(tenant)
    session.flush()
    audit.record(session, actor, "tenant.create", "tenant", slug, {"template": template}, tenant_id=tenant.id)
    return tenant


def get_tenant(session: Session, slug: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound(f"tenant {slug!r} not found")
    return tenant


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.slug)))


def assign_did(session: Session, tenant: Tenant, number: str, actor: str, ivr: str = "main",
               label: str = "") -> DID:
    """Routes a dialled number to a tenant. A number belongs to at most one tenant on the platform."""
    number = phones.normalize(number)
    owner = session.scalar(select(DID).where(DID.number == number))
    if owner is not None:
        # the operator's message names the tenant, not its row id (QA of issue 11, item 12)
        holder = session.get(Tenant, owner.tenant_id)
        who = f"{holder.title} ({holder.slug})" if holder is not None else f"tenant id {owner.tenant_id}"
        if holder is not None and holder.id == tenant.id:
            raise Duplicate(f"DID {number} is already assigned to this tenant, {who}")
        raise Duplicate(f"DID {number} is already assigned to another tenant: {who}")
    did = DID(tenant_id=tenant.id, number=number, ivr=ivr, label=label)
    session.add(did)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Duplicate(f"DID {number} is already assigned") from None
    audit.record(session, actor, "did.assign", "did", number, {"ivr": ivr}, tenant_id=tenant.id)
    return did


def resolve_did(session: Session, number: str) -> DID:
    """The runtime's first question on every call: whose number was dialled?"""
    did = session.scalar(select(DID).where(DID.number == phones.normalize(number)))
    if did is None:
        raise NotFound(f"DID {number} is not assigned to any tenant")
    return did
