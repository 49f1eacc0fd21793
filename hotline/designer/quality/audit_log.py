"""Who listened to what: the quality area's audit entries for tenant admins (QA of issue 15, item 6).

GET /quality/audit?action=&actor=&start=YYYY-MM-DD&end=YYYY-MM-DD: the tenant's entries of the actions the
quality area writes (a recording listened to, listen in / whisper / barge, policy changes, retention deletes,
scores and appeals), newest first, at most MAX_ROWS. Actions show by their labels; a call links to its page.
The session is the tenant's, and the query names the tenant as well: another tenant's entries never show.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import AuditEntry
from ...platform.services.ticket_lists import tenant_zone
from ..i18n import current_locale, translate
from .common import POLICY, queue_labels, tenant_session
from .views import day_arg, local

#: The actions shown, in the order the filter offers them (their labels are UI strings).
ACTIONS = ("recording.listen", "live.listen", "live.whisper", "live.barge", "recording.start", "recording.policy",
           "recording.policy_removed", "recording.purged", "evaluation.create", "evaluation.appeal",
           "evaluation.resolve", "score_sheet.save", "score_sheet.publish")
MAX_ROWS = 500
MAX_DAYS = 366


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/audit", "audit", audit_page, methods=["GET"])


def audit_page() -> ResponseReturnValue:
    action = request.args.get("action", "")
    if action and action not in ACTIONS:
        raise BadRequest(f"action: {action[:64]!r} is not one of the quality area's actions")
    actor = request.args.get("actor", "").strip()[:64]
    with tenant_session(POLICY) as (session, who):
        assert who.tenant is not None
        zone = tenant_zone(session)
        today = datetime.now(UTC).astimezone(zone).date()
        start, end = day_arg("start", today - timedelta(days=30)), day_arg("end", today)
        if end < start or (end - start).days > MAX_DAYS:
            raise BadRequest(f"end: from the start day up to {MAX_DAYS} days later")
        query = (select(AuditEntry).where(
            AuditEntry.tenant_id == who.tenant.tenant_id, AuditEntry.action.in_([action] if action else ACTIONS),
            AuditEntry.at >= datetime.combine(start, time(), zone).astimezone(UTC),
            AuditEntry.at < datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(MAX_ROWS + 1))
        if actor:
            query = query.where(AuditEntry.actor == actor)
        entries = list(session.scalars(query))
        queues = queue_labels(session)
        rows = [{"at": local(e.at, zone), "actor": e.actor, "action": e.action,
                 "call": e.object_id if e.object_type in ("call", "call_record") else None,
                 "object": _object_label(e, queues)} for e in entries[:MAX_ROWS]]
    return render_template("quality/audit.html", rows=rows, actions=ACTIONS, action=action, actor=actor,
                           start=start.isoformat(), end=end.isoformat(), more=len(entries) > MAX_ROWS)


def _object_label(entry: AuditEntry, queues: dict[str, str]) -> str:
    """What a policy change was about in words: the tenant's default ("*") or the queue's label, not its name
    (QA 15 round 4 #5); other entries name their call or object as stored."""
    if entry.object_type == "recording_policy":
        if entry.object_id == "*":
            return translate("Tenant default", current_locale())
        return queues.get(entry.object_id, entry.object_id)
    return entry.object_id
