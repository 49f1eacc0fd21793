"""What the supervision pages and endpoints share: roles, the tenant session, errors, the job queues.

Supervisors and tenant admins see overdue tickets and urge them; the per-ticket firing log and the
call-back list are also read by the agent desk, so agents (and QA) may read those two. Every query runs in
the current tenant's scoped session: another tenant's ticket number is a 404, never a leak.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.exceptions import NotFound as HttpNotFound

from ...platform.models import Role
from ...platform.services.errors import NotFound, ServiceError
from ..api.errors import json_error, service_error
from ..auth import Principal, database, require_tenant

#: The overdue list and urging (班长, 主管, the tenant's admin).
SUPERVISE = frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})
#: Reading the firing log of a ticket and working the call-back list (the desk shows both).
READ = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QA, Role.TENANT_ADMIN})
#: Where the app factory / `hotline serve` put the RQ queues (shared with the records area).
QUEUES_KEY = "hotline.queues"


@contextmanager
def tenant_session(roles: frozenset[Role]) -> Iterator[tuple[Session, Principal]]:
    """The current tenant's scoped session after the role check; commits when the block succeeds."""
    who = require_tenant(roles)
    assert who.tenant is not None  # require_tenant guarantees it
    with database().tenant(who.tenant.tenant_id) as session:
        yield session, who


def notification_queue() -> Any:
    """The notifications rq.Queue when the app has job queues; None sends at once (the log provider)."""
    queues = current_app.extensions.get(QUEUES_KEY)
    return queues.notifications if queues is not None else None


def is_api() -> bool:
    return request.path.startswith("/supervision/api/")


def handle_http_error(exc: HTTPException) -> ResponseReturnValue:
    if is_api():
        return json_error(exc.code or 500, exc.description or exc.name)
    from .. import _http_error  # the factory's handler; imported late, the factory imports this package

    return _http_error(exc)


def handle_service_error(exc: ServiceError) -> ResponseReturnValue:
    if is_api():
        return service_error(exc)
    if isinstance(exc, NotFound):
        return handle_http_error(HttpNotFound())
    return handle_http_error(BadRequest(str(exc)))


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A whole-number query argument within [low, high]; a bad one is a 400 saying which and why."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value
