"""What the designer's areas (records, supervision) share: the tenant session after a role check, errors
answered as JSON under an area's API prefix and as the app's pages elsewhere, and whole-number query args.

One copy, so the areas cannot drift apart in how they scope sessions or word a bad argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.exceptions import NotFound as HttpNotFound

from ..platform.models import Role
from ..platform.services.errors import NotFound, ServiceError
from .api.errors import json_error, service_error
from .auth import Principal, database, require_tenant


@contextmanager
def tenant_session(roles: frozenset[Role]) -> Iterator[tuple[Session, Principal]]:
    """The current tenant's scoped session after the role check; commits when the block succeeds."""
    who = require_tenant(roles)
    assert who.tenant is not None  # require_tenant guarantees it
    with database().tenant(who.tenant.tenant_id) as session:
        yield session, who


class AreaErrors:
    """An area's error handlers: JSON (the API's shape) for paths under `api_prefix`, the app's error pages
    for the rest. Register `http_error` for HTTPException and `service_error` for ServiceError."""

    def __init__(self, api_prefix: str) -> None:
        self.api_prefix = api_prefix

    def is_api(self) -> bool:
        return request.path.startswith(self.api_prefix)

    def http_error(self, exc: HTTPException) -> ResponseReturnValue:
        if self.is_api():
            response, status = json_error(exc.code or 500, exc.description or exc.name)
            if getattr(exc, "retry_after", None):  # quotas: how long to wait, for clients that back off
                response.headers["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
            return response, status
        from . import _http_error  # the app factory's handler; imported late, the factory imports the areas

        return _http_error(exc)

    def service_error(self, exc: ServiceError) -> ResponseReturnValue:
        if self.is_api():
            return service_error(exc)
        if isinstance(exc, NotFound):
            return self.http_error(HttpNotFound())
        return self.http_error(BadRequest(str(exc)))


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
