"""Vendor assessment and SLA monitoring (seed 004, 指标考核): per vendor and month, service level, answer rate,
ticket timeliness (及时率), QA score, complaints and attrition; the tenant's thresholds; alerts.

The call and ticket figures come from the report service (platform/reports), not recomputed here:
* service level and answer rate are those of the queues the site answers (Vendor.queues): calls abandoned in a
  queue belong to no agent, so only the queue knows them. Answer rate = answered ÷ offered; service level as the
  reports define it (answered within the queue's target ÷ offered − short abandons);
* timeliness (完成及时率) = tickets completed in time ÷ tickets completed, and complaints = complaint tickets,
  both of the tickets handled (assigned) by the vendor's agents;
* QA score = the mean QA total of the vendor's agents while with it (settlement/inputs.py quality_score);
* attrition = agents who left during the month ÷ agents with the vendor on its first day, in percent.
A figure without data (no queues, no tickets) is None, shown as "—", and raises no alert.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import phones, url_guard
from ..models import Vendor, VendorAgent, VendorAlert, VendorThreshold
from ..models.vendors import ASSESSMENT_METRICS
from ..reports.figures import call_figures, ticket_figures
from ..reports.periods import Period
from ..reports.service import call_report, ticket_report
from ..services import notifications
from .inputs import Month, agents_of, quality_score, windows_of
from .terms import Problem

#: What users read for each metric (the pages' strings are built from these, and alert messages use them).
LABELS: dict[str, dict[str, str]] = {
    "service_level": {"zh_CN": "服务水平（%）", "en": "Service level (%)"},
    "answer_rate": {"zh_CN": "接通率（%）", "en": "Answer rate (%)"},
    "timeliness": {"zh_CN": "工单完成及时率（%）", "en": "Ticket timeliness (%)"},
    "qa_score": {"zh_CN": "质检平均分", "en": "QA score"},
    "complaints": {"zh_CN": "投诉量", "en": "Complaints"},
    "attrition": {"zh_CN": "人员流失率（%）", "en": "Attrition (%)"},
}
#: Metrics where less is better (a threshold on them is a maximum); the others take a minimum.
LOWER_IS_BETTER = frozenset({"complaints", "attrition"})
#: Alert text per language and direction (vendor, month, metric label, value, limit): a figure under its minimum
#: is "below", one over its maximum "above" (QA of issue 15, item 12: a QA score of 90 under a minimum of 95
#: was told "超出阈值").
ALERT_TEXT = {
    "below": {"zh_CN": "{vendor} {month}：{metric}为 {value:g}，低于阈值 {limit:g}",
              "en": "{vendor} {month}: {metric} is {value:g}, below the minimum {limit:g}"},
    "above": {"zh_CN": "{vendor} {month}：{metric}为 {value:g}，超出阈值 {limit:g}",
              "en": "{vendor} {month}: {metric} is {value:g}, above the maximum {limit:g}"},
}
CALL_SUMS = ("offered", "answered", "abandoned_short", "answered_in_target", "abandoned_queue")
TICKET_SUMS = ("responded_in_time", "responded_late", "completed_in_time", "completed_late", "complaints")


def _attrition(session: Session, vendor_id: int, month: Month) -> float | None:
    rows = session.execute(select(VendorAgent.joined_on, VendorAgent.left_on).where(
        VendorAgent.vendor_id == vendor_id, VendorAgent.joined_on <= month.first,
        or_(VendorAgent.left_on.is_(None), VendorAgent.left_on >= month.first))).all()
    if not rows:
        return None
    last = month.after - timedelta(days=1)
    left = sum(1 for _joined, gone in rows if gone is not None and gone <= last)
    return round(100.0 * left / len(rows), 1)


def figures(session: Session, tenant_id: int, month: Month, vendor_id: int | None = None) -> list[dict[str, Any]]:
    """One row per active vendor, self-operated sites first: its figures of the month; with `vendor_id`, the row
    of that vendor only, active or not (its settlement's business score is computed from it)."""
    period = Period(month.first, month.after - timedelta(days=1), "total", month.zone)
    calls = {row["key"]: row for row in call_report(session, tenant_id, period, "queue").rows}
    tickets = {row["key"]: row for row in ticket_report(session, tenant_id, period, "handler").rows}
    out = []
    which = select(Vendor).where(Vendor.id == vendor_id) if vendor_id is not None else \
        select(Vendor).where(Vendor.active.is_(True))
    for vendor in session.scalars(which.order_by(Vendor.self_operated.desc(), Vendor.title)):
        agents = agents_of(session, vendor.id, month)
        call_sums = {name: sum(calls.get(q, {}).get(name, 0) or 0 for q in vendor.queues or [])
                     for name in CALL_SUMS}
        ticket_sums = {name: sum(tickets.get(a, {}).get(name, 0) or 0 for a in agents) for name in TICKET_SUMS}
        call = call_figures(call_sums)
        ticket = ticket_figures(ticket_sums)
        offered = call_sums["offered"]
        qa = quality_score(session, windows_of(session, vendor.id, month))
        out.append({
            "vendor_id": vendor.id, "name": vendor.name, "title": vendor.title,
            "self_operated": vendor.self_operated, "agents": len(agents),
            "offered": int(offered), "answered": int(call_sums["answered"]),
            "service_level": call["service_level"] if vendor.queues else None,
            "answer_rate": round(100.0 * call_sums["answered"] / offered, 1) if offered else None,
            "timeliness": ticket["completion_rate"],
            "qa_score": float(qa) if qa is not None else None,
            "complaints": ticket["complaints"] if agents else None,
            "attrition": _attrition(session, vendor.id, month),
        })
    return out


def thresholds(session: Session) -> dict[str, VendorThreshold]:
    return {t.metric: t for t in session.scalars(select(VendorThreshold))}


def breaches(row: dict[str, Any], limits: dict[str, VendorThreshold]) -> dict[str, float]:
    """metric -> the limit the vendor's figure is past (below a minimum or above a maximum)."""
    found: dict[str, float] = {}
    for metric, limit in limits.items():
        value = row.get(metric)
        if value is None:
            continue
        if limit.minimum is not None and value < limit.minimum:
            found[metric] = limit.minimum
        elif limit.maximum is not None and value > limit.maximum:
            found[metric] = limit.maximum
    return found


class InvalidThreshold(ValueError):
    """Problems with a threshold, each a Problem (path, English reason template, values), so the page words
    them in the reader's language as it does the contract's."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


#: An e-mail address as the message providers check a sender: something@host.domain, no spaces or brackets.
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


#: The URL guard's reasons for an internal address, as message keys the pages translate (task 15d item 2a).
INTERNAL_REASONS: dict[str, str] = {
    kind: f"{{address}} is a {kind} address; the platform calls only public addresses"
    for kind in ("loopback", "link-local", "multicast", "unspecified", "private", "reserved")}
INTERNAL_REASONS["not publicly routable"] = ("{address} is not publicly routable; the platform calls only public "
                                             "addresses")


def recipient_problem(channel: str, to: str, path: str = "/recipient") -> Problem | None:
    """Why an alert recipient cannot be reached (None when it can), checked when the threshold is saved rather
    than found failing on the day of the breach (QA of issue 15, item 13): a phone number for SMS, an e-mail
    address, and for a webhook a public http(s) URL through the SSRF guard (url_guard.check_url, with the
    operator's allow-list)."""
    if channel == "sms":
        try:
            phones.normalize(to)
        except ValueError:
            return Problem(path, "{value} is not a phone number (3 to 20 digits, optional leading +)",
                           value=repr(to[:40]))
    elif channel == "email" and not EMAIL.match(to):
        return Problem(path, "{value} is not an e-mail address", value=repr(to[:60]))
    elif channel == "webhook":
        try:
            url_guard.check_url(to, url_guard.allow_list_from_env())
        except url_guard.UnsafeUrl as exc:
            if exc.kind in INTERNAL_REASONS:
                return Problem(path, INTERNAL_REASONS[exc.kind], address=exc.address or "")
            return Problem(path, "{value} is not a public http(s) address the platform can call", value=repr(to[:80]))
    return None


def save_threshold(session: Session, metric: str, limit: str, recipients: str) -> VendorThreshold | None:
    """Sets the limit of one metric (a minimum, or a maximum for complaints and attrition); an empty limit
    removes it. `recipients`: one per line, "sms:1380…", "email:a@b" or "webhook:https://…"."""
    problems: list[Problem] = []
    if metric not in ASSESSMENT_METRICS:
        raise InvalidThreshold([Problem("/metric", "one of {fields}", fields=", ".join(ASSESSMENT_METRICS))])
    row = session.scalars(select(VendorThreshold).where(VendorThreshold.metric == metric)).first()
    if not limit.strip():
        if row is not None:
            session.delete(row)
        return None
    try:
        value = float(limit)
    except ValueError:
        value = -1.0
    high = 100000.0 if metric == "complaints" else 100.0
    if not 0 <= value <= high:
        problems.append(Problem(f"/{metric}/limit", "a number from {low} to {high}", low="0", high=f"{high:g}"))
    found = []
    for n, line in enumerate(x.strip() for x in recipients.splitlines()[:21]):
        if not line:
            continue
        channel, _, to = line.partition(":")
        if channel.strip() not in notifications.CHANNELS or not to.strip() or len(to) > 500:
            problems.append(Problem(f"/{metric}/recipients/{n}", "channel:recipient, channel one of {fields}",
                                    fields=", ".join(notifications.CHANNELS)))
            continue
        why = recipient_problem(channel.strip(), to.strip(), f"/{metric}/recipients/{n}")
        if why:
            problems.append(why)
        else:
            found.append({"channel": channel.strip(), "to": to.strip()})
    if len(found) > 20:
        problems.append(Problem(f"/{metric}/recipients", "at most {most} entries", most=20))
    if problems:
        raise InvalidThreshold(problems)
    if row is None:
        row = VendorThreshold(metric=metric)
        session.add(row)
    row.minimum, row.maximum = (None, value) if metric in LOWER_IS_BETTER else (value, None)
    row.recipients = found
    session.flush()
    return row


def check_alerts(session: Session, tenant_id: int, month: Month, locale: str = "zh_CN") -> list[VendorAlert]:
    """Raises an alert for each vendor's metric past its threshold in the month, once (a breach already
    alerted is not sent again), through the tenant's delivery log (services/notifications.py)."""
    limits = thresholds(session)
    if not limits:
        return []
    seen = {(a.vendor_id, a.metric) for a in alerts(session, month)}
    raised = []
    for row in figures(session, tenant_id, month):
        for metric, limit in breaches(row, limits).items():
            if (row["vendor_id"], metric) in seen:
                continue
            text = describe(row, metric, limit, month.text, locale)
            sent = [notifications.send(session, r["channel"], r["to"], text, subject=text[:300],
                                       origin={"vendor": row["name"], "metric": metric, "month": month.text}).id
                    for r in limits[metric].recipients or []]
            alert = VendorAlert(vendor_id=row["vendor_id"], month=month.text, metric=metric,
                                value=float(row[metric]), limit=limit, notifications=sent)
            session.add(alert)
            raised.append(alert)
    session.flush()
    return raised


def describe(row: dict[str, Any], metric: str, limit: float, month: str, locale: str = "zh_CN") -> str:
    """The alert's text in the reader's language, with the metric's label (never its code)."""
    texts = ALERT_TEXT["above" if metric in LOWER_IS_BETTER else "below"]
    language = locale if locale in texts else "zh_CN"
    return texts[language].format(vendor=row["title"], month=month, metric=LABELS[metric][language],
                                       value=row[metric], limit=limit)


def alerts(session: Session, month: Month) -> list[VendorAlert]:
    return list(session.scalars(select(VendorAlert).where(VendorAlert.month == month.text)
                                .order_by(VendorAlert.created_at, VendorAlert.id)))
