"""Text written to the database fits its column: length within String(n), no NUL, no lone surrogate.

PostgreSQL refuses all three with an error deep in a flush (a 500 on about twenty pages, and one NUL
cell lost a whole import batch), while SQLite stores them silently, so tests on SQLite never saw it.
One mapper hook checks every row before it is written and raises ValueRefused naming the field, which
the web layer shows as a clear 400/422 and an import reports against its line (issue 10).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, event, inspect
from sqlalchemy.orm import Mapper

from .services.errors import ServiceError


class ValueRefused(ServiceError):
    """A value the database cannot store as given; the message says which field and why."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def text_problem(value: str, limit: int | None = None) -> str | None:
    """Why value cannot be stored as text (None when it can)."""
    if "\x00" in value:
        return f"contains a NUL character (at character {value.index(chr(0)) + 1})"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains an unpaired surrogate (U+{ord(value[exc.start]):04X})"
    if limit is not None and len(value) > limit:
        return f"is {len(value):,} characters long; at most {limit:,} are allowed"
    return None


def json_problem(value: Any) -> tuple[str, str] | None:
    """(where, why) of the first text inside a JSON value the database cannot store (PostgreSQL's
    jsonb refuses \u0000), walked without recursion."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return at or "/", problem
        elif isinstance(item, dict):
            for key, inner in item.items():
                problem = text_problem(key) if isinstance(key, str) else None
                if problem:
                    return f"{at}/{key}", f"key {problem}"
                stack.append((inner, f"{at}/{key}"))
        elif isinstance(item, list):
            stack.extend((inner, f"{at}/{index}") for index, inner in enumerate(item))
    return None


def _check_row(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    state = inspect(target)
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if attr.key in state.unmodified:
            continue
        value = getattr(target, attr.key, None)
        if isinstance(column.type, JSON) and isinstance(value, dict | list):
            found = json_problem(value)
            if found:
                raise ValueRefused(f"{attr.key.replace('_', ' ')} at {found[0]} {found[1]}",
                                   f"{mapper.class_.__name__}.{attr.key}")
            continue
        if not isinstance(column.type, String) or not isinstance(value, str):
            continue
        problem = text_problem(value, column.type.length)
        if problem:
            field = f"{mapper.class_.__name__}.{attr.key}"
            raise ValueRefused(f"{attr.key.replace('_', ' ')} {problem}", field)


_installed = False


def install() -> None:
    """Checks every row of every model before insert and update (idempotent, process-wide)."""
    global _installed
    if _installed:
        return
    from .models import Base

    event.listen(Base, "before_insert", _check_row, propagate=True)
    event.listen(Base, "before_update", _check_row, propagate=True)
    _installed = True
