"""The staffing calculator (排班测算): agents for one interval's forecast, and a day's plan from history.

Page: GET /supervision/staffing with the forecast in the query (calls, interval, handle, level, within,
patience, shrinkage; plan=day&day=YYYY-MM-DD&holiday=1 for the day plan). JSON: GET /supervision/api/staffing with
the same arguments. Bad arguments are named with the reason and answered 400; the page keeps what was typed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from ...platform.models import Tenant
from ...platform.reports.retention import first_kept_day
from ...platform.staffing.erlang import Unreachable, agents_for, positions
from ...platform.staffing.plan import INTERVALS, day_plan, history
from ...platform.wallboard.today import tenant_zone
from ..i18n import current_locale, translate
from .common import SUPERVISE, tenant_session

#: argument: (default, lowest, highest) — bounds keep one request's work small.
NUMBERS: dict[str, tuple[float | None, float, float]] = {
    "calls": (None, 0.0, 100_000.0),  # none made up: the tenant's history, else empty (history_default)
    "interval": (30.0, 15.0, 60.0),
    "handle": (180.0, 1.0, 7200.0),
    "level": (80.0, 1.0, 99.9),
    "within": (20.0, 0.0, 3600.0),
    "patience": (None, 1.0, 7200.0),
    "shrinkage": (30.0, 0.0, 90.0),
}


DAY_OUT_OF_RANGE = ("%(field)s: %(value)s is outside the days a plan can be made for (%(first)s to %(last)s: "
                    "the tenant's kept history up to a year ahead)")
#: How far ahead a day plan may be asked for.
AHEAD_DAYS = 366
NO_HISTORY = "No complete day of the same weekday in the last weeks has calls: the plan has nothing to average."
NO_HOLIDAY_HISTORY = ("No holiday of the same weekday in the last weeks has calls (the tenant's calendar lists none "
                      "with calls): the holiday plan has nothing to average.")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/staffing", "staffing", staffing_page, methods=["GET"])
    bp.add_url_rule("/api/staffing", "api_staffing", staffing_api, methods=["GET"])


def _arguments() -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    locale = current_locale()
    for name, (default, low, high) in NUMBERS.items():
        raw = request.args.get(name, "").strip()
        if not raw:
            values[name] = default
            continue
        try:
            number = float(raw)
        except ValueError:
            number = float("nan")
        if not low <= number <= high:  # also refuses NaN
            errors.append(translate("%(field)s: %(value)s is not a number from %(low)s to %(high)s", locale)
                          % {"field": translate(f"staffing.{name}", locale), "value": raw[:40],
                             "low": f"{low:g}", "high": f"{high:g}"})
            values[name] = default
        else:
            values[name] = number
    if values["interval"] not in INTERVALS:
        errors.append(translate("%(field)s: %(value)s is not one of %(choices)s", locale)
                      % {"field": translate("staffing.interval", locale), "value": f"{values['interval']:g}",
                         "choices": "/".join(str(i) for i in INTERVALS)})
        values["interval"] = 30.0
    values["plan"] = request.args.get("plan") == "day"
    values["holiday"] = request.args.get("holiday") == "1"
    values["day"] = None
    if values["plan"]:
        try:
            values["day"] = date.fromisoformat(request.args.get("day", ""))
        except ValueError:
            errors.append(translate("%(field)s: give a date as YYYY-MM-DD", locale)
                          % {"field": translate("staffing.day", locale)})
        else:
            errors += _day_out_of_range(values["day"], locale)
    return values, errors


def _day_out_of_range(day: date, locale: str) -> list[str]:
    """A day before the tenant's kept history or more than a year ahead is refused (QA 14: 1900-01-01 was planned,
    its times at the zone's LMT offset +08:05:43); the range is said."""
    with tenant_session(SUPERVISE) as (session, who):
        settings = session.get(Tenant, who.tenant.tenant_id).settings
    today = datetime.now(UTC).astimezone(tenant_zone(settings)).date()
    first, last = first_kept_day(settings, today), today + timedelta(days=AHEAD_DAYS)
    if first <= day <= last:
        return []
    return [translate(DAY_OUT_OF_RANGE, locale) % {"field": translate("staffing.day", locale), "value": day.isoformat(),
                                                   "first": first.isoformat(), "last": last.isoformat()}]


def _said(exc: Unreachable) -> str:
    """An unreachable target in the reader's language."""
    return translate(exc.template, current_locale()) % exc.values


def _one_interval(values: dict[str, Any]) -> dict[str, Any]:
    try:
        figures = agents_for(values["level"] / 100, values["within"], values["calls"], values["interval"] * 60,
                             values["handle"], values["patience"])
    except Unreachable as exc:
        return {"error": _said(exc)}
    return {**asdict(figures), "positions": positions(figures.agents, values["shrinkage"] / 100)}


NO_HISTORY_DEFAULT = ("This tenant has no call history yet for this weekday: type the calls you expect per interval "
                      "to size it.")
FROM_HISTORY = ("From this tenant's history: the busiest %(interval)s-minute interval of this weekday (%(start)s), "
                "%(calls)s calls and %(handle)s s handle time on average over %(days)s days.")


def history_default(values: dict[str, Any]) -> dict[str, Any] | None:
    """Where the calculator starts when no volume is typed (QA 14: it started from a made-up 100 calls): the busiest
    interval of today's weekday in the tenant's own history (the day plan's average of the same weekdays), its calls
    and — unless typed — its handle time; None when the tenant has none (the page then asks for a forecast)."""
    with tenant_session(SUPERVISE) as (session, who):
        settings = session.get(Tenant, who.tenant.tenant_id).settings
        today = datetime.now(UTC).astimezone(tenant_zone(settings)).date()
        days, averaged = history(session, settings, today, int(values["interval"]))
    if not averaged:
        return None
    index, (calls, handle) = max(averaged.items(), key=lambda item: (item[1][0], -item[0]))
    minutes = index * int(values["interval"])
    return {"calls": round(calls, 1), "handle": float(round(handle)), "interval_start": f"{minutes // 60:02d}:"
            f"{minutes % 60:02d}", "history_days": [d.isoformat() for d in days]}


def _compute() -> tuple[dict[str, Any], list[str], dict[str, Any] | None, dict[str, Any] | None]:
    values, errors = _arguments()
    if errors:
        return values, errors, None, None
    values["defaults"] = None
    if values["calls"] is None:
        values["defaults"] = history_default(values)
        if values["defaults"] is not None:
            values["calls"] = values["defaults"]["calls"]
            if not request.args.get("handle", "").strip():
                values["handle"] = values["defaults"]["handle"]
    single = _one_interval(values) if values["calls"] else None
    plan = None
    if values["plan"]:
        with tenant_session(SUPERVISE) as (session, who):
            settings = session.get(Tenant, who.tenant.tenant_id).settings
            days, rows = day_plan(session, settings, values["day"], int(values["interval"]), values["level"] / 100,
                                  values["within"], values["shrinkage"] / 100, values["patience"],
                                  holiday=values["holiday"])
        plan = {"history_days": [d.isoformat() for d in days], "intervals": [
            {"start": row.start.isoformat(), "calls": round(row.calls, 2), "handle_seconds": round(row.handle_seconds),
             "agents": row.staffing.agents if row.staffing else 0, "positions": row.positions,
             "service_level": row.staffing.service_level if row.staffing else None,
             "error": _said(row.unreachable) if row.unreachable else row.error}
            for row in rows]}
        if not days:  # missing history is missing data, not zeros (docs/reports.md): null figures and why
            plan["intervals"] = [{"start": row["start"], "calls": None, "handle_seconds": None, "agents": None,
                                  "positions": None, "service_level": None, "error": None}
                                 for row in plan["intervals"]]
            plan["notice"] = translate(NO_HOLIDAY_HISTORY if values["holiday"] else NO_HISTORY, current_locale())
    return values, errors, single, plan


def staffing_page() -> ResponseReturnValue:
    with tenant_session(SUPERVISE):
        pass  # the role check, before any work
    values, errors, single, plan = _compute()
    return render_template("supervision/staffing.html", values=values, errors=errors, single=single, plan=plan,
                           intervals=INTERVALS, start_note=_start_note(values)), (400 if errors else 200)


def _start_note(values: dict[str, Any]) -> str | None:
    """Where the figures the page starts from come from, or that there is nothing to start from."""
    locale = current_locale()
    found = values.get("defaults")
    if found:
        return translate(FROM_HISTORY, locale) % {"interval": f"{values['interval']:g}", "start": found[
            "interval_start"], "calls": f"{found['calls']:g}", "handle": f"{found['handle']:g}",
            "days": str(len(found["history_days"]))}
    if values.get("calls") is None and "defaults" in values:
        return translate(NO_HISTORY_DEFAULT, locale)
    return None


def staffing_api() -> ResponseReturnValue:
    with tenant_session(SUPERVISE):
        pass
    values, errors, single, plan = _compute()
    if errors:
        return jsonify({"errors": errors}), 400
    hint = translate(NO_HISTORY_DEFAULT, current_locale()) if values["calls"] is None else None
    return jsonify({"interval": single, "plan": plan, "defaults": values["defaults"], "hint": hint})
