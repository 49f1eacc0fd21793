"""Imports run by RQ workers, one job per uploaded file: customers (services/import_jobs.py), contact lists
(outbound/contact_jobs.py), data tables (services/table_import_jobs.py) and shifts (schedules/import_jobs.py).

The job takes plain ids and builds its Database from `job_context()`; the file itself is on the ImportJob row.
Enqueue only after the row is committed (`enqueue_import` is called from an after-commit hook), or the worker
may look for a row it cannot see yet.
"""

from __future__ import annotations

from rq import Queue
from rq.job import Job
from rq.registry import StartedJobRegistry

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


def live_contact_imports(queue: Queue) -> set[int]:
    """The import ids of the RQ jobs queued or started on `queue`: an import not among them has lost its worker
    (contact_jobs.mark_interrupted, QA 13f #2)."""
    ids = list(queue.get_job_ids()) + list(StartedJobRegistry(queue=queue).get_job_ids())
    return {int(job.meta["import_job_id"]) for job in Job.fetch_many(ids, connection=queue.connection)
            if job is not None and "import_job_id" in (job.meta or {})}


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


#: Contacts per transaction of a background enrolment: each batch commits, so the page's progress moves and a
#: worker that dies keeps what it did (the next run adds only the contacts still missing).
ENROL_BATCH = 20_000


def enqueue_campaign_enrolment(queue: Queue, tenant_id: int, campaign_id: int):
    """Enqueues `run_campaign_enrolment(tenant_id, campaign_id)`; returns the rq Job."""
    return queue.enqueue(run_campaign_enrolment, tenant_id, campaign_id, job_timeout=JOB_TIMEOUT,
                         description=f"add a list's contacts to campaign {campaign_id} of tenant {tenant_id}",
                         meta={"tenant_id": tenant_id, "campaign_id": campaign_id})


def run_campaign_enrolment(tenant_id: int, campaign_id: int, batch: int = ENROL_BATCH) -> int:
    """The job: a large list's contacts into a new campaign, in committed batches (issue 13, 13b #6: done in the
    request, 100,000 contacts held it 9-29 s on PostgreSQL); returns how many were added."""
    from ..outbound import campaigns

    db, added = job_context().db, 0
    while True:
        with db.tenant(tenant_id) as session:
            done = campaigns.populate(session, campaigns.get(session, campaign_id), limit=batch)
        added += done
        if done < batch:
            return added
