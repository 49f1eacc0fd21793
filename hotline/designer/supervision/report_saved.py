"""Saved report definitions from the report page: save the report on screen under a name (optionally e-mailed
on a schedule, platform/reports/saved.py), delete one. Split from reports.py (the report page)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from ...platform.models import SavedReport
from ...platform.reports import saved
from ...platform.services.errors import InvalidDocument
from ..i18n import current_locale, translate
from .common import SUPERVISE, tenant_session
from .reports import ReportInputError, arguments, form_with_errors


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/saved", "report_save", report_save, methods=["POST"])
    bp.add_url_rule("/reports/saved/<int:report_id>/delete", "report_delete", report_delete, methods=["POST"])


def report_save() -> ResponseReturnValue:
    """Saves the report on screen (its arguments) under a name, optionally e-mailed on a schedule. A bad
    definition shows the form again with every problem in the reader's language and what was typed kept."""
    form = request.form
    typed = {"name": form.get("name", "")[:200], "schedule": form.get("schedule", "")[:20],
             "recipients": form.get("recipients", "")[:2000]}
    found: list[tuple[str, str, dict[str, str]]] = []
    try:
        params = arguments(form)
    except ReportInputError as exc:
        found, params = list(exc.problems), {k: form.get(k, "") for k in saved.PARAMS}
    try:
        with tenant_session(SUPERVISE) as (session, who):
            if found:  # the definition's own checks too, so every problem is listed at once
                found += [p for p in saved.problems(typed["name"], params, typed["schedule"], typed["recipients"])
                          if p[0] not in {f for f, _t, _v in found}]
                raise ReportInputError(found)
            row = saved.save(session, who.tenant.tenant_id, typed["name"], params, typed["schedule"],
                             typed["recipients"], who.username)
            name = row.name
    except ReportInputError as exc:
        return form_with_errors(exc.problems, form, typed)
    except InvalidDocument as exc:
        return form_with_errors(getattr(exc, "problems", []), form, typed)
    flash(translate("Report saved: %(name)s", current_locale()) % {"name": name}, "success")
    return redirect(url_for("supervision.reports", **{k: v for k, v in params.items() if v}))


def report_delete(report_id: int) -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        row = session.get(SavedReport, report_id)  # the tenant session: another tenant's id is None
        if row is None:
            raise NotFound()
        session.delete(row)
    return redirect(url_for("supervision.reports"))
