"""Vendor assessment (外包考核) and SLA monitoring: the comparison of sites side by side (self-operated first),
the tenant's thresholds, and the alerts raised when a vendor is past one.

GET /settlement/assessment?month=YYYY-MM; POST /settlement/assessment/thresholds (tenant admins);
POST /settlement/assessment/check raises the month's alerts (tenant admins; supervisors read).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...platform.models import Vendor
from ...platform.models.vendors import ASSESSMENT_METRICS
from ...platform.settlement import assessment as service
from ...platform.settlement.inputs import Month, contract_for
from ...platform.settlement.scores import business_score
from ..i18n import current_locale, translate
from .common import EDIT, READ, month_arg, tenant_session, worded


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/assessment", "assessment", page, methods=["GET"])
    bp.add_url_rule("/assessment/thresholds", "thresholds", save_thresholds, methods=["POST"])
    bp.add_url_rule("/assessment/check", "check", check, methods=["POST"])


def _tr(text: str) -> str:
    return translate(text, current_locale())


def _render(session: Any, tenant_id: int, month: Month, problems: list[str] | None = None,
            typed: dict[str, Any] | None = None) -> str:
    rows = service.figures(session, tenant_id, month)
    limits = service.thresholds(session)
    for row in rows:
        row["breaches"] = service.breaches(row, limits)
        # the business score the vendor's statement is settled on unless one is entered (settlement/scores.py)
        contract = contract_for(session, row["vendor_id"], month)
        row["business_score"] = business_score(contract.terms if contract else {}, row)[0]
    titles = {v.id: v.title for v in session.query(Vendor)}
    alerts = [{"vendor": titles.get(a.vendor_id, "?"), "metric": a.metric, "value": a.value, "limit": a.limit,
               "sent": len(a.notifications or [])} for a in service.alerts(session, month)]
    settings = typed or {m: {"limit": "" if m not in limits else
                             f"{limits[m].maximum if m in service.LOWER_IS_BETTER else limits[m].minimum:g}",
                             "recipients": recipients_text(limits[m].recipients or [])}
                         if m in limits else {"limit": "", "recipients": ""} for m in ASSESSMENT_METRICS}
    return render_template("settlement/assessment.html", month=month.text, rows=rows, metrics=ASSESSMENT_METRICS,
                           lower=service.LOWER_IS_BETTER, settings=settings, alerts=alerts, problems=problems or [])


#: An alert recipient's channel by the words readers see (the notification log's labels), never the stored code.
CHANNEL_LABELS = {"sms": "Text message", "email": "E-mail", "webhook": "Webhook"}


def recipients_text(recipients: list[dict[str, str]]) -> str:
    """The recipients box: one "label:recipient" a line, the channel in the reader's language (task 15c item 5:
    the box showed the stored "sms:138…")."""
    return "\n".join(f"{_tr(CHANNEL_LABELS.get(r['channel'], r['channel']))}:{r['to']}" for r in recipients)


def coded(text: str) -> str:
    """The recipients as typed, each line's channel label (in either language, any case; a full-width colon too)
    turned back into its code; an unknown channel is left as typed, for the service to name."""
    words = {code: code for code in CHANNEL_LABELS}
    for code, english in CHANNEL_LABELS.items():
        for locale in ("en", "zh_CN"):
            words[translate(english, locale).casefold()] = code
        words[english.casefold()] = code
    lines = []
    for line in text.splitlines():
        channel, colon, to = line.replace("：", ":", 1).partition(":")
        code = words.get(channel.strip().casefold())
        lines.append(f"{code}:{to}" if colon and code else line)
    return "\n".join(lines)


def page() -> ResponseReturnValue:
    with tenant_session(READ) as (session, who):
        assert who.tenant is not None
        return _render(session, who.tenant.tenant_id, month_arg(session))


def save_thresholds() -> ResponseReturnValue:
    form = request.form
    typed = {m: {"limit": form.get(f"limit_{m}", ""), "recipients": form.get(f"recipients_{m}", "")}
             for m in ASSESSMENT_METRICS}
    problems: list[str] = []
    try:
        with tenant_session(EDIT) as (session, _who):
            for metric, values in typed.items():
                try:
                    service.save_threshold(session, metric, values["limit"], coded(values["recipients"]))
                except service.InvalidThreshold as exc:
                    problems += exc.problems
            if problems:
                raise service.InvalidThreshold(problems)
    except service.InvalidThreshold:
        with tenant_session(EDIT) as (session, who):
            assert who.tenant is not None
            return _render(session, who.tenant.tenant_id, month_arg(session, form), worded(problems), typed), 400
    flash(_tr("Thresholds saved."))
    return redirect(url_for("settlement.assessment", month=form.get("month", "")))


def check() -> ResponseReturnValue:
    with tenant_session(EDIT) as (session, who):
        assert who.tenant is not None
        month = month_arg(session, request.form)
        raised = service.check_alerts(session, who.tenant.tenant_id, month, current_locale())
    flash(_tr("{count} new alerts.").format(count=len(raised)))
    return redirect(url_for("settlement.assessment", month=month.text))
