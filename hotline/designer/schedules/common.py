"""Who may plan shifts and read attendance, the tenant's zone, and refusals in the reader's language.

Supervisors (班长) and tenant admins plan and read; every query runs in the current tenant's scoped session, so
another tenant's shift is a 404, never a leak.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from werkzeug.exceptions import BadRequest

from ...platform.models import Role
from .. import area_common
from ..area_common import tenant_session
from ..i18n import current_locale, translate

__all__ = ["PLAN", "date_value", "tenant_session", "words"]

PLAN = frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})

_errors = area_common.AreaErrors("/schedules/api/")
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def words(key: str, params: dict[str, Any] | None = None) -> str:
    """An English sentence key with %(name)s fields, in the reader's language."""
    text = translate(key, current_locale())
    return text % params if params else text


def date_value(raw: str | None, field: str, default: date | None = None) -> date:
    """A YYYY-MM-DD value; a bad one is a 400 naming the field."""
    text = (raw or "").strip()
    if not text and default is not None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(words("%(field)s: give a date as YYYY-MM-DD", {"field": words(field)})) from None


def time_value(raw: str | None, field: str) -> time:
    text = (raw or "").strip()
    try:
        hour, minute = text.split(":")[:2]
        return time(int(hour), int(minute))
    except ValueError:
        raise BadRequest(words("%(field)s: give a time as HH:MM", {"field": words(field)})) from None
