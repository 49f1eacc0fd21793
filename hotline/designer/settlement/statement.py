"""The monthly statement of a vendor (月度结算单): the live computation or a signed version, its Excel export, the
month's entries (business and overall scores, achieved targets, penalties) and the sign-off.

GET /settlement/vendors/<id>/statement?month=YYYY-MM[&version=N][&format=xlsx]
POST /settlement/vendors/<id>/month (entries), POST /settlement/vendors/<id>/sign (sign off: the next version).
Missing inputs are listed instead of a statement, and signing is refused while any is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform.services.ticket_lists import tenant_zone
from ...platform.settlement import records, statements, workbook
from ...platform.settlement.formula import MissingInputs
from ...platform.settlement.inputs import Month, contract_for
from ..auth import principal
from ..i18n import current_locale, translate
from .common import EDIT, READ, SIGN, month_arg, tenant_session, worded


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/vendors/<int:vendor_id>/statement", "statement", page, methods=["GET"])
    bp.add_url_rule("/vendors/<int:vendor_id>/month", "month", save_month, methods=["POST"])
    bp.add_url_rule("/vendors/<int:vendor_id>/sign", "sign", sign, methods=["POST"])


def _tr(text: str) -> str:
    return translate(text, current_locale())


def _entries(session: Any, vendor_id: int, month: Month) -> dict[str, Any]:
    from sqlalchemy import select

    from ...platform.models import VendorMonth

    row = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == vendor_id,
                                                    VendorMonth.month == month.text)).first()
    contract = contract_for(session, vendor_id, month)
    terms = contract.terms if contract else {}
    return {"business": str(row.business_score) if row and row.business_score is not None else "",
            "overall": str(row.overall_score) if row and row.overall_score is not None else "",
            "achieved": dict(row.achieved) if row else {}, "penalties": dict(row.penalties) if row else {},
            "note": row.note if row else "", "targets": terms.get("targets", []),
            "rules": terms.get("penalty_rules", [])}


def score_notes(record: dict[str, Any] | None, locale: str, zone_name: str) -> list[tuple[str, str, str]]:
    """(score label, value, how it was obtained) per score, in the reader's language; [] for a statement signed
    before the record kept its scores' sources."""
    sources = (record or {}).get("score_sources")
    if not sources:
        return []
    from ...platform.settlement.assessment import LABELS

    language = "en" if locale == "en" else "zh_CN"

    def tr(text: str) -> str:
        return translate(text, locale)

    out = []
    for name, label in (("quality", "Quality score"), ("business", "Business score"), ("overall", "Overall score")):
        source = sources.get(name, {})
        how = source.get("how")
        if how == "entered":
            # signed before the zone was kept with the time: the time was already the tenant's (scores.py)
            said = tr("entered by {who} at {at} ({zone})").format(who=source.get("by", ""), at=source.get("at", ""),
                                                                  zone=source.get("zone") or zone_name)
        elif how == "computed" and name == "business":
            each = tr("{metric} {value} ÷ target {target} × weight {weight} → {score}")
            parts = ("; " if language == "en" else "；").join(
                each.format(**{**part, "metric": LABELS[part["metric"]][language]}) for part in source.get("parts", []))
            said = tr("computed: {parts}").format(parts=parts)
        elif how == "computed" and name == "overall":
            said = tr("computed: quality × {quality} + business × {business}").format(**source.get("weights", {}))
        elif how == "computed":
            said = tr("computed from the month's QA evaluations")
        else:
            said = tr("not available")
        value = (record or {}).get("scores", {}).get(name)
        out.append((tr(label), str(workbook.two(value)) if value is not None else "—", said))
    return out


def local_time(stamp: datetime | None, zone: ZoneInfo) -> str:
    """A stored instant as the tenant reads it: its wall-clock time in the tenant's zone. Stored instants are UTC;
    SQLite gives them back naive, which `astimezone` would take for the server's own zone."""
    if stamp is None:
        return ""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def signed_line(signed: Any, zone: ZoneInfo) -> str:
    """"Signed version N by WHO, WHEN (ZONE)" in the reader's language, for the page and the Excel export."""
    return _tr("Signed version {version} by {who}, {at} ({zone})").format(
        version=signed.version, who=signed.signed_by, at=local_time(signed.signed_at, zone), zone=zone.key)


def _render(session: Any, tenant_id: int, vendor_id: int, month: Month, *, version: int | None,
            problems: list[str] | None = None, typed: dict[str, Any] | None = None) -> tuple[str, Any] | str:
    row_vendor = statements.vendor(session, vendor_id)
    signed = None
    if version is not None:
        signed = statements.signed(session, vendor_id, month.text, version)
        record, result, missing = signed.inputs, signed.result, []
    else:
        found = statements.preview(session, tenant_id, row_vendor, month)
        record, result, missing = found.record, found.result, found.missing
    table = workbook.rows(record, result, _tr) if result is not None and record is not None else []
    hours = workbook.hours_rows(record, _tr) if table else []
    who = principal()
    zone = tenant_zone(session)
    versions = [{"version": v.version, "signed_by": v.signed_by, "signed_at": local_time(v.signed_at, zone),
                 "total": v.total} for v in statements.versions(session, vendor_id, month.text)]
    return render_template(
        "settlement/statement.html", vendor=row_vendor, month=month.text, signed=signed, record=record,
        table=table, hours=hours, score_notes=score_notes(record, current_locale(), zone.key),
        signed_line=signed_line(signed, zone) if signed else "", zone=zone.key,
        missing=[m.text(_tr) for m in missing], versions=versions,
        entries=typed or _entries(session, vendor_id, month), problems=problems or [],
        may_edit=bool(who and who.may(EDIT)), may_sign=bool(who and who.may(SIGN)))


def page(vendor_id: int) -> ResponseReturnValue:
    raw_version = request.args.get("version", "").strip()
    if raw_version and not raw_version.isdigit():
        raise BadRequest(f"version: {raw_version[:20]!r} is not a whole number")
    version = int(raw_version) if raw_version else None
    with tenant_session(READ) as (session, who):
        assert who.tenant is not None
        month = month_arg(session)
        if request.args.get("format") == "xlsx":
            return _xlsx(session, who.tenant.tenant_id, vendor_id, month, version)
        return _render(session, who.tenant.tenant_id, vendor_id, month, version=version)


def _xlsx(session: Any, tenant_id: int, vendor_id: int, month: Month, version: int | None) -> ResponseReturnValue:
    row_vendor = statements.vendor(session, vendor_id)
    if version is not None:
        signed = statements.signed(session, vendor_id, month.text, version)
        record, result = signed.inputs, signed.result
        state = signed_line(signed, tenant_zone(session))
    else:
        found = statements.preview(session, tenant_id, row_vendor, month)
        if found.result is None or found.record is None:
            raise BadRequest("; ".join(m.text(_tr) for m in found.missing))
        record, result, state = found.record, found.result, _tr("Not signed off (computed now)")
    title = [f"{record['vendor']['title']} · {_tr('Monthly statement')} {month.text}", state,
             f"{_tr('Contract')}: {record['contract']['title']}"]
    body = workbook.to_xlsx(title, workbook.rows(record, result, _tr), month.text,
                            more=((_tr("Hours per agent"), workbook.hours_rows(record, _tr)),))
    suffix = f"-v{version}" if version is not None else ""
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={
        "Content-Disposition": f"attachment; filename=statement-{row_vendor.name}-{month.text}{suffix}.xlsx"})


def save_month(vendor_id: int) -> ResponseReturnValue:
    form = request.form
    achieved = {k.removeprefix("achieved_"): v for k, v in form.items() if k.startswith("achieved_")}
    penalties = {k.removeprefix("penalty_"): v for k, v in form.items() if k.startswith("penalty_")}
    month_text = form.get("month", "")
    try:
        with tenant_session(EDIT) as (session, who):
            month = month_arg(session, form)
            records.save_month(session, vendor_id, month.text, form.get("business_score", ""),
                               form.get("overall_score", ""), achieved, penalties, form.get("note", ""),
                               who.username)
    except records.InvalidSettlementInput as exc:
        with tenant_session(EDIT) as (session, who):
            assert who.tenant is not None
            month = month_arg(session, form)
            typed = _entries(session, vendor_id, month) | {
                "business": form.get("business_score", ""), "overall": form.get("overall_score", ""),
                "achieved": achieved, "penalties": penalties, "note": form.get("note", "")}
            return _render(session, who.tenant.tenant_id, vendor_id, month, version=None, problems=worded(exc.problems),
                           typed=typed), 400
    flash(_tr("Entries saved."))
    return redirect(url_for("settlement.statement", vendor_id=vendor_id, month=month_text))


def sign(vendor_id: int) -> ResponseReturnValue:
    try:
        with tenant_session(SIGN) as (session, who):
            assert who.tenant is not None
            month = month_arg(session, request.form)
            row = statements.sign(session, who.tenant.tenant_id, statements.vendor(session, vendor_id), month,
                                  who.username)
            version = row.version
    except MissingInputs as exc:
        with tenant_session(SIGN) as (session, who):
            assert who.tenant is not None
            month = month_arg(session, request.form)
            return _render(session, who.tenant.tenant_id, vendor_id, month, version=None,
                           problems=[_tr("Not signed off: inputs are missing.")] +
                           [m.text(_tr) for m in exc.missing]), 400
    flash(_tr("Statement signed off as version {version}.").format(version=version))
    return redirect(url_for("settlement.statement", vendor_id=vendor_id, month=month.text, version=version))
