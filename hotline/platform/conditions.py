"""Structured condition trees (all / any / not / comparison), evaluated safely.

Conditions are data, never code: the designer builds them, the lint checks their operands, and the IVR
engine and the dispatch rules evaluate them here. A missing operand makes its comparison false (the lint
reports it before publish), never an exception in a live call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from .findings import join

_MISSING = object()


def operands(condition: Mapping[str, Any], ptr: str = "") -> Iterator[tuple[str, str]]:
    """Yields (operand, pointer) for every comparison in a condition tree."""
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        for i, child in enumerate(condition[key]):
            yield from operands(child, join(ptr, key, i))
    elif "not" in condition:
        yield from operands(condition["not"], join(ptr, "not"))
    elif "field" in condition:
        yield condition["field"], join(ptr, "field")


def resolve(context: Mapping[str, Any], dotted: str) -> Any:
    """Looks a dotted operand (customer.vip) up in nested mappings; _MISSING when absent."""
    value: Any = context
    for part in dotted.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return _MISSING
    return value


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    lnum, rnum = _number(left), _number(right)
    if lnum is not None and rnum is not None:
        left, right = lnum, rnum
    else:
        left, right = str(left), str(right)
    if op == "gt":
        return left > right
    if op == "gte":
        return left >= right
    if op == "lt":
        return left < right
    return left <= right


def _equal(left: Any, right: Any) -> bool:
    if left == right:
        return True
    # Digits collected from a caller are strings; a condition may compare them with a number.
    lnum, rnum = _number(left), _number(right)
    if lnum is not None and rnum is not None and not isinstance(left, bool) and not isinstance(right, bool):
        return lnum == rnum
    return False


def _comparison(cond: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    op = cond["op"]
    value = resolve(context, cond["field"])
    if op == "exists":
        return value is not _MISSING and value is not None
    if op == "not_exists":
        return value is _MISSING or value is None
    empty = value is _MISSING or value is None or value == "" or value == [] or value == {}
    if op == "empty":
        return empty
    if op == "not_empty":
        return not empty
    if value is _MISSING or value is None:
        return op in ("ne", "not_in")
    expected = cond.get("value")
    if op == "eq":
        return _equal(value, expected)
    if op == "ne":
        return not _equal(value, expected)
    if op == "in":
        return any(_equal(value, item) for item in expected)
    if op == "not_in":
        return not any(_equal(value, item) for item in expected)
    if op == "contains":
        if isinstance(value, list | tuple | set):
            return any(_equal(item, expected) for item in value)
        return str(expected) in str(value)
    if op == "starts_with":
        return str(value).startswith(str(expected))
    if op == "ends_with":
        return str(value).endswith(str(expected))
    if op == "matches":
        return _regex(str(expected)).search(str(value)) is not None
    return _compare(op, value, expected)


def evaluate(condition: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    """Evaluates a condition tree against a nested context (var, call, customer, ticket, ...)."""
    if "all" in condition:
        return all(evaluate(child, context) for child in condition["all"])
    if "any" in condition:
        return any(evaluate(child, context) for child in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], context)
    return _comparison(condition, context)
