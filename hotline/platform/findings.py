"""Findings: what validation and lint say about a document.

One shape for schema errors and semantic lint so the CLI, the service layer and the designer show every
problem the same way: where (a JSON Pointer into the document body), how bad, and a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


def pointer(*parts: str | int) -> str:
    """Builds a JSON Pointer (RFC 6901) from path parts, escaping '~' and '/'."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_order(ptr: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key putting findings in document order: list indexes and digit keys compare as numbers, so
    /rules/2 comes before /rules/10 and key 2 before key 10 (text order put 规则 11 before 规则 3)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in ptr.split("/")[1:])


def join(base: str, *parts: str | int) -> str:
    """Extends an existing pointer."""
    return base + pointer(*parts)


@dataclass(frozen=True, slots=True)
class Fix:
    """A repair the designer can make in one click (kinds/fixes.py says which findings get which).

    action: "connect" (point the target field at `pointer` to a node the analyst picks), "remove" (delete the
    entry at `pointer`), "pick" (choose an existing `resource` for the field at `pointer`), "create" (create the
    `resource` called `name`, which the field at `pointer` already names).
    """

    action: Literal["connect", "remove", "pick", "create"]
    pointer: str
    resource: str = ""
    name: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass(frozen=True, slots=True)
class Finding:
    pointer: str
    severity: Severity
    message: str
    code: str = "schema"
    #: One-click repairs, when one is known; most findings have none.
    fixes: tuple[Fix, ...] = ()
    #: Where it is, in the reader's words, outermost first (kinds/places.py); empty until worded (in_words).
    place: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"pointer": self.pointer, "severity": self.severity, "message": self.message,
                               "code": self.code}
        if self.fixes:  # absent otherwise: the JSON of a finding without a fix is what it always was
            out["fixes"] = [f.as_dict() for f in self.fixes]
        if self.place:
            out["place"] = list(self.place)
        return out

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.severity}: {self.message} [{self.code}]"


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def error(ptr: str, message: str, code: str) -> Finding:
    return Finding(ptr, "error", message, code)


def warning(ptr: str, message: str, code: str) -> Finding:
    return Finding(ptr, "warning", message, code)
