"""Size limits every document must meet before any validator looks at it.

The schema validators recurse (the pure-Python one in Python frames, jsonschema-rs on the native
stack) and word errors with the offending instance, so a document an analyst can type must be bounded
before they run: deep nesting raised RecursionError (or could overflow the native stack), huge
objects cost quadratic time and memory, and a lone surrogate (``"\\ud800"``, which ``json.loads``
accepts) made jsonschema-rs raise UnicodeEncodeError. One iterative walk (no recursion, no copies)
checks all of it and says which limit was passed, at which JSON Pointer (issue 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..findings import Finding, error, pointer

#: Code of every finding this module makes.
CODE = "limit"


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one document body; the defaults hold the largest real IVR many times over."""

    #: Approximate UTF-8 size of the body as JSON (strings, keys and scalars). 2 MB, not 4: checking a
    #: 3.8 MB draft took ~4 s of CPU; the largest template IVR is well under 100 KB.
    max_bytes: int = 2 * 1024 * 1024
    #: Containers inside containers: the templates nest 9 deep, condition trees a few levels more.
    max_depth: int = 48
    #: Members of one object (IVR nodes, form fields) or items of one array.
    max_members: int = 20_000
    #: Objects, arrays and scalars in the whole body.
    max_values: int = 250_000
    #: Characters of one string or key (a prompt text, an SMS template).
    max_string: int = 64 * 1024


DEFAULT_LIMITS = Limits()


def _text_finding(text: str, at: str, what: str, limits: Limits) -> Finding | None:
    if len(text) > limits.max_string:
        return error(at, f"{what} is {len(text):,} characters long; the limit is {limits.max_string:,}", CODE)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return error(at, f"{what} contains an unpaired surrogate (U+{code:04X} at character {exc.start + 1}), "
                         "which is not a character; remove it", CODE)
    if "\x00" in text:
        return error(at, f"{what} contains a NUL character (at character {text.index(chr(0)) + 1}); remove it",
                     CODE)
    return None


def check_limits(body: Any, limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """The first limit the body passes, as one finding at the pointer where it happened (or none).

    Stops at the first problem: a document over a limit is refused whole, and walking on through a
    hostile document would cost what the limit exists to prevent.
    """
    size = 0
    values = 0
    # (value, pointer, depth); pointers are built only for containers and offending values.
    stack: list[tuple[Any, str, int]] = [(body, "", 0)]
    while stack:
        value, at, depth = stack.pop()
        values += 1
        if values > limits.max_values:
            return [error("", f"the document has more than {limits.max_values:,} values; "
                              "split it into smaller documents", CODE)]
        if isinstance(value, str):
            size += len(value) + 2
            found = _text_finding(value, at, "this text", limits)
            if found:
                return [found]
        elif isinstance(value, dict | list):
            if depth >= limits.max_depth:
                return [error(at, f"nesting is deeper than {limits.max_depth} levels here", CODE)]
            if len(value) > limits.max_members:
                what = "members" if isinstance(value, dict) else "items"
                return [error(at, f"{len(value):,} {what} here; the limit is {limits.max_members:,}", CODE)]
            size += 2
            if isinstance(value, dict):
                for key, item in value.items():
                    if not isinstance(key, str):
                        return [error(at, f"key {key!r} is not a string", CODE)]
                    size += len(key) + 4
                    found = _text_finding(key, at + pointer(key), "this key", limits)
                    if found:
                        return [found]
                    stack.append((item, at + pointer(key), depth + 1))
            else:
                size += len(value)
                stack.extend((item, at + pointer(index), depth + 1) for index, item in enumerate(value))
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                return [error(at, f"{value} is not a JSON number", CODE)]
            size += 8
        else:
            size += 5
        if size > limits.max_bytes:
            return [error("", f"the document is larger than {limits.max_bytes // 1024:,} KB; "
                              "split it into smaller documents", CODE)]
    return []
