"""What the caller entered in the IVR, as the agent and the test-call report show it.

The flow's variables start with the IVR document's defaults (the express template's pickup_time =
今天18:00前), so listing `variables` showed a time slot on every call, even one that never passed the
time-slot menu, and under its code name (QA of issue 11, item 4). Only the variables a node set during
the call count, each under its label from the document (`label`, else `description`); a variable the
document does not describe is left out rather than shown by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def set_during_call(steps: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """{name: last value} of the variables the call's nodes set (trace steps' "set"), in the order first set."""
    found: dict[str, Any] = {}
    for step in steps:
        for name, value in (step.get("set") or {}).items():
            found[name] = value
    return found


def entered(body: Mapping[str, Any], steps: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """[{"name", "label", "value"}] of what the caller entered, labelled by the IVR document."""
    declared = body.get("variables") or {}
    out = []
    for name, value in set_during_call(steps).items():
        spec = declared.get(name) or {}
        label = str(spec.get("label") or spec.get("description") or "").strip()
        if label and value not in (None, ""):
            out.append({"name": name, "label": label, "value": value})
    return out
