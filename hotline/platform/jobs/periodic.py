"""The periodic jobs every deployment needs, scheduled by whoever runs a worker: the SLA/call-back safety-net
sweep, scheduled report e-mails, the attendance copy of agent states, the recordings' offload to a bucket and
retention purge, and the daily overtime roll-up of the settlement (overtime.py). Each chain reschedules itself and
is guarded by a Redis lock, so any number of workers scheduling them keeps one chain per queue prefix.

One function for `hotline worker` and `hotline up`: the demo's worker thread ran jobs but scheduled none of
these, so SLA escalations that a lost timer missed, report e-mails and attendance never ran there (issue 16).
"""

from __future__ import annotations

from .queues import Queues

SWEEP_SECONDS = 60
REPORTS_SECONDS = 300
ATTENDANCE_SECONDS = 60
RECORDINGS_OFFLOAD_SECONDS = 60
RECORDINGS_PURGE_SECONDS = 3600
OVERTIME_SECONDS = 86400


def schedule_periodic(queues: Queues) -> None:
    """Schedules each periodic chain unless one is scheduled already on these queues."""
    from .attendance import schedule as schedule_attendance
    from .dispatch_jobs import schedule_sweep
    from .overtime import FIRST_RUN_SECONDS
    from .overtime import schedule as schedule_overtime
    from .recordings import schedule_offload, schedule_purge
    from .reports import schedule as schedule_reports

    schedule_sweep(queues, SWEEP_SECONDS)
    schedule_reports(queues, REPORTS_SECONDS)
    schedule_attendance(queues, ATTENDANCE_SECONDS)
    schedule_offload(queues, RECORDINGS_OFFLOAD_SECONDS)
    schedule_purge(queues, RECORDINGS_PURGE_SECONDS)
    schedule_overtime(queues, OVERTIME_SECONDS, first_in=FIRST_RUN_SECONDS)
