"""What happened in the ACD, per tenant, for the call trace and the wallboard.

The Lua scripts append to a Redis stream per tenant (``P:tenant:<tenant>:events``) in the same atomic
step as the change they describe, so the stream's order is the order of the changes. An agent serving
several tenants has its state changes written to each of its tenants' streams, without the call or
tenant of the call that caused them (a tenant never learns another tenant's call ids).

Kinds: ``agent_state`` (agent, state, reason, until: the end of a timed wrap-up or break, else empty),
``call_enqueued`` (call, queue, priority), ``call_offered`` (call, queue, agent),
``call_requeued`` (call, queue, agent, reason), ``call_answered`` (call, queue, agent), ``call_left`` (call,
queue, reason: timeout / cancelled / lease_expired, and agent when an offer was withdrawn), ``call_ended`` (call,
queue, agent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys

# Each tenant stream is trimmed to about this many entries (XADD MAXLEN ~); the CDR, not this stream,
# is the record of calls.
EVENTS_MAXLEN = 10000


@dataclass(frozen=True, slots=True)
class AcdEvent:
    """One entry of a tenant's event stream."""

    id: str
    kind: str
    at: float
    fields: dict[str, str]

    def get(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value or None


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def after_bound(after: str) -> str:
    """XRANGE's lower bound for "entries after stream id `after`" ("0-0" means from the start)."""
    return f"({after}" if after != "0-0" else "-"


def events_from_rows(rows: list[Any]) -> list[AcdEvent]:
    """XRANGE rows as events: one parsing for the async runtime and the desk's sync reads."""
    events = []
    for raw_id, raw_fields in rows:
        fields = {_text(k): _text(v) for k, v in raw_fields.items()}
        kind = fields.pop("kind", "")
        at = float(fields.pop("at", "0") or 0)
        events.append(AcdEvent(_text(raw_id), kind, at, fields))
    return events


async def read_events(
    redis: Redis, keys: AcdKeys, tenant_id: str, *, after: str = "0-0", count: int = 1000
) -> list[AcdEvent]:
    """Events of a tenant after the stream id `after`, oldest first (at most `count`)."""
    return events_from_rows(await redis.xrange(keys.events(tenant_id), min=after_bound(after), count=count))
