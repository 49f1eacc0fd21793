"""The shift import in the background: POST /schedules/import stores the upload and queues it, then
GET /schedules/imports/<id> shows its progress bar and line errors (polling GET /schedules/api/imports/<id>).

The file is imported by an RQ job (platform/schedules/import_jobs.py), so a month of a large site neither holds
a web worker nor runs past the request deadline half imported. Another tenant's import is a 404 (the session is
scoped).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...platform.jobs.imports import enqueue_shift_import
from ...platform.schedules import import_jobs, imports
from ...platform.services.notifications import after_commit
from ...platform.services.ticket_lists import tenant_zone
from .. import quotas
from ..redis_access import job_queues
from ..request_input import large_body
from .common import PLAN, tenant_session, words


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/import", "import_file", import_file, methods=["POST"])
    bp.add_url_rule("/imports/<int:job_id>", "import_job", import_job, methods=["GET"])
    bp.add_url_rule("/api/imports/<int:job_id>", "import_progress", import_progress, methods=["GET"])


@large_body(import_jobs.MAX_FILE_BYTES + 64 * 1024)
def import_file() -> ResponseReturnValue:
    """Stores the upload and queues its import once the transaction commits; the progress page follows."""
    week = request.form.get("week") or None
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(words("Choose a file to import"), "error")
        return redirect(url_for("schedules.week", week=week))
    content = upload.read(import_jobs.MAX_FILE_BYTES + 1)
    with tenant_session(PLAN) as (session, who):
        quotas.enforce("import", who.tenant.tenant_id)
        try:
            with session.begin_nested():
                job = import_jobs.create(session, upload.filename, content, who.username)
        except import_jobs.UploadRefused as exc:
            flash(words("Line %(line)s: %(reason)s", {"line": 1, "reason": words(exc.key, exc.params)}), "error")
            return redirect(url_for("schedules.week", week=week))
        queue, tenant_id, job_id = job_queues().default, job.tenant_id, job.id
        after_commit(session, lambda: enqueue_shift_import(queue, tenant_id, job_id))
    return redirect(url_for("schedules.import_job", job_id=job_id))


def _worded(job: dict[str, Any]) -> dict[str, Any]:
    """The job's report with each line error in the reader's language (the stored keys are English)."""
    job["errors"] = [{"line": e["line"], "reason": words(e["key"], e["params"]) if e["key"] else ""}
                     for e in job["errors"]]
    return job


def import_job(job_id: int) -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, _who):
        job = _worded(import_jobs.as_dict(import_jobs.get(session, job_id)))
        return render_template("schedules/import_job.html", job=job, zone=tenant_zone(session).key,
                               max_lines=imports.MAX_LINES)


def import_progress(job_id: int) -> ResponseReturnValue:
    with tenant_session(PLAN) as (session, _who):
        job = _worded(import_jobs.as_dict(import_jobs.get(session, job_id)))
    return jsonify(job)
