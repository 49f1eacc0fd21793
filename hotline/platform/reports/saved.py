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
from .export import table
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


def clean(name: str, params: dict[str, Any], schedule: str, recipients: str) -> tuple[str, dict[str, str], list[str]]:
    """Checks a definition; every problem at its field, all at once."""
    findings = []
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        findings.append(Finding("/name", "error", "give the report a name of 1-100 characters", "saved_report"))
    kind = params.get("kind", "calls")
    if kind not in ("calls", "tickets", "outbound"):
        findings.append(Finding("/kind", "error", f"{str(kind)[:20]!r} is not calls, tickets or outbound",
                                "saved_report"))
    dims = {"calls": CALL_DIMENSIONS, "outbound": OUTBOUND_DIMENSIONS}.get(kind, TICKET_DIMENSIONS)
    if params.get("by", "") not in dims:
        findings.append(Finding("/by", "error", f"{str(params.get('by'))[:20]!r} is not a dimension of {kind}",
                                "saved_report"))
    if params.get("group", "day") not in ("15min", "30min", "60min", "day", "week", "month", "total"):
        findings.append(Finding("/group", "error", "not a grouping", "saved_report"))
    if schedule not in SCHEDULES:
        findings.append(Finding("/schedule", "error", f"{schedule[:20]!r} is not daily, weekly or monthly",
                                "saved_report"))
    addresses = [a.strip() for a in re.split(r"[,;\s]+", recipients or "") if a.strip()]
    bad = [a for a in addresses if not _EMAIL.match(a)]
    if bad:
        findings.append(Finding("/recipients", "error", f"not e-mail addresses: {', '.join(b[:60] for b in bad[:3])}",
                                "saved_report"))
    if len(addresses) > MAX_RECIPIENTS:
        findings.append(Finding("/recipients", "error", f"at most {MAX_RECIPIENTS} recipients", "saved_report"))
    if schedule and not addresses:
        findings.append(Finding("/recipients", "error", "a scheduled report needs a recipient", "saved_report"))
    if findings:
        raise InvalidDocument("the saved report is not valid", findings)
    return name, {k: str(params.get(k, ""))[:64] for k in PARAMS}, addresses


def save(session: Session, tenant_id: int, name: str, params: dict[str, Any], schedule: str, recipients: str,
         actor: str) -> SavedReport:
    name, kept, addresses = clean(name, params, schedule, recipients)
    count = session.scalar(select(func.count()).select_from(SavedReport).where(SavedReport.tenant_id == tenant_id))
    if (count or 0) >= MAX_PER_TENANT:
        raise InvalidDocument("too many saved reports", [Finding(
            "/name", "error", f"a tenant keeps at most {MAX_PER_TENANT} saved reports; delete one first",
            "saved_report")])
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
        built = call_report(session, tenant_id, period, params.get("by", ""), params)
        columns = CALL_FIGURES
    words = {"Period": "时段" if locale.startswith("zh") else "Period",
             "Total": "合计" if locale.startswith("zh") else "Total"}
    rows = table(built, columns, lambda text: words.get(text) or label(text, locale))
    body = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)
    return f"{report.name} {first.isoformat()} ~ {last.isoformat()}", body
