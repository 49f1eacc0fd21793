"""Why a condition tree is false: the parts that made it so, for the designer's dry run.

`conditions.evaluate` answers yes or no; a designer needs to know which part failed and on what value. The
parts are found with `evaluate` itself on each sub-tree, so the explanation cannot disagree with the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..conditions import _MISSING, evaluate, resolve

#: At most this many parts are reported (a generated tree may be large).
MAX_PARTS = 20


def _leaf(condition: Mapping[str, Any], context: Mapping[str, Any], negated: bool) -> dict[str, Any]:
    value = resolve(context, str(condition.get("field", "")))
    part: dict[str, Any] = {"field": condition.get("field"), "op": condition.get("op"), "negated": negated,
                            "missing": value is _MISSING or value is None,
                            "actual": None if value is _MISSING else value}
    if "value" in condition:
        part["expected"] = condition["value"]
    return part


def failed_parts(condition: Mapping[str, Any], context: Mapping[str, Any],
                 negated: bool = False) -> list[dict[str, Any]]:
    """The comparisons that make `condition` false on `context` (true, when `negated`: under a `not`).

    Each is {"field", "op", "expected"?, "actual" (None when missing), "missing", "negated"}. For `all`, the
    failing children; for `any`, every child (none held); for `not`, the child that held.
    """
    wanted = negated  # the value the tree must have had for the whole to hold
    if "all" in condition or "any" in condition:
        children = condition.get("all") if "all" in condition else condition.get("any")
        found: list[dict[str, Any]] = []
        for child in children or []:
            if isinstance(child, Mapping) and evaluate(child, context) == wanted:
                found.extend(failed_parts(child, context, negated))
        return found[:MAX_PARTS]
    if "not" in condition and isinstance(condition["not"], Mapping):
        return failed_parts(condition["not"], context, not negated)
    return [_leaf(condition, context, negated)]
