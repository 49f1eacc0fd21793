"""Saved report definitions from the report page: save the report on screen under a name (optionally e-mailed
on a schedule, platform/reports/saved.py), delete one. Split from reports.py (the report page)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import NotFound

from ...platform.models import SavedReport
from ...platform.reports import saved
from ...platform.services.errors import InvalidDocument
from ..i18n import current_locale, translate
from ..request_input import checks_own_text
from .common import SUPERVISE, tenant_session
from .reports import (
    ReportInputError,
    arguments,
    form_with_errors,
    problem_messages,
    render_report,
    unknown_filters,
)

#: The save form's own fields: a problem only with these leaves the report itself good to show.
SAVE_FIELDS = frozenset({"name", "schedule", "recipients"})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports/saved", "report_save", report_save, methods=["POST"])
    bp.add_url_rule("/reports/saved/<int:report_id>/delete", "report_delete", report_delete, methods=["POST"])


@checks_own_text("name")
def report_save() -> ResponseReturnValue:
    """Saves the report on screen (its arguments) under a name, optionally e-mailed on a schedule. A bad
    definition shows the form again with every problem in the reader's language and what was typed kept."""
    form = request.form
    # an over-long name is refused (saved.problems) and kept whole to fix, never cut to fit (QA 14)
    typed = {"name": form.get("name", "")[:2000], "schedule": form.get("schedule", "")[:20],
             "recipients": form.get("recipients", "")[:2000]}
    found: list[tuple[str, str, dict[str, str]]] = []
    try:
        params = arguments(form)
    except ReportInputError as exc:
        found, params = list(exc.problems), {k: form.get(k, "") for k in saved.PARAMS}
    try:
        with tenant_session(SUPERVISE) as (session, who):
            found += unknown_filters(session, who.tenant.tenant_id, params)
            if found:  # the definition's own checks too, so every problem is listed at once
                found += [p for p in saved.problems(typed["name"], params, typed["schedule"], typed["recipients"])
                          if p[0] not in {f for f, _t, _v in found}]
                raise ReportInputError(found)
            row = saved.save(session, who.tenant.tenant_id, typed["name"], params, typed["schedule"],
                             typed["recipients"], who.username)
            name = row.name
    except ReportInputError as exc:
        return _refused(exc.problems, form, _shown(typed))
    except InvalidDocument as exc:
        return _refused(getattr(exc, "problems", []), form, _shown(typed))
    flash(translate("Report saved: %(name)s", current_locale()) % {"name": name}, "success")
    return redirect(url_for("supervision.reports", **{k: v for k, v in params.items() if v}))


def _shown(typed: dict[str, str]) -> dict[str, str]:
    """What was typed, to show again: all of it but a NUL byte, which no page can show (the error names where
    it was)."""
    return {key: value.replace("\x00", "") for key, value in typed.items()}


def _refused(problems: list[tuple[str, str, dict[str, str]]], form: Any, typed: dict[str, str]) -> ResponseReturnValue:
    """A refused save: the report on screen again with its figures and chart when its own arguments are good (only
    the name, schedule or recipients were refused), else the form alone; every problem listed, the input kept."""
    if not {field for field, _t, _v in problems} - SAVE_FIELDS:
        try:
            return render_report(form, problem_messages(problems, current_locale()), typed, 400)
        except ReportInputError:
            pass
    return form_with_errors(problems, form, typed)


def report_delete(report_id: int) -> ResponseReturnValue:
    with tenant_session(SUPERVISE) as (session, _who):
        row = session.get(SavedReport, report_id)  # the tenant session: another tenant's id is None
        if row is None:
            raise NotFound()
        session.delete(row)
    return redirect(url_for("supervision.reports"))
