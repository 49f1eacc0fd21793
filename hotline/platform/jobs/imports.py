"""Imports run by RQ workers, one job per uploaded file: customers (services/import_jobs.py), contact lists
(outbound/contact_jobs.py), data tables (services/table_import_jobs.py) and shifts (schedules/import_jobs.py).

The job takes plain ids and builds its Database from `job_context()`; the file itself is on the ImportJob row.
Enqueue only after the row is committed (`enqueue_import` is called from an after-commit hook), or the worker
may look for a row it cannot see yet.
"""

from __future__ import annotations

from rq import Queue

from ..services import import_jobs, table_import_jobs
from .context import job_context

#: A large workbook takes minutes; the default 60 s would kill it half-way.
JOB_TIMEOUT = 3600


def enqueue_import(queue: Queue, tenant_id: int, job_id: int):
    """Enqueues `run_import(tenant_id, job_id)`; returns the rq Job."""
    return queue.enqueue(run_import, tenant_id, job_id, job_timeout=JOB_TIMEOUT,
                         description=f"import customers (import {job_id} of tenant {tenant_id})",
                         meta={"tenant_id": tenant_id, "import_job_id": job_id})


def run_import(tenant_id: int, job_id: int) -> str:
    """The job: runs the import; returns its final status."""
    return import_jobs.run(job_context().db, tenant_id, job_id).status


def enqueue_contact_import(queue: Queue, tenant_id: int, job_id: int):
    """Enqueues `run_contact_import(tenant_id, job_id)` (a contact list's upload); returns the rq Job."""
    return queue.enqueue(run_contact_import, tenant_id, job_id, job_timeout=JOB_TIMEOUT,
                         description=f"import contacts (import {job_id} of tenant {tenant_id})",
                         meta={"tenant_id": tenant_id, "import_job_id": job_id})


def run_contact_import(tenant_id: int, job_id: int) -> str:
    """The job: runs the contact import; returns its final status."""
    from ..outbound import contact_jobs

    return contact_jobs.run(job_context().db, tenant_id, job_id).status


def enqueue_table_import(queue: Queue, tenant_id: int, job_id: int):
    """Enqueues `run_table_import(tenant_id, job_id)`; returns the rq Job."""
    return queue.enqueue(run_table_import, tenant_id, job_id, job_timeout=JOB_TIMEOUT,
                         description=f"import a data table (import {job_id} of tenant {tenant_id})",
                         meta={"tenant_id": tenant_id, "import_job_id": job_id})


def run_table_import(tenant_id: int, job_id: int) -> str:
    """The job: loads a data table from its stored file; returns the final status."""
    return table_import_jobs.run(job_context().db, tenant_id, job_id).status


def enqueue_shift_import(queue: Queue, tenant_id: int, job_id: int):
    """Enqueues `run_shift_import(tenant_id, job_id)` (a schedule upload); returns the rq Job."""
    return queue.enqueue(run_shift_import, tenant_id, job_id, job_timeout=JOB_TIMEOUT,
                         description=f"import shifts (import {job_id} of tenant {tenant_id})",
                         meta={"tenant_id": tenant_id, "import_job_id": job_id})


def run_shift_import(tenant_id: int, job_id: int) -> str:
    """The job: imports the stored schedule file in batches; returns the final status."""
    from ..schedules import import_jobs as shift_import_jobs

    return shift_import_jobs.run(job_context().db, tenant_id, job_id).status
