"""The four document kinds: each folder holds its JSON Schema and its semantic lint."""

from __future__ import annotations

KINDS: tuple[str, ...] = ("ivr", "form", "dispatch", "outbound")
