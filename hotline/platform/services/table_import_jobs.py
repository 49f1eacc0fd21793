"""Data-table imports as background jobs: a waybill file of 200,000 rows must not hold a web worker for the
minutes it takes, nor be lost when the browser gives up waiting.

The upload is stored on an `ImportJob` row of kind ``data_table`` with the table as `target_id` (the same
rows and worker queue as the customer and contact imports); the worker loads it with `data_tables.import_file`,
which keeps the per-line checks and the report, in one transaction: a data table is either loaded from the
file or left as it was, so the IVR's lookups never read half a file.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..models import DataTable, ImportJob, utcnow
from . import data_tables, import_jobs
from .errors import NotFound

KIND = "data_table"


def table_of(session: Session, job: ImportJob) -> str:
    """The name of the table the job loads (the row is the session's tenant's, as the job is)."""
    table = session.get(DataTable, job.target_id) if job.target_id is not None else None
    return table.name if table is not None else ""


def create(session: Session, table_name: str, filename: str, content: bytes, actor: str) -> ImportJob:
    """Queues a file for the tenant's table `table_name`; NotFound for no such table, InvalidDocument for an
    empty, oversized or unknown file (nothing is stored then)."""
    table = data_tables.table(session, table_name)
    return import_jobs.create(session, filename, content, actor, kind=KIND, target_id=table.id)


def get(session: Session, job_id: int) -> ImportJob:
    """A data-table import of the session's tenant; NotFound for another tenant's or a customer import."""
    return import_jobs.get(session, job_id, KIND)


def recent(session: Session, limit: int = 10) -> list[ImportJob]:
    return list(session.scalars(select(ImportJob).where(ImportJob.kind == KIND)
                                .order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(limit)))


def run(db: Database, tenant_id: int, job_id: int) -> ImportJob:
    """The RQ job's body: loads the stored file into the table and keeps the report on the row; a job not
    queued (done, or running in another worker) is left alone, so a duplicate job never loads twice."""
    with db.tenant(tenant_id) as session:
        job = session.scalar(select(ImportJob).where(ImportJob.id == job_id).with_for_update())
        if job is None or job.kind != KIND:
            raise NotFound(f"data-table import #{job_id} of tenant {tenant_id} not found")
        if job.status != "queued":
            return job
        job.status = "running"
    try:
        with db.tenant(tenant_id) as session:
            job = session.get(ImportJob, job_id)
            assert job is not None
            report = data_tables.import_file(session, table_of(session, job), job.filename, job.content or b"",
                                             job.created_by)
            job.total, job.done = report.total, report.total
            job.created, job.merged, job.skipped = report.created, report.updated, report.skipped
            job.errors = [[e.line, e.reason] for e in report.errors]
            job.status = import_jobs.DONE_WITH_ERRORS if report.errors else import_jobs.DONE
            job.content, job.finished_at = None, utcnow()
            return job
    except Exception as exc:
        with db.tenant(tenant_id) as session:  # the table is as it was: the load's transaction rolled back
            job = session.get(ImportJob, job_id)
            assert job is not None
            job.status, job.failure, job.finished_at = "failed", f"{type(exc).__name__}: {exc}", utcnow()
            job.content = None
        raise
