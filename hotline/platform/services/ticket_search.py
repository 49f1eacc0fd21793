"""Finding tickets: by waybill or phone (exact or prefix), status, form, agent, time, overdue; saved presets.

Text and field queries go through the TicketSearchKey index (tenant, field, value), never through the
JSON data: an exact value is an equality, a prefix is a range on that index (plus a LIKE that keeps it
exact whatever the collation). Every row carries the status label and colour of the form version the
ticket was created with (the seed's convention in the express template: pending black, processing red,
done green), read once per search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import Document, DocumentVersion, ManualDispatch, Tenant, Ticket, TicketSearchKey, utcnow
from ..scoping import tenant_of
from ..tenant_zone import zone_of
from .documents import DocumentService
from .errors import InvalidDocument, NotFound
from .tickets import SYSTEM

SORTS: dict[str, Any] = {
    "created_at": Ticket.created_at, "updated_at": Ticket.updated_at, "number": Ticket.number,
    "status": Ticket.status, "priority": Ticket.priority, "resolution_due": Ticket.resolution_due,
    "first_response_due": Ticket.first_response_due, "resolved_at": Ticket.resolved_at,
}
MAX_PER_PAGE = 200

#: Placeholders a preset may use; `search_preset` replaces them when it runs.
ME = "$me"
TODAY = "$today"

#: Saved filters: search() keyword arguments, with ME (the user asking) and TODAY (midnight today in the
#: tenant's time zone) filled in when applied. Overrides given to search_preset win over these.
PRESETS: dict[str, dict[str, Any]] = {
    "my_open": {"assignee_id": ME, "resolved": False, "sort": "resolution_due"},
    "overdue": {"overdue": True, "sort": "resolution_due"},
    "today": {"created_from": TODAY, "sort": "-created_at"},
}

FormCache = dict[tuple[str, int], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class TicketRow:
    """One search result: the ticket, and how its status shows (label and colour from its form version)."""

    ticket: Ticket
    status_label: str
    status_color: str | None

    @property
    def number(self) -> str:
        return self.ticket.number

    @property
    def status(self) -> str:
        return self.ticket.status


def status_display(session: Session, ticket: Ticket, cache: FormCache | None = None) -> tuple[str, str | None]:
    """(label, colour) of the ticket's status in its form version; pass one `cache` dict across calls."""
    cache = {} if cache is None else cache
    key = (ticket.form_name, ticket.form_version)
    if key not in cache:
        try:
            cache[key] = DocumentService(session, SYSTEM).version("form", *key).body
        except NotFound:
            cache[key] = {}
    for status in cache[key].get("statuses", []):
        if status["name"] == ticket.status:
            return status.get("label") or status["name"], status.get("color")
    return ticket.status, None


def search(session: Session, *, text: str | None = None, field: str | None = None, value: str | None = None,
           status: str | Iterable[str] | None = None, form: str | Iterable[str] | None = None,
           assignee_id: int | None = None, created_from: datetime | None = None,
           created_to: datetime | None = None, overdue: bool | None = None, resolved: bool | None = None,
           unassigned: bool | None = None, sort: str = "-created_at", page: int = 1, per_page: int = 50,
           now: datetime | None = None) -> tuple[list[TicketRow], int]:
    """One page of matching tickets and the total number that match.

    text: a searchable field value (any field) equal to or starting with it — a waybill, a phone or its
    first digits — or the ticket number itself. field + value: that field equals value exactly.
    status, form: one name or several. created_from (inclusive) / created_to (exclusive): creation time.
    overdue: True for unresolved tickets past resolution_due (at `now`, default the current time), False
    for the others. resolved: True for tickets with resolved_at, False for open ones. unassigned: True for the
    tickets waiting on the manual dispatch list (待派单: no rule could give them to anyone), False for the others.
    sort: one of SORTS, "-" first for descending; ties go by creation order.
    """
    if tenant_of(session) is None:
        raise ValueError("tickets are searched in a tenant-scoped session")
    order = _order(sort)
    _check_paging(page, per_page)
    now = now or utcnow()
    where: list[ColumnElement[bool]] = []
    if text is not None and text.strip():
        where.append(_text_match(session, text.strip()))
    if field is not None or value is not None:
        if field is None or value is None:
            raise InvalidDocument("bad search", [Finding("/field", "error", "field and value go together",
                                                         "search")])
        where.append(Ticket.id.in_(select(TicketSearchKey.ticket_id).where(
            TicketSearchKey.field == field, TicketSearchKey.value == str(value)[:200])))
    waiting = and_(Ticket.handler_entry_id.is_(None),  # a ticket with a handler is never waiting
                   Ticket.id.in_(select(ManualDispatch.ticket_id).where(ManualDispatch.done_at.is_(None))))
    if status is not None and unassigned:  # "待派单 or 处理中": either
        where.append(or_(Ticket.status.in_(_names(status)), waiting))
    elif status is not None:
        where.append(Ticket.status.in_(_names(status)))
    if form is not None:
        where.append(Ticket.form_name.in_(_names(form)))
    if assignee_id is not None:
        where.append(Ticket.assignee_id == assignee_id)
    if created_from is not None:
        where.append(Ticket.created_at >= created_from)
    if created_to is not None:
        where.append(Ticket.created_at < created_to)
    if overdue is not None:
        late = and_(Ticket.resolution_due.is_not(None), Ticket.resolution_due < now, Ticket.resolved_at.is_(None))
        where.append(late if overdue else ~late)
    if resolved is not None:
        where.append(Ticket.resolved_at.is_not(None) if resolved else Ticket.resolved_at.is_(None))
    if unassigned is not None and not (status is not None and unassigned):
        where.append(waiting if unassigned else ~waiting)
    # Each ticket comes with the statuses of its form version (joined, not looked up after): one round trip.
    query: Select[tuple[Ticket, Any]] = (
        select(Ticket, DocumentVersion.body["statuses"])
        .outerjoin(Document, and_(Document.kind == "form", Document.name == Ticket.form_name))
        .outerjoin(DocumentVersion, and_(DocumentVersion.document_id == Document.id,
                                         DocumentVersion.number == Ticket.form_version))
        .where(*where).order_by(*order).offset((page - 1) * per_page).limit(per_page))
    found = session.execute(query).all()
    if page == 1 and len(found) < per_page:
        total = len(found)  # the first page is not full: that is all of them (a waybill search: one ticket)
    else:
        total = session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    # the status_display cache: a form version not found shows the bare status, as status_display would
    cache: FormCache = {(t.form_name, t.form_version): {"statuses": statuses or []} for t, statuses in found}
    rows = [TicketRow(t, *status_display(session, t, cache)) for t, _statuses in found]
    return rows, total


def search_preset(session: Session, name: str, user_id: int | None,
                  **overrides: Any) -> tuple[list[TicketRow], int]:
    """Runs the saved filter `name` for `user_id`; keyword overrides (page, status, …) replace its values."""
    if name not in PRESETS:
        raise NotFound(f"no search preset {name!r}; presets: {', '.join(sorted(PRESETS))}")
    arguments = {**PRESETS[name], **overrides}
    for key, val in arguments.items():
        if val == ME:
            if user_id is None:
                raise ValueError(f"search preset {name!r} is about a user; give user_id")
            arguments[key] = user_id
        elif val == TODAY:
            arguments[key] = _midnight(session, overrides.get("now"))
    return search(session, **arguments)


# -- pieces ----------------------------------------------------------------------------------------------------


def _names(names: str | Iterable[str]) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _order(sort: str) -> list[Any]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise InvalidDocument("bad search", [Finding("/sort", "error", f"cannot sort by {sort!r}; sort by one of "
                                                     f"{', '.join(SORTS)} (with '-' first for descending)", "search")])
    column = SORTS[key]
    if sort.startswith("-"):
        return [column.desc().nulls_last(), Ticket.id.desc()]
    return [column.asc().nulls_last(), Ticket.id.asc()]


def _check_paging(page: int, per_page: int) -> None:
    if page < 1:
        raise InvalidDocument("bad search", [Finding("/page", "error", "pages count from 1", "search")])
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidDocument("bad search", [Finding("/per_page", "error",
                                                     f"a page holds 1 to {MAX_PER_PAGE} tickets", "search")])


def _text_match(session: Session, text: str) -> ColumnElement[bool]:
    """Tickets with a search key equal to or starting with `text`, or numbered `text`.

    Every search key is a searchable field of its ticket's form version (tickets.py writes no other), so no
    field filter is needed: the (tenant, value) index finds the value whatever field holds it.
    """
    text = text[:200]
    keys = select(TicketSearchKey.ticket_id).where(TicketSearchKey.value.startswith(text, autoescape=True))
    upper = _next_prefix(text)
    if upper is not None and _code_point_order(session):
        # The LIKE above is exact; this range is what lets the (tenant, value) index find the rows.
        keys = keys.where(TicketSearchKey.value >= text, TicketSearchKey.value < upper)
    if text.isdigit():
        # One IN over a UNION, not "IN (keys) OR number = …": PostgreSQL cannot use an index for an OR across
        # a subquery and a column, and scanned every ticket of the tenant (13 ms at 20,000, growing with them).
        keys = union(keys, select(Ticket.id).where(Ticket.number == text))
    return Ticket.id.in_(keys)


def _next_prefix(text: str) -> str | None:
    """The smallest string above every string starting with `text`, in code point order (None if none)."""
    last = ord(text[-1])
    if last >= 0x10FFFF or 0xD7FF <= last < 0xE000:
        return None
    return text[:-1] + chr(last + 1)


_CODE_POINT_COLLATIONS = {"c", "posix", "c.utf-8", "c.utf8", "ucs_basic"}
_collation_cache: dict[str, bool] = {}


def _code_point_order(session: Session) -> bool:
    """Whether text compares in code point order here (SQLite's BINARY; PostgreSQL with a C collation).

    Only then is the prefix range exact; under a linguistic collation the LIKE alone decides.
    """
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return True
    key = bind.url.render_as_string(hide_password=True)
    if key not in _collation_cache:
        collation = session.scalar(sql_text(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()")) if (
            bind.dialect.name == "postgresql") else None
        _collation_cache[key] = str(collation or "").lower() in _CODE_POINT_COLLATIONS
    return _collation_cache[key]


def _midnight(session: Session, now: datetime | None) -> datetime:
    """Midnight today in the tenant's time zone (platform/tenant_zone.py; UTC when unset or unknown)."""
    tenant = session.get(Tenant, tenant_of(session))
    zone = zone_of(tenant.settings if tenant is not None else None)  # the tenant's one zone (platform/tenant_zone.py)
    local = (now or utcnow()).astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)
