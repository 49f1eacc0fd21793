"""What the agent desk reads and does around tickets, customers and calls (services/tickets.py does the edits).

* agents: a user's extension — the id the ACD and the switch know the agent by — and the tenants and
  skills the agent serves (Membership with the agent role, AgentSkill levels);
* screen pop: the customers of a calling number, each with the full service history, statuses in the
  colours their own form version gives them;
* ticket ↔ call links: a ticket made during a call is linked to the call's uuid at once and gets its
  `call_id` once the call record exists (the runtime writes it when the call ends).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import phones as phone_numbers
from ..models import (
    AgentExtension,
    AgentSkill,
    CallRecord,
    Customer,
    Document,
    DocumentVersion,
    Membership,
    Role,
    Skill,
    Tenant,
    Ticket,
    TicketCall,
    TicketSearchKey,
    User,
)
from ..scoping import tenant_of
from ..templating import render
from ..ticket_forms import field_values
from . import tickets
from .documents import DocumentService
from .errors import Duplicate, NotFound

#: How much service history a screen pop shows (newest first); the records pages list the rest.
HISTORY_LIMIT = 100
UNKNOWN_STATUS = {"label": "?", "color": "#757575", "final": False}


# -- agents -----------------------------------------------------------------------------------------------------


def extension_of(session: Session, user_id: int, *, create: bool = True) -> str | None:
    """The user's extension; with `create`, the user's id as text is assigned on first use.

    Extensions are platform-wide (a platform session): a shared agent has one presence for all its tenants.
    An auto-assigned number already taken by someone else's hand-set extension is refused (Duplicate) with
    what to do, rather than silently sharing an agent between two people.
    """
    found = session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == user_id))
    if found is not None or not create:
        return found
    wanted = str(user_id)
    if session.scalar(select(AgentExtension.id).where(AgentExtension.extension == wanted)) is not None:
        raise Duplicate(f"extension {wanted} already belongs to another agent; give user {user_id} an extension "
                        "of its own (agent_extension)")
    try:
        with session.begin_nested():
            session.add(AgentExtension(user_id=user_id, extension=wanted))
    except IntegrityError:  # a concurrent first use: the other request's row is as good
        pass
    return session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == user_id))


def set_extension(session: Session, user_id: int, extension: str) -> AgentExtension:
    """Gives a user a chosen extension (e.g. the switch's 1001); Duplicate when another agent has it."""
    extension = extension.strip()
    if not extension or ":" in extension or len(extension) > 32:
        raise ValueError(f"extension {extension!r}: 1 to 32 characters, no ':'")
    taken = session.scalar(select(AgentExtension).where(AgentExtension.extension == extension))
    if taken is not None and taken.user_id != user_id:
        raise Duplicate(f"extension {extension} already belongs to user {taken.user_id}")
    row = session.scalar(select(AgentExtension).where(AgentExtension.user_id == user_id))
    if row is None:
        row = AgentExtension(user_id=user_id, extension=extension)
        session.add(row)
    row.extension = extension
    session.flush()
    return row


def user_of_extension(session: Session, extension: str) -> int | None:
    """The user behind an ACD agent id (for CallRecord.agent_id); None for an agent with no user.

    In a tenant session only a member of that tenant counts: a call is never attributed to a user of another
    tenant (a simulated agent's id may be any user's extension).
    """
    query = select(AgentExtension.user_id).where(AgentExtension.extension == extension)
    tenant_id = tenant_of(session)
    if tenant_id is not None:
        query = query.where(AgentExtension.user_id.in_(
            select(Membership.user_id).where(Membership.tenant_id == tenant_id)))
    return session.scalar(query)


@dataclass(frozen=True)
class ServedTenant:
    tenant_id: int
    slug: str
    title: str
    roles: frozenset[str]
    skills: dict[str, int] = field(default_factory=dict)
    #: skill name → its label (the desk shows 寄件业务, not pickup)
    skill_labels: dict[str, str] = field(default_factory=dict)

    @property
    def takes_calls(self) -> bool:
        return Role.AGENT.value in self.roles


def served_tenants(session: Session, user_id: int) -> list[ServedTenant]:
    """Every active tenant the user holds a role in, with its roles and the user's skills there (platform
    session: one agent, several tenants)."""
    roles: dict[int, set[str]] = {}
    for membership in session.scalars(select(Membership).where(Membership.user_id == user_id)):
        roles.setdefault(membership.tenant_id, set()).add(Role(membership.role).value)
    skills: dict[int, dict[str, int]] = {}
    for row in session.scalars(select(AgentSkill).where(AgentSkill.user_id == user_id)):
        skills.setdefault(row.tenant_id, {})[row.skill] = row.level
    labels: dict[int, dict[str, str]] = {}
    if skills:
        for tenant, name, label in session.execute(select(Skill.tenant_id, Skill.name, Skill.label)
                                                   .where(Skill.tenant_id.in_(skills))):
            labels.setdefault(tenant, {})[name] = label or name
    found = session.scalars(select(Tenant).where(Tenant.id.in_(roles), Tenant.active.is_(True)).order_by(Tenant.slug))
    return [ServedTenant(t.id, t.slug, t.title, frozenset(roles[t.id]), skills.get(t.id, {}), labels.get(t.id, {}))
            for t in found]


def acd_skills(served: Iterable[ServedTenant]) -> dict[str, dict[str, int]]:
    """What Presence.login takes: {tenant id as text: {skill: level}} for the tenants the agent takes calls in."""
    return {str(t.tenant_id): dict(t.skills) for t in served if t.takes_calls}


def user_display(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name or u.username for u in session.scalars(select(User).where(User.id.in_(ids)))}


# -- forms and statuses -----------------------------------------------------------------------------------------


#: Published form versions never change, so their bodies are kept per process:
#: (database, tenant, form, version) → body.
_PUBLISHED_BODIES: OrderedDict[tuple[str, int, str, int], dict[str, Any]] = OrderedDict()
_BODIES_KEPT = 1024
_BODIES_LOCK = threading.Lock()


class FormBodies:
    """The bodies of the form versions tickets were made with (a screen pop lists tickets of several forms).

    A version is read from the database once per process: published versions are immutable rows.
    """

    def __init__(self, session: Session, locale: str | None = None) -> None:
        #: The reader's language, for yes/no values in fields_text (None: the product's default).
        self.locale = locale
        self._docs = DocumentService(session, tickets.SYSTEM)
        # The database is part of the key: one process may serve several (tests do), with the same tenant ids.
        self._where = (str(session.get_bind().url), tenant_of(session) or 0)

    def body(self, name: str, version: int) -> dict[str, Any] | None:
        key = (*self._where, name, version)
        with _BODIES_LOCK:
            found = _PUBLISHED_BODIES.get(key)
        if found is not None:
            return found
        try:
            found = self._docs.version("form", name, version).body
        except NotFound:
            return None
        with _BODIES_LOCK:
            _PUBLISHED_BODIES[key] = found
            while len(_PUBLISHED_BODIES) > _BODIES_KEPT:
                _PUBLISHED_BODIES.popitem(last=False)
        return found

    def status(self, ticket: Ticket) -> dict[str, Any]:
        """{name, label, color, final} of the ticket's status in its own form version."""
        body = self.body(ticket.form_name, ticket.form_version) or {}
        for status in body.get("statuses", []):
            if status["name"] == ticket.status:
                return {"name": status["name"], "label": status["label"], "color": status["color"],
                        "final": bool(status.get("final"))}
        return {"name": ticket.status, **UNKNOWN_STATUS}

    def summary(self, ticket: Ticket) -> str:
        body = self.body(ticket.form_name, ticket.form_version) or {}
        source = body.get("summary")
        data = ticket.data or {}
        if source:
            try:
                text = " ".join(render(source, {**data, "ticket": {"number": ticket.number}}).split())
                if text:
                    return text
            except Exception:  # a tenant template (TemplateError or worse) must never break the pop
                pass
        return " ".join(str(v) for v in list(data.values())[:3])

    def fields_text(self, ticket: Ticket) -> str:
        """"Label: value" of each filled field, option titles for codes: the pop's hover text (plain text,
        escaped by the template like any other)."""
        body = self.body(ticket.form_name, ticket.form_version) or {}
        return "; ".join(f"{label}: {value}" for label, value in field_values(body, ticket.data or {}, self.locale))

    def title(self, ticket: Ticket) -> str:
        body = self.body(ticket.form_name, ticket.form_version) or {}
        return str(body.get("title") or ticket.form_name)


def published_forms(session: Session) -> list[dict[str, Any]]:
    """The tenant's published forms: [{name, title, version}] — what an agent can open a ticket of (one query)."""
    rows = session.execute(
        select(Document.name, Document.published_version, DocumentVersion.body)
        .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
              & (DocumentVersion.number == Document.published_version))
        .where(Document.kind == "form").order_by(Document.name))
    return [{"name": name, "title": (body or {}).get("title", name), "version": version}
            for name, version, body in rows]


def ticket_row(bodies: FormBodies, ticket: Ticket) -> dict[str, Any]:
    """A ticket as the pop and the lists show it: number, form, status with colour, summary, times."""
    return {"number": ticket.number, "form": ticket.form_name, "form_title": bodies.title(ticket),
            "status": bodies.status(ticket), "summary": bodies.summary(ticket), "data": ticket.data or {},
            "fields_text": bodies.fields_text(ticket),
            "created_at": _iso(ticket.created_at), "created_by": ticket.created_by,
            "resolution_due": _iso(ticket.resolution_due), "resolved_at": _iso(ticket.resolved_at)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- screen pop -------------------------------------------------------------------------------------------------


def customer_card(customer: Customer) -> dict[str, Any]:
    return {"id": customer.id, "name": customer.name, "phones": [p.phone for p in customer.phones],
            "address": customer.address, "vip": customer.vip, "flags": list(customer.flags or []),
            "monthly_settlement": "monthly_settlement" in (customer.flags or []), "note": customer.note,
            "data": dict(customer.data or {})}


def service_history(session: Session, customer_id: int | None, phone: str | None,
                    limit: int = HISTORY_LIMIT, locale: str | None = None) -> list[dict[str, Any]]:
    """The customer's tickets, newest first: linked to the customer, or (made before the customer existed,
    e.g. by the IVR) carrying the number in a searchable phone field."""
    conditions = []
    if customer_id is not None:
        conditions.append(Ticket.customer_id == customer_id)
    if phone:
        conditions.append(Ticket.id.in_(select(TicketSearchKey.ticket_id).where(
            TicketSearchKey.field == "phone", TicketSearchKey.value == phone)))
    if not conditions:
        return []
    bodies = FormBodies(session, locale)
    rows = session.scalars(select(Ticket).where(or_(*conditions)).order_by(Ticket.created_at.desc(), Ticket.id.desc())
                           .limit(limit))
    return [ticket_row(bodies, t) for t in rows]


def screen_pop(session: Session, phone: str, locale: str | None = None) -> dict[str, Any]:
    """Who is calling from `phone`: {number, customers: [card + history]} (0, 1 or several matches); the
    tickets' hover text in `locale` (the agent's language).

    A malformed or withheld number gives {number: None, error: why, customers: []}.
    """
    if tenant_of(session) is None:
        raise ValueError("the screen pop reads a tenant-scoped session")
    try:
        number = phone_numbers.normalize(phone)
    except ValueError as exc:
        return {"number": None, "error": str(exc), "customers": [], "history": []}
    from . import customers as customer_service  # the service owns the lookup (and its index)

    found = customer_service.find_by_phone(session, number)
    cards = []
    for customer in found:
        card = customer_card(customer)
        card["history"] = service_history(session, customer.id, number, locale=locale)
        cards.append(card)
    # An unknown caller may still have tickets (IVR self-service made them with the number).
    history = [] if found else service_history(session, None, number, locale=locale)
    return {"number": number, "customers": cards, "history": history}


def call_by_uuid(session: Session, call_uuid: str) -> CallRecord | None:
    return session.scalar(select(CallRecord).where(CallRecord.uuid == call_uuid))


def path_labels(session: Session, ivr: str | None, version: int | None, path: Iterable[Any]) -> list[str]:
    """An IVR path as its nodes' labels (主菜单 → 催件：输入运单号), from the IVR version the call ran; a node
    without a label, or a version no longer found, keeps its id."""
    steps = [str(node) for node in path if node]
    if not ivr or not steps:
        return steps
    nodes = ivr_body(session, ivr, version).get("nodes") or {}
    return [str((nodes.get(step) or {}).get("label") or step) for step in steps]


def ivr_body(session: Session, ivr: str | None, version: int | None) -> dict[str, Any]:
    """The body of the IVR version a call ran (the published one when the version is unknown), else {}."""
    if not ivr:
        return {}
    query = select(DocumentVersion.body).join(Document, Document.id == DocumentVersion.document_id) \
        .where(Document.kind == "ivr", Document.name == ivr)
    query = query.where(DocumentVersion.number == version) if version else \
        query.where(DocumentVersion.number == Document.published_version)
    return session.scalar(query.limit(1)) or {}


def call_summary(record: CallRecord) -> dict[str, Any]:
    """What the pop shows of a finished call: path, variables, queue wait, outcome."""
    trace = record.trace or {}
    return {"uuid": record.uuid, "caller": record.caller, "did": record.did, "ivr": record.ivr_document,
            "ivr_version": record.ivr_version, "path": [s.get("node") for s in trace.get("steps", [])],
            "variables": trace.get("variables", {}), "queue": record.queue, "wait_seconds": record.wait_seconds,
            "outcome": record.outcome, "started_at": _iso(record.started_at), "ended_at": _iso(record.ended_at)}


# -- ticket ↔ call -------------------------------------------------------------------------------------------


def link_call(session: Session, ticket: Ticket, call_uuid: str) -> None:
    """Links the ticket to a call by uuid (idempotent) and sets `call_id` if the call record exists."""
    call_uuid = call_uuid.strip()[:64]
    if not call_uuid:
        return
    exists = session.scalar(select(TicketCall.id).where(TicketCall.ticket_id == ticket.id,
                                                        TicketCall.call_uuid == call_uuid))
    if exists is None:
        session.add(TicketCall(ticket_id=ticket.id, call_uuid=call_uuid))
    if ticket.call_id is None:
        record = call_by_uuid(session, call_uuid)
        if record is not None:
            ticket.call_id = record.id
    session.flush()


def calls_of(session: Session, ticket: Ticket) -> list[str]:
    """The uuids of the calls the ticket was made or worked in, oldest first; fills `call_id` when the
    first call's record has been written since."""
    uuids = list(session.scalars(select(TicketCall.call_uuid).where(TicketCall.ticket_id == ticket.id)
                                 .order_by(TicketCall.id)))
    if ticket.call_id is None and uuids:
        record = call_by_uuid(session, uuids[0])
        if record is not None:
            # Not a data edit (no revision bump, no history): the link was made when the ticket was.
            ticket.call_id = record.id
            session.flush()
    return uuids


def tickets_of_call(session: Session, call_uuid: str, locale: str | None = None) -> list[dict[str, Any]]:
    bodies = FormBodies(session, locale)
    rows = session.scalars(select(Ticket).join(TicketCall, TicketCall.ticket_id == Ticket.id)
                           .where(TicketCall.call_uuid == call_uuid).order_by(Ticket.id))
    return [ticket_row(bodies, t) for t in rows]
