"""Data tables (the IVR lookup node's built-in tables) over JSON: list, read, upsert and delete rows, import a
CSV/.xlsx file as a background job (202 with the job; its progress and per-line report at
`/data-tables/imports/<id>`), export CSV. Tenant-scoped by the session; reading is for every role of
the tenant, changing for analysts and tenant admins. The work is services/data_tables.py's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

from ...platform.jobs.imports import enqueue_table_import
from ...platform.models import ImportJob
from ...platform.services import data_tables, import_jobs, table_import_jobs
from ...platform.services.import_jobs import MAX_FILE_BYTES
from ...platform.services.notifications import after_commit
from .. import quotas
from ..auth import READ_DOCUMENTS, WRITE_DOCUMENTS, database, require_tenant
from ..i18n import current_locale, translate
from ..redis_access import job_queues
from .errors import json_error

IMPORT_ENDPOINT = "api.data_tables.import_rows"


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name!r} must be a whole number, not {raw[:40]!r}") from None


def _raise_upload_limit() -> ResponseReturnValue | None:
    """An import may be larger than the app's JSON limit, up to the import's own limit."""
    if request.endpoint != IMPORT_ENDPOINT:
        return None
    if request.content_length is not None and request.content_length > MAX_FILE_BYTES + 1024 * 1024:
        return json_error(413, f"the file may be at most {MAX_FILE_BYTES // 1024 // 1024} MB")
    request.max_content_length = MAX_FILE_BYTES + 1024 * 1024
    return None


def _job_dict(session: Session, job: ImportJob) -> dict[str, Any]:
    """The job as the progress endpoint shows it: counts, per-line errors, the status and its label."""
    body = import_jobs.as_dict(job)
    body["table"] = table_import_jobs.table_of(session, job)
    body["updated"] = body.pop("merged")
    body["status_label"] = translate(job.status, current_locale())
    body["progress"] = f"/api/data-tables/imports/{job.id}"
    return body


def blueprint() -> Blueprint:
    bp = Blueprint("data_tables", __name__)

    @bp.record_once
    def _install_limit(state) -> None:  # type: ignore[no-untyped-def]
        state.app.before_request_funcs.setdefault(None, []).insert(0, _raise_upload_limit)

    @bp.get("/data-tables")
    def list_tables() -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        with database().tenant(who.tenant.tenant_id) as session:
            return jsonify(tables=data_tables.tables(session))

    @bp.get("/data-tables/<name>/rows")
    def list_rows(name: str) -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        limit, offset = _int_arg("limit", 100), _int_arg("offset", 0)
        with database().tenant(who.tenant.tenant_id) as session:
            found, total = data_tables.rows(session, name, prefix=request.args.get("prefix", ""), limit=limit,
                                            offset=offset)
        return jsonify(rows=found, total=total)

    @bp.get("/data-tables/<name>/rows/<key>")
    def get_row(name: str, key: str) -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        with database().tenant(who.tenant.tenant_id) as session:
            return jsonify(data_tables.get_row(session, name, key))

    @bp.put("/data-tables/<name>/rows/<key>")
    def put_row(name: str, key: str) -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or "data" not in body:
            return json_error(400, 'the body is a JSON object {"data": {field: value, …}}')
        with database().tenant(who.tenant.tenant_id) as session:
            row, created = data_tables.upsert_row(session, name, key, body["data"], who.username)
        return jsonify(row), 201 if created else 200

    @bp.delete("/data-tables/<name>/rows/<key>")
    def delete_row(name: str, key: str) -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        with database().tenant(who.tenant.tenant_id) as session:
            data_tables.delete_row(session, name, key, who.username)
        return "", 204

    @bp.post("/data-tables/<name>/import")
    def import_rows(name: str) -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        upload = request.files.get("file")
        if upload is None:
            return json_error(400, "send the file as the multipart field 'file' (CSV in UTF-8, or .xlsx)")
        content = upload.stream.read(MAX_FILE_BYTES + 1)
        tenant_id = who.tenant.tenant_id
        quotas.enforce("import", tenant_id)
        queue = job_queues().default
        with database().tenant(tenant_id) as session:
            job = table_import_jobs.create(session, name, upload.filename or "", content, who.username)
            job_id = job.id
            after_commit(session, lambda: enqueue_table_import(queue, tenant_id, job_id))
            body = _job_dict(session, job)
        return jsonify(body), 202, {"Location": f"/api/data-tables/imports/{job_id}"}

    @bp.get("/data-tables/imports/<int:job_id>")
    def import_progress(job_id: int) -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        with database().tenant(who.tenant.tenant_id) as session:
            return jsonify(_job_dict(session, table_import_jobs.get(session, job_id)))

    @bp.get("/data-tables/<name>/export")
    def export_rows(name: str) -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        with database().tenant(who.tenant.tenant_id) as session:
            data = data_tables.export_csv(session, name)
        return Response(data, mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=\"{name}.csv\""})

    return bp
