"""Shared bits of the quality pages: names of agents, local times, dates from query arguments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

from ...platform.models import User


def names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(ids))).all()
    return {uid: display or username for uid, display, username in rows}


def local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


class BadArg(BadRequest):
    """A bad query argument: a 400 naming it, with the reason as a UI-string template and its values, so a page
    can show itself again with the problem in its reader's words (task 15d item 2b)."""

    def __init__(self, name: str, reason: str, **params: str) -> None:
        super().__init__(f"{name}: " + reason % params)
        self.arg, self.reason, self.params = name, reason, params


def day_arg(name: str, default: date) -> date:
    """A YYYY-MM-DD query argument; a bad one is a 400 naming it."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadArg(name, "“%(value)s” is not a day (YYYY-MM-DD)", value=raw[:40]) from None


def float_arg(name: str, low: float, high: float) -> float | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadArg(name, "“%(value)s” is not a number", value=raw[:40]) from None
    if not low <= value <= high:
        raise BadArg(name, "between %(low)s and %(high)s", low=f"{low:g}", high=f"{high:g}")
    return value
