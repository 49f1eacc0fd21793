"""The IVR funnel as JSON for the designer canvas: GET /supervision/api/funnel?ivr=<name>&version=<n>
[&compare=<m>]&from=&to= (days in the tenant's zone, default the last 7). Analysts, supervisors and tenant admins.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Document, DocumentVersion, Role, Tenant
from ...platform.reports.funnel import funnel, versions
from ...platform.reports.periods import TOO_LONG, PeriodError, parse
from ...platform.wallboard.today import tenant_zone
from ..i18n import current_locale, translate
from .common import tenant_session
from .reports import NAME_OF_IVR, NOT_A_VERSION, problem_messages, refuse

NO_SUCH_IVR = "No IVR is called %(name)s in this tenant."
NO_SUCH_VERSION = "The IVR %(name)s has no version %(version)s."
SAME_VERSION = "a version cannot be compared with itself (both are version %(version)s); pick another one"
VERSION_LABEL = "Version %(number)s · %(date)s"


def version_choice(number: int, published_at: datetime, note: str | None, zone: ZoneInfo) -> dict[str, Any]:
    """A published version as the pickers offer it: number, publication time in the tenant's zone and note, in one
    label (第3版 · 2026-12-01 10:00 · 新增夜间菜单), never a bare id to type."""
    at = (published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)).astimezone(zone)
    when = at.strftime("%Y-%m-%d %H:%M")
    text = translate(VERSION_LABEL, current_locale()) % {"number": number, "date": when}
    note = (note or "").strip()
    return {"number": number, "published_at": when, "note": note,
            "label": f"{text} · {note[:40]}{'…' if len(note) > 40 else ''}" if note else text}

READ_FUNNEL = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.TENANT_ADMIN})


FUNNEL_TOO_LONG = "%(days)s days is too long a range for a funnel (at most %(most)s)"


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/funnel", "api_funnel", funnel_api, methods=["GET"])


def _version(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        refuse(name, NOT_A_VERSION, value=repr(raw[:20]))
    return int(raw)


def funnel_api() -> ResponseReturnValue:
    document = request.args.get("ivr", "main").strip()
    if not document or len(document) > 64:
        refuse("ivr", NAME_OF_IVR)
    version, compare = _version("version"), _version("compare")
    with tenant_session(READ_FUNNEL) as (session, who):
        tenant_id = who.tenant.tenant_id
        tenant = session.get(Tenant, tenant_id)
        zone = tenant_zone(tenant.settings if tenant else None)
        try:
            period = parse(request.args.get("from", "")[:10], request.args.get("to", "")[:10], "total", zone,
                           datetime.now(UTC).astimezone(zone).date())
        except PeriodError as exc:  # the reason, in the reader's language, for the designer to show
            # A funnel has no grouping: its range is too long for a funnel, not "for this grouping" (QA 14 item 8).
            problems = [(f, FUNNEL_TOO_LONG if t == TOO_LONG else t, v) for f, t, v in exc.problems]
            errors = problem_messages(problems, current_locale())
            return jsonify({"error": "; ".join(e["message"] for e in errors), "errors": errors}), 400
        rows = session.execute(
            select(DocumentVersion.number, DocumentVersion.published_at, DocumentVersion.note)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(Document.tenant_id == tenant_id, Document.kind == "ivr", Document.name == document)
            .order_by(DocumentVersion.number.desc())).all()
        published = [number for number, _at, _note in rows]
        known = versions(session, tenant_id, document)
        if not published and not known:
            return jsonify({"error": translate(NO_SUCH_IVR, current_locale()) % {"name": document}}), 404
        if version is None:
            version = known[0] if known else published[0]
        for asked in (version, compare):
            if asked is not None and asked not in published and asked not in known:
                return jsonify({"error": translate(NO_SUCH_VERSION, current_locale())
                                % {"name": document, "version": asked}}), 404
        if compare is not None and compare == version:
            refuse("compare", SAME_VERSION, version=str(version))
        body = {"from": period.first.isoformat(), "to": period.last.isoformat(), "timezone": zone.key,
                "versions": known, "published": [version_choice(number, at, note, zone) for number, at, note in rows],
                "funnel": funnel(session, tenant_id, document, version, period)}
        if compare is not None:
            body["compare"] = funnel(session, tenant_id, document, compare, period)
    return jsonify(body)
