"""The ticket list as agents filter it: query-string arguments turned into a `ticket_search.search` call.

The list page and saved filters speak in what an agent picks (a day, "me", "overdue"), the search service in
datetimes and ids; this module is the translation, with every bad argument reported by name. Days are the
tenant's days (its time zone), so "today" at 00:30 in Beijing is not yesterday in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import Document, DocumentVersion, Membership, Tenant, User
from ..scoping import tenant_of
from ..tenant_zone import zone_of
from . import ticket_search
from .errors import InvalidDocument


@dataclass(frozen=True, slots=True)
class FormInfo:
    name: str
    title: str
    #: (name, label, colour) in the form's order
    statuses: tuple[tuple[str, str, str | None], ...]
    summary: str


def published_forms(session: Session) -> list[FormInfo]:
    """The tenant's published ticket forms with their statuses and colours (for filters and legends)."""
    rows = session.execute(
        select(Document.name, DocumentVersion.body)
        .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
              & (DocumentVersion.number == Document.published_version))
        .where(Document.kind == "form").order_by(Document.name)).all()
    forms = []
    for name, body in rows:
        statuses = tuple((s["name"], s.get("label") or s["name"], s.get("color"))
                         for s in body.get("statuses", []) if isinstance(s, dict) and "name" in s)
        forms.append(FormInfo(name, body.get("title") or name, statuses, body.get("summary") or ""))
    return forms


def handlers(session: Session) -> list[tuple[int, str]]:
    """(user id, display name) of everyone with a role in the tenant, for the handler filter."""
    rows = session.execute(select(User.id, User.display_name, User.username)
                           .join(Membership, Membership.user_id == User.id).distinct()).all()
    return sorted(((uid, display or username) for uid, display, username in rows), key=lambda r: r[1])


def tenant_zone(session: Session) -> ZoneInfo:
    """The tenant's time zone: its calendar's, else its own setting, else UTC (the desk reads the same)."""
    tenant = session.get(Tenant, tenant_of(session))
    settings = (tenant.settings or {}) if tenant is not None else {}
    return zone_of(settings)  # the tenant's one zone (platform/tenant_zone.py)


def tenant_locale(session: Session) -> str:
    """The tenant's message language ("zh_CN" or "en", its `locale` setting; scheduled reports read the same)."""
    tenant = session.get(Tenant, tenant_of(session))
    settings = (tenant.settings or {}) if tenant is not None else {}
    return "en" if str(settings.get("locale", "zh")).startswith("en") else "zh_CN"


def _day(value: str, key: str, findings: list[Finding]) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        findings.append(Finding(f"/{key}", "error", f"{value!r} is not a day (YYYY-MM-DD)", "format"))
        return None


def _as_list(args: Mapping[str, Any], key: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    values = getlist(key) if getlist is not None else args.get(key)
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [str(v).strip() for v in values if str(v).strip()]


#: The status filter's value for "waiting for a person to dispatch it" (not a form status: `@` is in no name).
UNASSIGNED = "@unassigned"


def search_arguments(session: Session, args: Mapping[str, Any], user_id: int) -> dict[str, Any]:
    """`ticket_search.search` keyword arguments (without paging) from the list's arguments.

    q: a waybill, phone or ticket number (prefix); status, form: one or several (status UNASSIGNED: the
    manual dispatch list's tickets); assignee: "me", "none"
    or a user id; created_from / created_to: days, both inclusive; overdue=1; open=1 (unresolved);
    sort: a ticket_search sort key. InvalidDocument names every bad argument.
    """
    findings: list[Finding] = []
    kwargs: dict[str, Any] = {}
    if (text := str(args.get("q") or "").strip()):
        kwargs["text"] = text[:200]
    statuses = _as_list(args, "status")
    if UNASSIGNED in statuses:  # 待派单: on the manual dispatch list, whatever the form calls its status
        kwargs["unassigned"] = True
        statuses = [s for s in statuses if s != UNASSIGNED]
    if statuses:
        kwargs["status"] = statuses
    if (forms := _as_list(args, "form")):
        kwargs["form"] = forms
    assignee = str(args.get("assignee") or "").strip()
    if assignee == "me":
        kwargs["assignee_id"] = user_id
    elif assignee:
        if assignee.isdigit() and int(assignee) < 2**63:  # beyond 64 bits no user has that id (and SQL refuses it)
            kwargs["assignee_id"] = int(assignee)
        else:
            findings.append(Finding("/assignee", "error", "a handler is 'me' or a user id", "format"))
    zone = tenant_zone(session)
    start = _day(str(args["created_from"]), "created_from", findings) if args.get("created_from") else None
    end = _day(str(args["created_to"]), "created_to", findings) if args.get("created_to") else None
    if start is not None:
        kwargs["created_from"] = datetime.combine(start, time(0), tzinfo=zone)
    if end is not None:
        kwargs["created_to"] = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    if start is not None and end is not None and end < start:
        findings.append(Finding("/created_to", "error", "the last day is before the first", "range"))
    if str(args.get("overdue") or "") in ("1", "true", "on"):
        kwargs["overdue"] = True
    if str(args.get("open") or "") in ("1", "true", "on"):
        kwargs["resolved"] = False
    sort = str(args.get("sort") or "-created_at")
    if sort.removeprefix("-") not in ticket_search.SORTS:
        findings.append(Finding("/sort", "error", f"cannot sort by {sort!r}", "enum"))
    kwargs["sort"] = sort
    if findings:
        raise InvalidDocument("the ticket filter is not valid", findings)
    return kwargs


#: The built-in saved filters, as list arguments (so the page shows what each filters on).
PRESETS: dict[str, dict[str, str]] = {
    "my_open": {"assignee": "me", "open": "1", "sort": "resolution_due"},
    "overdue": {"overdue": "1", "sort": "resolution_due"},
    "today": {"created_from": "$today", "sort": "-created_at"},
}


def preset_arguments(session: Session, name: str) -> dict[str, str]:
    """The preset's list arguments, "$today" replaced by today's date in the tenant's time zone."""
    today = datetime.now(tenant_zone(session)).date().isoformat()
    return {key: today if value == "$today" else value for key, value in PRESETS.get(name, {}).items()}
