"""Errors the services raise; the CLI and the web layer turn them into messages and status codes."""

from __future__ import annotations

from collections.abc import Sequence

from ..findings import Finding


class ServiceError(Exception):
    """Base of every expected, user-facing failure."""


class NotFound(ServiceError):
    """Absent, or belongs to another tenant (the two are deliberately indistinguishable)."""


class Duplicate(ServiceError):
    pass


class Conflict(ServiceError):
    """A stale edit: someone else saved since the revision the edit started from."""

    def __init__(self, message: str, current_revision: int) -> None:
        super().__init__(message)
        self.current_revision = current_revision


class InvalidDocument(ServiceError):
    """A document that is not valid, with every finding (JSON Pointer, severity, sentence)."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = list(findings)

    def __str__(self) -> str:
        lines = [super().__str__()] + [f"  {f}" for f in self.findings]
        return "\n".join(lines)
