"""Shift imports as background jobs: a month of a real site (200 agents × 31 days = 6,200 shifts) takes longer
than a web request may, so the upload is kept on an `ImportJob` row (kind `shifts`), an RQ job
(jobs/imports.py; the in-process stand-in when there is no Redis) imports it in batches of `BATCH` lines, one
transaction each with the progress committed, and the page polls the row for the progress bar and the line
errors. Good lines import while bad ones are reported by line number; a worker that dies keeps the batches done.

The file's rules (columns, per-line checks, the MAX_LINES cap that refuses a file whole) are imports.py's. Line
errors are stored as {"key", "params"} (an English sentence key with its values) and worded when a page shows
them, so one report reads in Chinese or English.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import ImportJob, utcnow
from ..scoping import tenant_of
from ..services import audit
from ..services.errors import NotFound, ServiceError
from ..services.import_jobs import detect_format
from ..services.ticket_lists import tenant_zone
from . import imports

KIND = "shifts"
#: Lines per transaction: the page's progress moves every few seconds, and a crash loses at most one batch.
BATCH = 500
#: Largest upload accepted: 100,000 lines of CSV are about 6 MB; this leaves room for long notes and GBK.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Line errors kept on the row (the count stays exact; the page says how many more there were).
MAX_ERRORS = 5000
FINISHED = ("done", "done_with_errors", "failed")


class UploadRefused(ServiceError):
    """An upload not stored: an English sentence key with %(name)s fields and its values, worded by the page."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key % params if params else key)
        self.key, self.params = key, params


def create(session: Session, filename: str, content: bytes, actor: str) -> ImportJob:
    """Stores an upload as a queued shift import (the caller enqueues it after the commit); UploadRefused,
    saying why, for an empty, oversized or unknown file (nothing is stored then)."""
    if tenant_of(session) is None:
        raise ValueError("imports are created in a tenant-scoped session")
    filename = (filename or "upload").strip()[:300] or "upload"
    fmt = detect_format(filename, content)
    if not content:
        raise UploadRefused("The file is empty")
    if len(content) > MAX_FILE_BYTES:
        raise UploadRefused("The file is larger than %(mb)s MB", mb=MAX_FILE_BYTES // (1024 * 1024))
    if fmt is None:
        raise UploadRefused("%(file)s is neither CSV nor Excel .xlsx", file=filename[:80])
    job = ImportJob(kind=KIND, filename=filename, format=fmt, content=content, status="queued", created_by=actor,
                    errors=[])
    session.add(job)
    session.flush()
    audit.record(session, actor, "shift.import.upload", "import_job", str(job.id),
                 {"filename": filename, "bytes": len(content)})
    return job


def get(session: Session, job_id: int) -> ImportJob:
    """A shift import of the session's tenant; NotFound for another tenant's or another kind of import."""
    job = session.get(ImportJob, job_id)
    if job is None or job.kind != KIND:
        raise NotFound(f"import #{job_id} not found")
    return job


def as_dict(job: ImportJob) -> dict[str, Any]:
    """The job's progress and report; each error as {line, key, params} (worded by the page)."""
    finished = job.status in FINISHED
    percent = 100 if finished else (int(100 * job.done / job.total) if job.total else 0)
    return {"id": job.id, "filename": job.filename, "status": job.status, "finished": finished,
            "total": job.total, "done": job.done, "percent": percent, "imported": job.created,
            "refused": job.skipped,
            "errors": [{"line": line, "key": said.get("key", ""), "params": said.get("params", {})}
                       for line, said in job.errors],
            "errors_not_shown": max(0, job.skipped - len(job.errors)), "failure": job.failure}


def _save(job: ImportJob, done: int, result: imports.ImportResult) -> None:
    job.done, job.created, job.skipped = done, result.created, len(result.problems)
    job.errors = [[p.line, {"key": p.key, "params": p.params}]
                  for p in sorted(result.problems, key=lambda p: p.line)[:MAX_ERRORS]]


def run(db: Database, tenant_id: int, job_id: int, *, batch: int = BATCH) -> ImportJob:
    """Runs a queued shift import to its end (the RQ job's body); a job not queued (finished, or running in
    another worker) is left alone, so a duplicate job never imports twice."""
    with db.tenant(tenant_id) as session:
        job = session.scalar(select(ImportJob).where(ImportJob.id == job_id).with_for_update())
        if job is None or job.kind != KIND:
            raise NotFound(f"shift import #{job_id} of tenant {tenant_id} not found")
        if job.status != "queued" or job.content is None:
            return job
        job.status = "running"
        fmt, content, actor = job.format, job.content, job.created_by
    result = imports.ImportResult()
    try:
        found = imports.read_file(fmt, content)
        if found.refused is not None:
            result.problems.append(found.refused)
        with db.tenant(tenant_id) as session:
            _save(get(session, job_id), 0, result)
            get(session, job_id).total = len(found.lines)
        for start in range(0, len(found.lines), batch):
            with db.tenant(tenant_id) as session:
                zone = tenant_zone(session)
                imports.import_lines(session, tenant_id, found.columns, found.lines[start:start + batch], zone,
                                     actor, result)
                _save(get(session, job_id), min(start + batch, len(found.lines)), result)
    except Exception as exc:  # the batches done stay; the page says why the rest did not import
        with db.tenant(tenant_id) as session:
            job = get(session, job_id)
            job.status, job.failure, job.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:1000], utcnow()
            job.content = None
        raise
    with db.tenant(tenant_id) as session:
        job = get(session, job_id)
        _save(job, job.total, result)
        job.status = "done_with_errors" if result.problems else "done"
        job.content, job.finished_at = None, utcnow()
        audit.record(session, actor, "shift.import", "import_job", str(job_id),
                     {"created": result.created, "refused": len(result.problems), "total": job.total})
        return job
