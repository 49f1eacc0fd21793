"""Semantic lint of the four kinds, and the full check publishing runs (schema, then lint).

Lint trusts the shapes the schema guarantees (required keys, types), so it only runs on bodies that
passed the schema; check() enforces that order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..findings import Finding, has_errors, pointer_order
from .context import LintContext
from .dispatch import lint as dispatch_lint
from .form import lint as form_lint
from .ivr import lint as ivr_lint
from .outbound import lint as outbound_lint
from .validation import UnknownKindError, validate_schema

Linter = Callable[[dict[str, Any], LintContext, str | None], list[Finding]]

#: kind → its lint; every kind of KINDS has one.
LINTERS: dict[str, Linter] = {
    "ivr": ivr_lint.lint,
    "form": form_lint.lint,
    "dispatch": dispatch_lint.lint,
    "outbound": outbound_lint.lint,
}


def lint(kind: str, body: dict[str, Any], ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Semantic findings of a body that already passed its schema, sorted by pointer.

    source is the body's raw JSON text when the caller has it (an upload, the designer's editor):
    with it the lint also reports keys written twice, which parsing silently drops.
    """
    try:
        linter = LINTERS[kind]
    except KeyError:
        raise UnknownKindError(f"unknown document kind {kind!r}: expected one of {', '.join(LINTERS)}") from None
    findings = linter(body, ctx, source)
    findings.sort(key=lambda f: pointer_order(f.pointer))
    return findings


def check(kind: str, body: Any, ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Everything publishing must know: schema findings, then lint findings if the schema passed."""
    findings = validate_schema(kind, body)
    if has_errors(findings):
        return findings
    return findings + lint(kind, body, ctx, source)
