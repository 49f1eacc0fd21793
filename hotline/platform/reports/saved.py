"""Saved report definitions and their scheduled e-mail (daily, weekly, monthly).

A definition keeps the report's arguments (kind, grouping, dimension, filters); a scheduled one is e-mailed
to its recipients through the tenant's e-mail provider (the delivery log records each message), covering the
period that just ended: yesterday (daily, sent after 07:00 local), last Monday-Sunday (weekly, on Mondays),
last month (monthly, on the 1st). `due` decides; the job (jobs/reports.py) runs every few minutes and sends
each due report once (`last_sent_at` is set in the same transaction as the delivery-log row).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import SavedReport
from ..services.errors import InvalidDocument
from .export import PERIOD_HEADER, table
from .figures import CALL_FIGURES, TICKET_FIGURES
from .labels import label
from .outbound import OUTBOUND_DIMENSIONS, OUTBOUND_FIGURES, outbound_report
from .periods import Period
from .service import CALL_DIMENSIONS, TICKET_DIMENSIONS, call_report, ticket_report

SCHEDULES = ("", "daily", "weekly", "monthly")
MAX_PER_TENANT = 50
MAX_RECIPIENTS = 10
SEND_AFTER = time(7, 0)
PARAMS = ("kind", "group", "by", "queue", "did", "agent", "form", "campaign")
_EMAIL = re.compile(r"^[^@\s,;]{1,64}@[^@\s,;]{1,255}\.[^@\s,;]{2,}$")


NAME_NEEDED = "give the report a name of 1-100 characters"
NAME_TOO_LONG = "the name has %(length)s characters; at most %(most)s"
NAME_MOST = 100
NAME_NUL = "the report's name contains a NUL character (at character %(at)s); remove it"
NOT_A_KIND = "%(value)s is not calls, tickets or outbound"
NOT_A_DIMENSION = "%(value)s is not a dimension of this report"
NOT_A_GROUPING = "%(value)s is not a grouping"
NOT_A_SCHEDULE = "%(value)s is not daily, weekly or monthly"
NOT_ADDRESSES = "not e-mail addresses: %(value)s"
TOO_MANY_RECIPIENTS = "at most %(most)s recipients"
RECIPIENT_NEEDED = "a scheduled report needs a recipient"
NAME_TAKEN = "a saved report is already called %(value)s"
TOO_MANY_SAVED = "a tenant keeps at most %(most)s saved reports; delete one first"

Problem = tuple[str, str, dict[str, str]]


def problems(name: str, params: dict[str, Any], schedule: str, recipients: str) -> list[Problem]:
    """Every problem of a definition as (field, English template, values): the page translates the template."""
    found: list[Problem] = []
    if "\x00" in (name or ""):  # never stored: PostgreSQL refuses it in text
        found.append(("name", NAME_NUL, {"at": str(name.index("\x00") + 1)}))
    elif len((name or "").strip()) > NAME_MOST:  # said with its length: it was cut to 100 silently (QA 14)
        found.append(("name", NAME_TOO_LONG, {"length": str(len(name.strip())), "most": str(NAME_MOST)}))
    elif not (name or "").strip():
        found.append(("name", NAME_NEEDED, {}))
    kind = params.get("kind", "calls")
    if kind not in ("calls", "tickets", "outbound"):
        found.append(("kind", NOT_A_KIND, {"value": repr(str(kind)[:20])}))
    dims = {"calls": CALL_DIMENSIONS, "outbound": OUTBOUND_DIMENSIONS}.get(kind, TICKET_DIMENSIONS)
    if params.get("by", "") not in dims:
        found.append(("by", NOT_A_DIMENSION, {"value": repr(str(params.get("by"))[:20])}))
    if params.get("group", "day") not in ("15min", "30min", "60min", "day", "week", "month", "total"):
        found.append(("group", NOT_A_GROUPING, {"value": repr(str(params.get("group"))[:20])}))
    if schedule not in SCHEDULES:
        found.append(("schedule", NOT_A_SCHEDULE, {"value": repr(schedule[:20])}))
    addresses = _addresses(recipients)
    bad = [a for a in addresses if not _EMAIL.match(a)]
    if bad:
        found.append(("recipients", NOT_ADDRESSES, {"value": ", ".join(b[:60] for b in bad[:3])}))
    if len(addresses) > MAX_RECIPIENTS:
        found.append(("recipients", TOO_MANY_RECIPIENTS, {"most": str(MAX_RECIPIENTS)}))
    if schedule and not addresses:
        found.append(("recipients", RECIPIENT_NEEDED, {}))
    return found


def _addresses(recipients: str) -> list[str]:
    return [a.strip() for a in re.split(r"[,;\s]+", recipients or "") if a.strip()]


def _invalid(found: list[Problem]) -> InvalidDocument:
    error = InvalidDocument("the saved report is not valid", [
        Finding(f"/{field}", "error", template % values, "saved_report") for field, template, values in found])
    error.problems = found  # type: ignore[attr-defined]
    return error


def clean(name: str, params: dict[str, Any], schedule: str, recipients: str) -> tuple[str, dict[str, str], list[str]]:
    """Checks a definition; every problem at its field, all at once."""
    found = problems(name, params, schedule, recipients)
    if found:
        raise _invalid(found)
    return (name or "").strip(), {k: str(params.get(k, ""))[:64] for k in PARAMS}, _addresses(recipients)


def save(session: Session, tenant_id: int, name: str, params: dict[str, Any], schedule: str, recipients: str,
         actor: str) -> SavedReport:
    """Saves a definition; a name the tenant already uses is refused (the list would show two alike)."""
    found = problems(name, params, schedule, recipients)
    name = (name or "").strip()
    if name and "\x00" not in name and session.scalar(select(SavedReport.id).where(SavedReport.tenant_id == tenant_id,
                                                            SavedReport.name == name)) is not None:
        found.append(("name", NAME_TAKEN, {"value": name[:100]}))
    count = session.scalar(select(func.count()).select_from(SavedReport).where(SavedReport.tenant_id == tenant_id))
    if (count or 0) >= MAX_PER_TENANT:
        found.append(("name", TOO_MANY_SAVED, {"most": str(MAX_PER_TENANT)}))
    if found:
        raise _invalid(found)
    name, kept, addresses = clean(name, params, schedule, recipients)
    row = SavedReport(tenant_id=tenant_id, name=name, params=kept, schedule=schedule,
                      recipients=", ".join(addresses), created_by=actor[:64])
    session.add(row)
    session.flush()
    return row


def window(schedule: str, now: datetime, zone: ZoneInfo) -> tuple[date, date, datetime] | None:
    """(first day, last day, the instant the send may start) of the period a schedule e-mails at `now`."""
    today = now.astimezone(zone).date()
    if schedule == "daily":
        first = last = today - timedelta(days=1)
        opens = today
    elif schedule == "weekly":
        monday = today - timedelta(days=today.weekday())
        first, last, opens = monday - timedelta(days=7), monday - timedelta(days=1), monday
    elif schedule == "monthly":
        start = today.replace(day=1)
        last = start - timedelta(days=1)
        first, opens = last.replace(day=1), start
    else:
        return None
    return first, last, datetime.combine(opens, SEND_AFTER, tzinfo=zone).astimezone(UTC)


def due(report: SavedReport, now: datetime, zone: ZoneInfo) -> tuple[date, date] | None:
    """The period to send now, or None (not scheduled, not yet 07:00, or already sent for this period)."""
    found = window(report.schedule, now, zone)
    if found is None:
        return None
    first, last, opens = found
    if now < opens or (report.last_sent_at is not None and report.last_sent_at >= opens):
        return None
    return first, last


def render(session: Session, tenant_id: int, report: SavedReport, first: date, last: date, zone: ZoneInfo,
           locale: str = "zh_CN") -> tuple[str, str]:
    """(subject, body) of the e-mail: the report as a tab-separated table, labels in the tenant's language."""
    params = dict(report.params or {})
    group = params.get("group") or "day"
    period = Period(first, last, group if group in ("day", "week", "month", "total") else "day", zone)
    if params.get("kind") == "tickets":
        built = ticket_report(session, tenant_id, period, params.get("by", ""), params,
                              translate=lambda text: label(text, locale))
        columns = TICKET_FIGURES
    elif params.get("kind") == "outbound":
        built = outbound_report(session, tenant_id, period, params.get("by", ""), params,
                                translate=lambda text: label(text, locale))
        columns = OUTBOUND_FIGURES
    else:
        built = call_report(session, tenant_id, period, params.get("by", ""), params,
                            translate=lambda text: label(text, locale))
        columns = CALL_FIGURES
    words = {PERIOD_HEADER: "时段（%(zone)s）" if locale.startswith("zh") else PERIOD_HEADER,
             }
    rows = table(built, columns, lambda text: words.get(text) or label(text, locale))
    body = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)
    return f"{report.name} {first.isoformat()} ~ {last.isoformat()}", body
