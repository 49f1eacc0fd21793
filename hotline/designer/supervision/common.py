"""What the supervision pages and endpoints share: roles, the tenant session, errors, the job queues
(the session, errors and int args are `..area_common`; the queues `..redis_access.job_queues`).

Supervisors and tenant admins see overdue tickets and urge them; the per-ticket firing log and the
call-back list are also read by the agent desk, so agents (and QA) may read those two. Every query runs in
the current tenant's scoped session: another tenant's ticket number is a 404, never a leak.
"""

from __future__ import annotations

from typing import Any

from ...platform.models import Role
from .. import area_common
from ..area_common import int_arg, tenant_session
from ..redis_access import job_queues

__all__ = ["READ", "SUPERVISE", "handle_http_error", "handle_service_error", "int_arg", "is_api",
           "notification_queue", "tenant_session"]

#: The overdue list and urging (班长, 主管, the tenant's admin).
SUPERVISE = frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})
#: Reading the firing log of a ticket and working the call-back list (the desk shows both).
READ = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QA, Role.TENANT_ADMIN})

_errors = area_common.AreaErrors("/supervision/api/")
is_api = _errors.is_api
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def notification_queue() -> Any:
    """The app's notifications rq.Queue: an urge's SMS goes out through the retrying job."""
    return job_queues().notifications
