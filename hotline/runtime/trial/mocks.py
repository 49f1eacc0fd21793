"""Mock answers for a test call's lookup nodes: what a data table or a webhook "returns" in this call only.

Why: an analyst testing a flow needs the found, not-found and failed branches of a lookup without a waybill in
the table for each case or a partner system that can be made to fail. A mock is chosen per lookup node when
the call starts, lives on the LiveCall (never in the document, never shared: a call belongs to one tenant)
and answers in place of the source, through the lookup node's own code, so the variables are set and the
branches taken exactly as a real answer would. Nodes without a mock query for real (tables, webhooks through
the SSRF guard), as before. Validation of what the analyst typed is the API's (designer/api/test_call_mocks.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REAL, FOUND, NOT_FOUND, FAILED = "real", "found", "not_found", "failed"
RESULTS = (REAL, FOUND, NOT_FOUND, FAILED)
#: The longest value an analyst may give a variable (a prompt reads it aloud; nothing needs more).
MAX_VALUE = 500


class MockedFailure(Exception):
    """The failure a mock stands for: the lookup node takes its error branch (else the flow's fallback)."""


@dataclass(frozen=True)
class LookupMock:
    """One lookup node's answer in this test call; `values` are by the node's variable names."""

    result: str
    values: Mapping[str, str] = field(default_factory=dict)

    def answer(self, node: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The record the source 'returned' (None: not found), built so that the node's `assign` paths
        (dotted for nested webhook JSON) read the values back; raises MockedFailure for a failure."""
        if self.result == FAILED:
            raise MockedFailure("mocked failure/time-out (test call)")
        if self.result == NOT_FOUND:
            return None
        record: dict[str, Any] = {}
        for variable, path in (node.get("assign") or {}).items():
            if variable not in self.values:
                continue
            parts = str(path).split(".")
            here = record
            for part in parts[:-1]:
                nested = here.get(part)
                here = here.setdefault(part, {}) if not isinstance(nested, dict) else nested
            here[parts[-1]] = self.values[variable]
        return record

    def event(self) -> dict[str, Any]:
        """What the call's `mock` event says (the panel shows it beside the node in the path)."""
        return {"result": self.result, "values": dict(self.values)}
