"""Builds the lint's view of a tenant from the database: the names its documents may refer to.

References resolve against *published* documents: the runtime only ever runs published versions, so an
IVR must not be published while the form it opens exists only as a draft.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kinds.context import FormInfo, LintContext, field_options
from ..models import Contact, DataTable, Directory, Document, DocumentVersion, Prompt, Queue, Skill, Tenant
from ..outbound.prelaunch import field_keys
from ..scoping import tenant_of


def form_info(body: dict[str, Any]) -> FormInfo:
    """What other documents may reference in a form body."""
    return FormInfo(
        fields=frozenset(body.get("schema", {}).get("properties", {})),
        statuses=frozenset(s["name"] for s in body.get("statuses", [])),
        options=field_options(body.get("schema", {}).get("properties", {})),
    )


def context_from_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "allowed_transfer_numbers": list(settings.get("transfer_allow_list", [])),
        "has_calendar": bool(settings.get("calendar")),
    }


def build(session: Session) -> LintContext:
    """The lint context of the session's tenant."""
    tenant_id = tenant_of(session)
    if tenant_id is None:
        raise ValueError("the lint context needs a tenant-scoped session")
    tenant = session.get(Tenant, tenant_id)
    published = session.execute(
        select(Document.kind, Document.name, DocumentVersion.body)
        .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
              & (DocumentVersion.number == Document.published_version))
        .where(Document.kind.in_(("form", "outbound")))
    ).all()
    return LintContext(
        forms={name: form_info(body) for kind, name, body in published if kind == "form"},
        scripts={name for kind, name, _ in published if kind == "outbound"},
        queues=set(session.scalars(select(Queue.name))),
        skills=set(session.scalars(select(Skill.name))),
        directories=set(session.scalars(select(Directory.name))),
        prompts=set(session.scalars(select(Prompt.name))),
        tables=set(session.scalars(select(DataTable.name))),
        # the union of the tenant's lists' custom columns: what {{contact.x}} may read (QA 13f #1)
        contact_fields=field_keys(session, Contact.tenant_id == tenant_id),
        **context_from_settings(tenant.settings if tenant else {}),
    )
