"""Who may use the settlement pages, and their errors.

Tenant admins edit vendors, contracts and monthly entries and sign statements off; the finance role reads
everything here and signs statements off (it edits no terms: who sets the price does not also approve the bill);
supervisors read statements, exports and the vendor comparison. Every
query runs in the current tenant's scoped session: another tenant's vendor is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from werkzeug.exceptions import BadRequest

from ...platform.models import Role
from ...platform.services.ticket_lists import tenant_zone
from ...platform.settlement.inputs import Month, parse_month
from ...platform.settlement.terms import Problem
from .. import area_common
from ..area_common import tenant_session
from ..i18n import STRINGS, current_locale, translate

__all__ = ["EDIT", "READ", "SIGN", "month_arg", "tenant_session", "worded"]

EDIT = frozenset({Role.TENANT_ADMIN})
SIGN = frozenset({Role.TENANT_ADMIN, Role.FINANCE})
READ = frozenset({Role.TENANT_ADMIN, Role.SUPERVISOR, Role.FINANCE})

_errors = area_common.AreaErrors("/settlement/api/")
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def month_arg(session: object, source: dict | None = None) -> Month:
    """The `month` argument (YYYY-MM) in the tenant's zone; the previous month when absent (the month that is
    settled); a bad one is a 400 naming it."""
    from datetime import UTC, datetime

    zone = tenant_zone(session)  # type: ignore[arg-type]
    raw = ((source if source is not None else request.args).get("month") or "").strip()
    if not raw:
        today = datetime.now(UTC).astimezone(zone).date()
        last = today.replace(day=1)
        raw = f"{last.year - 1}-12" if last.month == 1 else f"{last.year}-{last.month - 1:02d}"
    try:
        return parse_month(raw, zone)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


#: Prefixes of the settlement's field labels and problem reasons in the one UI-string table (strings.py).
FIELD, PROBLEM = "settlement.field.", "settlement.problem."


def _where(path: str, locale: str) -> str:
    """A problem's JSON path as labels: /terms/seat_types/agent/unit_price → 合同条款 › 座席类型 › 话务座席 › 单价; an
    index is the entry's number from 1, and a code of the tenant's own (a target's) is shown as it is."""
    words = []
    for segment in (s for s in path.split("/") if s):
        if segment.isdigit():
            words.append(f"第 {int(segment) + 1} 项" if locale != "en" else f"#{int(segment) + 1}")
        elif f"{FIELD}{segment}" in STRINGS and not (words and words[-1] == translate(f"{FIELD}seat_types", locale)):
            words.append(translate(f"{FIELD}{segment}", locale))
        elif f"seat.{segment}" in STRINGS:
            words.append(translate(f"seat.{segment}", locale))
        elif f"metric.{segment}" in STRINGS:  # a vendor threshold's metric (/service_level/limit)
            words.append(translate(f"metric.{segment}", locale))
        else:
            words.append(segment)
    return " › ".join(words)


def worded(problems: Iterable[str]) -> list[str]:
    """Problems in the reader's language: what (the field's labels), where (the JSON path, for the JSON editor)
    and why (the reason with its values)."""
    locale = current_locale()
    said = []
    for problem in problems:
        if not isinstance(problem, Problem):
            said.append(translate(str(problem), locale))
            continue
        key = f"{PROBLEM}{problem.key}"
        reason = (problem.key if (said_as := translate(key, locale)) == key else said_as).format(**problem.params)
        where = _where(problem.path, locale)
        said.append(f"{where}（{problem.path}）：{reason}" if locale != "en" else f"{where} ({problem.path}): {reason}")
    return said
