"""Contact list imports as background jobs, on the customer import's machinery: the upload is kept on an
`ImportJob` row (kind `contacts`, the list as `target_id`), an RQ job (jobs/imports.py) imports it in batches of
`BATCH` lines, one transaction each with the progress committed, and the page polls the row for the progress bar
and the per-line errors. A worker that dies keeps the batches already done; good lines import while bad ones are
reported with their line numbers.

A failed job keeps its upload and can be retried (`retry`): the run resumes after the last committed batch, with
the counts and line errors of the batches done, so no contact is imported twice (the list's numbers are loaded
for the de-duplication as well, whatever a batch had half done).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..db import Database
from ..findings import Finding
from ..models import ContactList, ImportJob, utcnow
from ..scoping import tenant_of
from ..services import audit
from ..services.errors import InvalidDocument, NotFound
from ..services.import_jobs import MAX_ERRORS, detect_format
from . import reasons
from .contacts import ContactImport, import_rows, line_number, on_list, parse_file

BATCH = 2000
#: A queued or running import with no RQ job for this long is taken as interrupted.
GONE_AFTER = timedelta(minutes=2)
#: Largest contact file accepted.
MAX_FILE_BYTES = 30 * 1024 * 1024


def create(session: Session, contact_list: ContactList, filename: str, content: bytes, actor: str) -> ImportJob:
    """Stores an upload for the list as a queued import; InvalidDocument for an empty, oversized or unknown file."""
    if tenant_of(session) is None:
        raise ValueError("imports are created in a tenant-scoped session")
    filename = (filename or "upload").strip()[:300] or "upload"
    fmt = detect_format(filename, content)
    problem = ("the file is empty" if not content else
               f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; split it"
               if len(content) > MAX_FILE_BYTES else
               f"{filename!r} is neither CSV nor Excel .xlsx" if fmt is None else None)
    if problem:
        raise InvalidDocument("the file cannot be imported", [Finding("/file", "error", problem, "file")])
    job = ImportJob(kind="contacts", target_id=contact_list.id, filename=filename, format=fmt, content=content,
                    status="queued", created_by=actor, errors=[])
    session.add(job)
    session.flush()
    audit.record(session, actor, "contact.import.upload", "import_job", str(job.id),
                 {"filename": filename, "bytes": len(content), "list": contact_list.id})
    return job


def retryable(job: ImportJob) -> bool:
    """A failed job whose upload is still kept (a finished one drops it) can run again."""
    return job.status == "failed" and job.content is not None


def mark_interrupted(job: ImportJob, live: Collection[int], now: datetime) -> bool:
    """Marks a queued or running job failed (so retryable, resuming after its committed batches) when no RQ job
    carries it (`live`: the import ids of queued and started RQ jobs) and it is older than GONE_AFTER — its worker
    died, e.g. a restart of `hotline up` (QA 13f #2: 导入中 forever, no retry). True when it marked the job."""
    if job.status not in ("queued", "running") or job.id in live or job.content is None:
        return False
    if now - job.created_at < GONE_AFTER:
        return False  # just created: its RQ job is enqueued after the commit
    job.status, job.finished_at = "failed", now
    # a job that never committed a line did not start: "stopped at line 0 / 0" said nothing (issue 13)
    job.failure = (reasons.coded("contacts.interrupted", done=job.done, total=job.total) if job.done else
                   reasons.coded("contacts.not_started"))
    return True


def retry(session: Session, job: ImportJob, actor: str) -> ImportJob:
    """Puts a failed job back in the queue to resume where it stopped (the caller enqueues it after the commit).
    InvalidDocument, saying why, for a job that did not fail or whose upload is gone."""
    if not retryable(job):
        why = (f"import #{job.id} is {job.status}, not failed" if job.status != "failed" else
               f"the upload of import #{job.id} is no longer kept; upload the file again")
        raise InvalidDocument("the import cannot be retried", [Finding("/status", "error", why, "status")])
    job.status, job.failure, job.finished_at = "queued", None, None
    audit.record(session, actor, "contact.import.retry", "import_job", str(job.id),
                 {"list": job.target_id, "resume_after_line": job.done})
    return job


def get(session: Session, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.kind != "contacts":
        raise NotFound(f"import #{job_id} not found")
    return job


def as_dict(job: ImportJob) -> dict[str, Any]:
    finished = job.status in ("done", "done_with_errors", "failed")
    percent = 100 if finished else (int(100 * job.done / job.total) if job.total else 0)
    return {"id": job.id, "list": job.target_id, "filename": job.filename, "status": job.status,
            "finished": finished, "total": job.total, "done": job.done, "percent": percent,
            "imported": job.created, "duplicates": job.merged, "refused": job.skipped,
            "errors": [{"line": line, "reason": reason} for line, reason in job.errors],
            "errors_not_shown": max(0, job.skipped - len(job.errors)), "failure": job.failure,
            "retryable": retryable(job),
            # a failed run whose file is gone (it imported nothing): the way on is a corrected upload
            "upload_again": job.status == "failed" and not retryable(job)}


def _save(session: Session, job: ImportJob, report: ContactImport, done: int, unlisted: int = 0) -> None:
    """The progress so far on the row; `unlisted`: refused lines of earlier runs beyond the errors kept."""
    job.done, job.created, job.merged = done, report.imported, report.duplicates
    job.skipped = report.refused + unlisted
    job.errors = [list(e) for e in sorted(report.errors, key=lambda e: e[0])[:MAX_ERRORS]]


def _resumed(job: ImportJob, rows: int) -> tuple[ContactImport, int, int]:
    """(report, first row, refused lines not in the report) to carry on a retried job after its committed batches;
    a fresh start when nothing was committed or the file reads differently now."""
    if not job.done or job.total != rows:
        return ContactImport(), 0, 0
    report = ContactImport(imported=job.created, duplicates=job.merged,
                           errors=[(int(line), reason if isinstance(reason, dict) else str(reason))
                                   for line, reason in job.errors or ()])
    return report, job.done, max(0, job.skipped - report.refused)


def _seen_before(session: Session, contact_list: ContactList, header: list[str],
                 done: list[tuple[int, list[str]]]) -> dict[str, int]:
    """A resumed run's de-duplication: the list's numbers, those of the file's committed lines by their line (so a
    repeat still names the line that gave the number first, as an unbroken run does)."""
    seen = on_list(session, contact_list)
    given: dict[str, int] = {}
    for line, cells in done:
        number = line_number(header, cells)
        if number is not None and number in seen:
            given.setdefault(number, line)
    return {**seen, **given}


def nothing_imported(report: ContactImport, refused: int) -> bool:
    """A run that refused lines and added nothing (not even a duplicate of a listed number) imported nothing."""
    return refused > 0 and report.imported == 0 and report.duplicates == 0


def _why_nothing(report: ContactImport, refused: int) -> str:
    """The stored reason of a failed run: the file's own refusal (no phone column, undecodable) when it stopped the
    file at line 1, else that every line was refused (their reasons stay in the line errors)."""
    whole_file = [reason for line, reason in report.errors if line == 1 and isinstance(reason, dict)]
    if whole_file:
        return reasons.coded(**whole_file[0])
    return reasons.coded("contacts.nothing_imported", refused=refused)


def _fail(db: Database, tenant_id: int, job_id: int, exc: BaseException) -> None:
    with db.tenant(tenant_id) as session:
        job = get(session, job_id)
        job.status, job.failure, job.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:1000], utcnow()


def run(db: Database, tenant_id: int, job_id: int, *, batch: int = BATCH) -> ImportJob:
    """Runs a queued contact import to its end (a job already finished is left as it is)."""
    with db.tenant(tenant_id) as session:
        job = get(session, job_id)
        if job.status != "queued" or job.content is None:
            return job
        contact_list = session.get(ContactList, job.target_id) if job.target_id else None
        if contact_list is None:
            job.status, job.failure, job.finished_at = "failed", "the contact list no longer exists", utcnow()
            return job
    try:  # a failure reading the file is shown too, not left 排队中 forever (QA 13 #N)
        with db.tenant(tenant_id) as session:
            job = get(session, job_id)
            job.status = "running"
            report = parsed_report = ContactImport()
            parsed = parse_file(job.filename, job.content or b"", report)
            header, rows = parsed if parsed is not None else ([], [])
            first, unlisted = 0, 0
            if job.done:  # a retry: the file's own errors are on the row already, with the batches done
                report, first, unlisted = _resumed(job, len(rows))
                report.unreadable = parsed_report.unreadable
            job.total = len(rows)
            _save(session, job, report, first, unlisted)
    except Exception as exc:
        _fail(db, tenant_id, job_id, exc)
        raise
    seen: dict[str, int] | None = None
    try:
        for start in range(first, len(rows), batch):
            with db.tenant(tenant_id) as session:
                contact_list = session.get(ContactList, job.target_id)
                job = get(session, job_id)
                if seen is None and first:
                    seen = _seen_before(session, contact_list, header, rows[:first])
                seen = import_rows(session, contact_list, header, rows[start:start + batch], report, seen)
                _save(session, job, report, min(start + batch, len(rows)), unlisted)
    except Exception as exc:  # the batches done stay; the page says why the rest did not import
        _fail(db, tenant_id, job_id, exc)
        raise
    with db.tenant(tenant_id) as session:
        job = get(session, job_id)
        _save(session, job, report, len(rows), unlisted)
        job.status = "done_with_errors" if job.skipped else "done"
        if nothing_imported(report, job.skipped):  # QA 13f #3: not 已完成 when no line made it in
            job.status, job.failure = "failed", _why_nothing(report, job.skipped)
        job.content, job.finished_at = None, utcnow()
        audit.record(session, job.created_by, "contact.import", "import_job", str(job.id),
                     {"imported": report.imported, "duplicates": report.duplicates, "refused": job.skipped})
    return job
