"""The call windows of the tenant's always-on call-task campaign (回呼与回访任务: IVR bookings, abandoned-call
callbacks, return visits), which has no creation form of its own: `/campaigns/tasks/windows`.

Campaign operators and tenant admins, the tenant's own campaign only (the tenant session finds no other). Bad
input keeps the stored windows and is shown on its field: a line of the text by its number, a service finding by
its JSON Pointer.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...platform.outbound import campaigns, task_campaign
from ...platform.services.errors import InvalidDocument
from ..i18n import current_locale
from . import finding_words, settings_errors
from .common import OPERATE, tenant_session
from .forms import TaskWindowsForm, parse_windows, show_windows


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/tasks/windows", "task_windows", task_windows, methods=["GET", "POST"])


def task_windows() -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, _who):
        campaign = task_campaign.tasks_campaign(session)
        stored = campaign.windows or {}
        form = TaskWindowsForm(data=None if request.method == "POST" else {
            "timezone": stored.get("timezone") or "", "windows": show_windows(stored.get("windows") or [])})
        status = 200
        if request.method == "POST":
            status = 422
            if form.validate_on_submit():
                try:
                    campaigns.set_windows(session, campaign, {"timezone": (form.timezone.data or "").strip(),
                                                              "windows": parse_windows(form.windows.data)})
                except InvalidDocument as exc:
                    for finding in exc.findings:
                        field = form.timezone if finding.pointer.startswith("/windows/timezone") else form.windows
                        field.errors = [*field.errors, finding_words.words(finding, None, current_locale())]
                else:
                    flash({"text": "Call windows saved."})
                    return redirect(url_for("campaigns.task_windows"))
            else:  # every window line at once, beside the zone's error (QA 13f #5)
                settings_errors.add(form, None)
        return render_template("campaigns/task_windows.html", form=form, campaign=campaign), status
