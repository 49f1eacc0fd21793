"""What every records page and endpoint shares: who may do what, the tenant session, errors, paging, queues.

Roles: agents (and supervisors, QA) read and work tickets and customers; tenant admins and analysts also
manage the directory and the knowledge base. The JSON endpoints under /records/api answer errors in the
API's JSON shape; the pages use the app's error pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, HTTPException

from ...platform.jobs import Queues, queues_for
from ...platform.models import Role
from ...platform.services.errors import NotFound, ServiceError
from ..api.errors import json_error, service_error
from ..auth import Principal, database, require_tenant

#: Reading and working tickets and customers (the desk's roles, plus those who manage the tenant).
WORK = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QA, Role.TENANT_ADMIN, Role.ANALYST})
#: Managing the directory, the knowledge base and customer imports.
MANAGE = frozenset({Role.TENANT_ADMIN, Role.ANALYST})
QUEUES_KEY = "hotline.queues"


@contextmanager
def tenant_session(roles: frozenset[Role] = WORK) -> Iterator[tuple[Session, Principal]]:
    """The current tenant's scoped session after the role check; commits when the block succeeds."""
    who = require_tenant(roles)
    assert who.tenant is not None  # require_tenant guarantees it
    with database().tenant(who.tenant.tenant_id) as session:
        yield session, who


def can_manage(who: Principal) -> bool:
    return who.may(MANAGE)


def is_api() -> bool:
    return request.path.startswith("/records/api/")


def handle_http_error(exc: HTTPException) -> ResponseReturnValue:
    """JSON for /records/api/*, the app's own error pages for the rest."""
    if is_api():
        return json_error(exc.code or 500, exc.description or exc.name)
    from .. import _http_error  # the app factory's handler; imported late, the factory imports this package

    return _http_error(exc)


def handle_service_error(exc: ServiceError) -> ResponseReturnValue:
    if is_api():
        return service_error(exc)
    if isinstance(exc, NotFound):
        from werkzeug.exceptions import NotFound as HttpNotFound

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


def pages(total: int, page: int, per_page: int) -> dict[str, Any]:
    last = max(1, (total + per_page - 1) // per_page)
    return {"page": page, "per_page": per_page, "total": total, "last": last,
            "prev": page - 1 if page > 1 else None, "next": page + 1 if page < last else None}


def job_queues() -> Queues:
    """The RQ queues of this app: the ones put in `app.extensions["hotline.queues"]` (tests, `hotline serve`),
    else built once from the configured Redis. With no Redis server the embedded stand-in has nobody else to
    run its jobs, so an in-process worker thread is started for it (as `hotline up` does)."""
    queues = current_app.extensions.get(QUEUES_KEY)
    if queues is None:
        from ...platform import settings as settings_module
        from ...platform.redis_conn import connect

        configured = settings_module.load()
        queues = queues_for(connect(configured.redis_url, configured.redis_required))
        if queues.embedded:
            worker = queues.worker_thread()
            worker.start()
            current_app.extensions["hotline.records.worker"] = worker
        current_app.extensions[QUEUES_KEY] = queues
    return queues


def query_with(**changes: Any) -> str:
    """The current query string with some arguments replaced (None removes one); repeated keys kept."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return urlencode(pairs)
