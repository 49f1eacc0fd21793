"""Directory and coverage: couriers, technicians and branches with the areas they cover.

Everyone working the tenant's calls can look up who covers an address and notify them (the page uses the same
JSON endpoints as the desk); tenant admins and analysts create directories and edit entries.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import DirectoryEntry
from ...platform.services import directory_admin
from ...platform.services.errors import Duplicate, InvalidDocument
from .common import MANAGE, can_manage, tenant_session


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/directory", "directory_index", directory_index, methods=["GET"])
    bp.add_url_rule("/directory/new", "directory_new", directory_new, methods=["POST"])
    bp.add_url_rule("/directory/<name>/entries/new", "directory_entry_new", entry_edit, methods=["GET", "POST"])
    bp.add_url_rule("/directory/entries/<int:entry_id>", "directory_entry_edit", entry_edit, methods=["GET", "POST"])


def directory_index() -> ResponseReturnValue:
    with tenant_session() as (session, who):
        found = directory_admin.directories(session)
        entries = {d.id: [] for d in found}
        for entry in session.scalars(select(DirectoryEntry).order_by(DirectoryEntry.id)):
            entries.setdefault(entry.directory_id, []).append(entry)
        return render_template("records/directory.html", directories=found, entries=entries,
                               manage=can_manage(who), kinds=directory_admin.KINDS,
                               address=request.args.get("address", ""), ticket=request.args.get("ticket", ""))


def directory_new() -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, who):
        try:
            directory_admin.create_directory(session, request.form.get("name", ""), request.form.get("label", ""),
                                             request.form.get("kind", ""), who.username)
        except (InvalidDocument, Duplicate) as exc:
            message = "; ".join(f.message for f in exc.findings) if isinstance(exc, InvalidDocument) else str(exc)
            flash(message, "error")
            return redirect(url_for("records.directory_index"))
    flash("Saved")
    return redirect(url_for("records.directory_index"))


def entry_edit(name: str | None = None, entry_id: int | None = None) -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, who):
        entry = directory_admin.get_entry(session, entry_id) if entry_id is not None else None
        directory = entry.directory if entry is not None else directory_admin.get_directory(session, name or "")
        if request.method == "POST":
            values = {key: request.form.get(key, "") for key in ("name", "phone", "branch", "areas", "kind",
                                                                  "skills")}
            values["active"] = "1" if request.form.get("active") else ""
        elif entry is not None:
            values = {"name": entry.name, "phone": entry.phone, "branch": entry.branch,
                      "areas": "\n".join(map(str, entry.areas or [])), "active": "1" if entry.active else "",
                      "kind": entry.kind or "", "skills": "、".join(map(str, entry.skills or []))}
        else:
            values = {"name": "", "phone": "", "branch": "", "areas": "", "active": "1", "kind": "", "skills": ""}
        errors: dict[str, str] = {}
        if request.method == "POST":
            try:
                directory_admin.save_entry(session, directory, entry_id=entry_id, name=values["name"],
                                           phone=values["phone"], branch=values["branch"], areas=values["areas"],
                                           active=bool(values["active"]), actor=who.username,
                                           kind=values["kind"], skills=values["skills"])
            except InvalidDocument as exc:
                errors = {f.pointer.strip("/"): f.message for f in exc.findings}
            else:
                flash("Saved")
                return redirect(url_for("records.directory_index"))
        return render_template("records/directory_entry.html", directory=directory, entry=entry, values=values,
                               errors=errors, kinds=directory_admin.KINDS), (422 if errors else 200)
