"""Report jobs: e-mail every saved report whose schedule is due, then schedule the next run."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from rq import get_current_job
from sqlalchemy import select

from ..models import SavedReport, Tenant, utcnow
from ..reports import saved
from ..services import notifications
from ..wallboard.today import tenant_zone
from .context import job_context
from .queues import Queues

log = logging.getLogger("hotline.reports")
LOCK = "hotline:reports:schedule:"


def send_due_reports(now: datetime | None = None) -> int:
    """Sends each due scheduled report once, through the tenant's e-mail provider; returns how many went."""
    db = job_context().db
    now = now or utcnow()
    sent = 0
    with db.platform() as session:
        tenants = session.execute(select(Tenant.id, Tenant.settings)).all()
    for tenant_id, settings in tenants:
        zone = tenant_zone(settings)
        locale = "en" if str((settings or {}).get("locale", "zh")).startswith("en") else "zh_CN"
        with db.tenant(tenant_id) as session:
            reports = session.scalars(select(SavedReport).where(SavedReport.schedule != "")).all()
            for report in reports:
                period = saved.due(report, now, zone)
                if period is None:
                    continue
                subject, body = saved.render(session, tenant_id, report, *period, zone, locale)
                for address in [a.strip() for a in report.recipients.split(",") if a.strip()]:
                    notifications.send(session, "email", address, body, subject=subject,
                                       origin={"saved_report": report.id, "period": [p.isoformat() for p in period]})
                report.last_sent_at = now
                sent += 1
    return sent


def run_schedule(prefix: str = "", every_seconds: int = 300) -> int:
    """The periodic job: sends what is due and schedules itself again (one chain per prefix, by a Redis lock)."""
    try:
        return send_due_reports()
    finally:
        job = get_current_job()
        if job is not None:
            schedule(Queues(job.connection, prefix=prefix), every_seconds, release=True)


def schedule(queues: Queues, every_seconds: int = 300, *, release: bool = False):
    """Schedules the next run unless one is scheduled already; returns the Job or None."""
    lock = LOCK + queues.prefix
    if release:
        queues.connection.delete(lock)
    if not queues.connection.set(lock, "1", nx=True, ex=every_seconds * 3):
        return None
    return queues.default.enqueue_in(timedelta(seconds=every_seconds), run_schedule, queues.prefix, every_seconds,
                                     description="scheduled report e-mails")
