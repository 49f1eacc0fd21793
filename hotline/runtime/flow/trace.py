"""The call trace: what the flow did, step by step, stored as JSON in the call record.

Analysts read it to see where callers went and why a call reached the fallback, so every step keeps
the node, when it was entered, how long it took, what the caller heard and pressed, the variables it
set and where it went next. Built with plain dicts and lists: cheap to append per step and
serialisable as is.

Format (``CallTrace.to_dict()``)::

    {"started_at": "2026-01-05T09:00:00+00:00",      # wall clock, ISO 8601
     "duration_ms": 8123.4,
     "outcome": "completed" | "caller_hangup" | "abandoned" | "transferred" | "error",
     "node": "<node where the call ended>",
     "hangup_cause": "NORMAL_CLEARING" | null,
     "errors": [{"node": "lookup_status", "type": "lookup", "reason": "TimeoutError: ...",
                 "at_ms": 812.0, "to": "<fallback or error target>" | null}],
     "steps": [{"node": "menu", "type": "menu", "at_ms": 35.1, "ms": 5012.7,
                "prompts": ["For tracking press 1"], "digits": ["1"],   # digits: null = timeout
                "set": {"waybill": "1234"}, "info": {...}, "next": "collect_waybill"}]}

`prompts`, `digits`, `set` and `info` appear only on steps that have them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

_JSON_SCALARS = (str, int, float, bool, type(None))


def jsonable(value: Any) -> Any:
    """`value` as JSON can hold it: mappings and sequences walked (keys made text), anything else its str().

    The one copy the runtime uses for traces, call records, call contexts and test-call results."""
    if isinstance(value, _JSON_SCALARS):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


class CallTrace:
    """Append-only record of one run of a flow."""

    __slots__ = ("_current", "_duration_ms", "_t0", "errors", "hangup_cause", "node", "outcome", "started_at",
                 "steps")

    def __init__(self, started_at: datetime | None = None) -> None:
        self.started_at = started_at or datetime.now(UTC)
        self._t0 = time.perf_counter()
        self.steps: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None
        self.outcome: str | None = None
        self.node: str | None = None
        self.hangup_cause: str | None = None
        self._duration_ms: float | None = None

    def _ms(self) -> float:
        return round((time.perf_counter() - self._t0) * 1000, 1)

    def enter(self, node_id: str, node_type: str | None) -> None:
        """Starts a step; the previous one must have been left."""
        self._current = {"node": node_id, "type": node_type, "at_ms": self._ms()}
        self.steps.append(self._current)

    def leave(self, next_id: str | None) -> None:
        """Closes the current step with its duration and where the flow goes next."""
        step = self._current
        if step is None:
            return
        step["ms"] = round(self._ms() - step["at_ms"], 1)
        step["next"] = next_id
        self._current = None

    def _step(self) -> dict[str, Any]:
        # Prompts outside any node (the built-in apology) get a step of their own.
        if self._current is None:
            self.enter("", None)
        return self._current  # type: ignore[return-value]

    def prompt(self, text: str) -> None:
        """A prompt the caller heard, as text."""
        self._step().setdefault("prompts", []).append(text)

    def digits(self, digits: str | None) -> None:
        """What the caller pressed in one collect; None when the caller pressed nothing."""
        self._step().setdefault("digits", []).append(digits)

    def variable(self, name: str, value: Any) -> None:
        """A variable the current node set."""
        self._step().setdefault("set", {})[name] = jsonable(value)

    def info(self, key: str, value: Any) -> None:
        """Node-specific facts: the lookup source and result, the queue outcome, the SMS recipient."""
        self._step().setdefault("info", {})[key] = jsonable(value)

    def error(self, node_id: str | None, node_type: str | None, reason: str, to: str | None) -> None:
        """An error at a node and where the caller was sent because of it (None: nowhere left)."""
        self.errors.append({"node": node_id, "type": node_type, "reason": reason, "at_ms": self._ms(),
                            "to": to})

    def finish(self, outcome: str, node: str | None, hangup_cause: str | None) -> None:
        """Records how the call ended."""
        self.outcome, self.node, self.hangup_cause = outcome, node, hangup_cause
        self._duration_ms = self._ms()

    @property
    def path(self) -> list[str]:
        """The node ids visited, in order."""
        return [step["node"] for step in self.steps]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form stored in the call record."""
        return {
            "started_at": self.started_at.isoformat(),
            "duration_ms": self._duration_ms if self._duration_ms is not None else self._ms(),
            "outcome": self.outcome,
            "node": self.node,
            "hangup_cause": self.hangup_cause,
            "errors": self.errors,
            "steps": self.steps,
        }
