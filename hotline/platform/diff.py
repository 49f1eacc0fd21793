"""Structural diff of two JSON documents, as a list of changes at JSON Pointers.

Used for version diffs and "changes against template": analysts read it, so each change names the place
and the old and new values rather than showing raw JSON text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from .findings import join


@dataclass(frozen=True, slots=True)
class Change:
    op: Literal["added", "removed", "changed"]
    pointer: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        if self.op == "added":
            return f"+ {self.pointer}: {_short(self.new)}"
        if self.op == "removed":
            return f"- {self.pointer}: {_short(self.old)}"
        return f"~ {self.pointer}: {_short(self.old)} → {_short(self.new)}"


def _short(value: Any, limit: int = 80) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff(old: Any, new: Any, ptr: str = "") -> list[Change]:
    """Changes that turn `old` into `new`; empty when they are equal."""
    changes: list[Change] = []
    stack: list[tuple[Any, Any, str]] = [(old, new, ptr)]
    while stack:
        a, b, at = stack.pop()
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(a.keys() | b.keys(), reverse=True):
                if key not in b:
                    changes.append(Change("removed", join(at, key), old=a[key]))
                elif key not in a:
                    changes.append(Change("added", join(at, key), new=b[key]))
                elif a[key] != b[key]:
                    stack.append((a[key], b[key], join(at, key)))
        elif isinstance(a, list) and isinstance(b, list):
            common = min(len(a), len(b))
            for i in range(len(a) - 1, common - 1, -1):
                changes.append(Change("removed", join(at, i), old=a[i]))
            for i in range(len(b) - 1, common - 1, -1):
                changes.append(Change("added", join(at, i), new=b[i]))
            for i in range(common - 1, -1, -1):
                if a[i] != b[i]:
                    stack.append((a[i], b[i], join(at, i)))
        elif a != b or type(a) is not type(b):
            changes.append(Change("changed", at, old=a, new=b))
    changes.sort(key=lambda c: c.pointer)
    return changes
