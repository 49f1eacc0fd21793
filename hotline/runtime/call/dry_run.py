"""A test call's services (`hotline call`): the flow runs for real, but leaves no tickets, urges or messages.

`hotline call` stored real tickets and sent real SMS (through the tenant's provider) while the dispatch rules,
which run off ticket events, never saw them: a half-real ticket nobody would handle (issue 11 QA, item 1).
Test calls are now dry-runs, as the designer's test calls already were (runtime/trial/flow.py): what the
flow would have created or sent is kept as events of the call (`dry_run: True`) for the trace and the CLI's
report. Reads (lookups, the customer, webhooks) and the queue stay real, so the call walks the same path.
Decided in docs/decisions.md ("Test calls are dry runs").
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any


class DryRunCallServices:
    """Wraps a call's CallServices: ticket, urge and SMS become events of the call instead of writes."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._numbers = itertools.count(1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _event(self, kind: str, **fields: Any) -> None:
        self._inner.events.append({"type": kind, "dry_run": True, **fields})

    async def create_ticket(self, form: str, fields: Mapping[str, str], **_options: Any) -> str:
        number = f"TEST-{next(self._numbers)}"
        self._event("ticket", form=form, number=number, fields=dict(fields))
        return number

    async def urge_open_ticket(self, form: str, field: str, value: str) -> None:
        return None  # a test call's tickets are not stored, so there is no open one to urge

    async def urge_ticket(self, number: str, *, caller: str | None = None,
                          code: str | None = None) -> dict[str, Any] | None:
        # the owner check is real (a stranger is refused as on a real call: QA of issue 11, item 3)
        preview = getattr(self._inner, "urge_preview", None)
        result = await preview(number, caller=caller, code=code) if preview else \
            {"allowed": True, "count": 1, "notified": 0, "handler": True}
        if result and result.get("allowed"):
            self._event("urge", number=number)
        return result

    async def send_sms(self, to: str, text: str) -> None:
        self._event("sms", to=to, text=text)
