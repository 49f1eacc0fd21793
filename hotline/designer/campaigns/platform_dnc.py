"""The platform-wide do-not-call list (regulators' registers, complaints to the operator): numbers no campaign of
any tenant dials. `/campaigns/platform-dnc` — platform operators only (403 for anyone else, tenant admins
included: a tenant must not lift a number the operator barred, nor see who else complained).

The numbers are checked with the tenant's own list at every claim (platform/outbound/dnc.py), so an entry added
here stops the next dial of every tenant.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from ...platform.models import PlatformDncEntry
from ...platform.outbound import dnc
from ...platform.services.errors import NotFound
from ..auth import Principal, database, require_user
from .forms import DncForm
from .messages import error_words

PAGE = 200


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/platform-dnc", "platform_dnc", platform_dnc, methods=["GET", "POST"])
    bp.add_url_rule("/platform-dnc/<int:entry_id>/delete", "platform_dnc_delete", platform_dnc_delete,
                    methods=["POST"])


def _operator() -> Principal:
    who = require_user()
    if not who.is_platform_operator:
        abort(403, "only platform operators manage the platform-wide do-not-call list")
    return who


def platform_dnc() -> ResponseReturnValue:
    who = _operator()
    form = DncForm()
    status = 200
    with database().platform() as session:
        if request.method == "POST":
            status = 422
            if form.validate_on_submit():
                try:
                    with session.begin_nested():
                        dnc.add_platform(session, form.phone.data or "", "operator", who.username,
                                         form.note.data or "")
                except ValueError as exc:
                    form.phone.errors = [*form.phone.errors, error_words(exc)]
                else:
                    flash({"text": "Added to the platform-wide do-not-call list."})
                    return redirect(url_for("campaigns.platform_dnc"))
        entries = list(session.scalars(select(PlatformDncEntry).order_by(PlatformDncEntry.created_at.desc(),
                                                                          PlatformDncEntry.id.desc()).limit(PAGE)))
        total = session.scalar(select(func.count()).select_from(PlatformDncEntry))
        return render_template("campaigns/platform_dnc.html", form=form, entries=entries, total=total), status


def platform_dnc_delete(entry_id: int) -> ResponseReturnValue:
    _operator()
    with database().platform() as session:
        if not dnc.remove_platform(session, entry_id):
            raise NotFound(f"platform do-not-call entry {entry_id} not found")
    flash({"text": "Removed from the platform-wide do-not-call list."})
    return redirect(url_for("campaigns.platform_dnc"))
