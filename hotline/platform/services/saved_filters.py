"""Ticket filters an agent saves under a name, next to the built-in presets ("my open", "overdue").

A saved filter is the ticket list's query-string arguments, kept per user and tenant, so applying it is
opening the list with those arguments; only known arguments are kept, so an old filter cannot smuggle
anything else into the search.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import SavedFilter
from ..scoping import tenant_of
from .errors import Duplicate, InvalidDocument, NotFound

#: The ticket list's filter arguments (paging and sorting are not part of a filter... except sort, which is).
KEYS = ("q", "status", "form", "assignee", "created_from", "created_to", "overdue", "open", "sort")
MAX_PER_USER = 50


def clean_query(args: Mapping[str, Any]) -> dict[str, Any]:
    """Only the filter arguments, without empty values; lists (status, form) kept as lists."""
    query: dict[str, Any] = {}
    for key in KEYS:
        value = args.get(key)
        if isinstance(value, list | tuple):
            value = [str(v) for v in value if str(v).strip()]
        elif value is not None:
            value = str(value).strip()
        if value:
            query[key] = value
    return query


def for_user(session: Session, user_id: int) -> list[SavedFilter]:
    if tenant_of(session) is None:
        raise ValueError("saved filters live in a tenant-scoped session")
    return list(session.scalars(select(SavedFilter).where(SavedFilter.user_id == user_id)
                                .order_by(SavedFilter.name)))


def get(session: Session, user_id: int, filter_id: int) -> SavedFilter:
    found = session.get(SavedFilter, filter_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"saved filter #{filter_id} not found")
    return found


def save(session: Session, user_id: int, name: str, args: Mapping[str, Any]) -> SavedFilter:
    """Saves the filter under `name` (replacing the user's filter of that name)."""
    name = (name or "").strip()
    query = clean_query(args)
    findings = []
    if not name:
        findings.append(Finding("/name", "error", "give the filter a name", "required"))
    elif len(name) > 100:
        findings.append(Finding("/name", "error", "a filter name has at most 100 characters", "length"))
    if not query:
        findings.append(Finding("/query", "error", "the list is not filtered: nothing to save", "required"))
    if findings:
        raise InvalidDocument("the filter cannot be saved", findings)
    existing = {f.name: f for f in for_user(session, user_id)}
    row = existing.get(name)
    if row is None:
        if len(existing) >= MAX_PER_USER:
            raise Duplicate(f"you have {MAX_PER_USER} saved filters already; delete one first")
        row = SavedFilter(user_id=user_id, name=name)
        session.add(row)
    row.query = query
    session.flush()
    return row


def delete(session: Session, user_id: int, filter_id: int) -> None:
    session.delete(get(session, user_id, filter_id))
    session.flush()
