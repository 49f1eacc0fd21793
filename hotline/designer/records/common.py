"""What every records page and endpoint shares: who may do what, the tenant session, errors, paging, queues.

Roles: agents (and supervisors, QA) read and work tickets and customers; tenant admins and analysts also
manage the directory and the knowledge base. The JSON endpoints under /records/api answer errors in the
API's JSON shape; the pages use the app's error pages.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from flask import request
from sqlalchemy.orm import Session

from ...platform.models import Role
from .. import area_common
from ..area_common import int_arg
from ..auth import Principal
from ..redis_access import job_queues

__all__ = ["MANAGE", "WORK", "can_manage", "handle_http_error", "handle_service_error", "int_arg", "is_api",
           "job_queues", "pages", "query_with", "tenant_session"]

#: Reading and working tickets and customers (the desk's roles, plus those who manage the tenant).
WORK = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QA, Role.TENANT_ADMIN, Role.ANALYST})
#: Managing the directory, the knowledge base and customer imports.
MANAGE = frozenset({Role.TENANT_ADMIN, Role.ANALYST})

_errors = area_common.AreaErrors("/records/api/")
is_api = _errors.is_api
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def tenant_session(roles: frozenset[Role] = WORK) -> AbstractContextManager[tuple[Session, Principal]]:
    """The current tenant's scoped session after the role check (the desk's roles unless told)."""
    return area_common.tenant_session(roles)


def can_manage(who: Principal) -> bool:
    return who.may(MANAGE)


def pages(total: int, page: int, per_page: int) -> dict[str, Any]:
    last = max(1, (total + per_page - 1) // per_page)
    return {"page": page, "per_page": per_page, "total": total, "last": last,
            "prev": page - 1 if page > 1 else None, "next": page + 1 if page < last else None}


def query_with(**changes: Any) -> str:
    """The current query string with some arguments replaced (None removes one); repeated keys kept."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return urlencode(pairs)
