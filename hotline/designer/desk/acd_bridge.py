"""The desk's way into the runtime's ACD, from synchronous Flask.

Two paths, on purpose:

* **changes** (login, set_state) go through the ACD's own asyncio `Presence`, run with `asyncio.run` on a
  short-lived asyncio client. The Lua scripts and their rules (an agent ringing cannot go on break; pressing
  "available" twice keeps its place in line) stay in one place, the runtime, and the desk cannot drift from
  them. A presence change is a click, so the ~1 ms of a fresh event loop and connection does not matter;
* **reads** (the agent's hash, the tenant's event stream, the call's context) are plain Redis reads of the
  documented key layout (platform/acd/keys.py) on a sync client, because the SSE stream polls them twice a second
  per open desk and a fresh event loop per poll would be waste.

One `DeskAcd` per app, in `app.extensions["hotline.desk.acd"]` (tests and `hotline up` put theirs there);
otherwise it is built from the configured Redis on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app

from ...runtime.acd import DEFAULT_PREFIX, Acd, AcdEvent, AcdKeys
from ...runtime.acd.events import after_bound, events_from_rows

# The ACD's own reading of an agent hash (bytes or text, an expired timed wrap-up counting as available):
# one rule for the desk and the router. The ACD keeps them module-private; the desk is their one other reader.
from ...runtime.acd.presence import _presence as presence_from_hash
from ...runtime.acd.presence import _text
from ...runtime.call import context as call_context

EXTENSION_KEY = "hotline.desk.acd"
T = TypeVar("T")


@dataclass(frozen=True)
class AgentNow:
    """An agent's presence as it counts now (an expired timed wrap-up reads as available)."""

    agent_id: str
    state: str
    since: float
    reason: str | None
    call_id: str | None
    call_tenant: str | None
    wrap_until: float | None
    server_time: float
    #: waiting for the preview callee they dialled (platform/acd/reservations.py): `available`, yet held
    reserved: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"agent": self.agent_id, "state": self.state, "since": self.since, "reason": self.reason,
                "call": self.call_id, "call_tenant": self.call_tenant, "wrap_until": self.wrap_until,
                "server_time": self.server_time}


class DeskAcd:
    def __init__(self, sync_client: Any, async_client: Callable[[], Any], prefix: str = DEFAULT_PREFIX) -> None:
        self.redis = sync_client
        self.async_client = async_client
        self.prefix = prefix
        self.keys = AcdKeys(prefix)

    @classmethod
    def from_connections(cls, connections: Any, prefix: str = DEFAULT_PREFIX) -> DeskAcd:
        """From platform.redis_conn.RedisConnections (shares the embedded stand-in's server with the runtime)."""
        return cls(connections.sync, connections.new_async, prefix)

    # -- changes through the ACD's own code --------------------------------------------------------------------
    def _run(self, work: Callable[[Acd], Awaitable[T]]) -> T:
        async def main() -> T:
            client = self.async_client()
            try:
                return await work(Acd(client, prefix=self.prefix))
            finally:
                await client.aclose()

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(main())
        # This thread already runs an event loop (an embedding server, a test driver): use a fresh thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, main()).result()

    def login(self, agent_id: str, skills: Mapping[str, Mapping[str, int]], state: str = "available") -> AgentNow:
        """Logs the agent in with its tenants and skills (replacing the ones held before), in `state`."""
        self._run(lambda acd: acd.presence.login(agent_id, skills, state=state))
        found = self.agent(agent_id)
        assert found is not None
        return found

    def set_state(self, agent_id: str, state: str, reason: str | None = None,
                  wrap_up_seconds: float | None = None) -> AgentNow:
        """An agent-chosen state; raises the ACD's UnknownAgent / AgentBusy / ValueError as they are."""
        self._run(lambda acd: acd.presence.set_state(agent_id, state, reason, wrap_up_seconds=wrap_up_seconds))
        found = self.agent(agent_id)
        assert found is not None
        return found

    # -- reads -------------------------------------------------------------------------------------------------
    def server_time(self) -> float:
        seconds, micros = self.redis.time()
        return seconds + micros / 1_000_000

    def agent(self, agent_id: str) -> AgentNow | None:
        """The agent's presence now; None when it never logged in."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.time()
        pipe.hgetall(self.keys.agent(agent_id))
        (seconds, micros), raw = pipe.execute()
        if not raw:
            return None
        now = seconds + micros / 1_000_000
        fields = {_text(k): _text(v) for k, v in raw.items()}
        found = presence_from_hash(agent_id, fields, {}, now)
        return AgentNow(agent_id, found.state, found.since, found.reason, found.call_id,
                        fields.get("call_tenant") or None, found.wrap_until, now, found.reserved)

    def last_event_id(self, tenant_id: str) -> str:
        """The id of the tenant's newest ACD event ("0-0" for none): where a new stream starts reading."""
        rows = self.redis.xrevrange(self.keys.events(tenant_id), count=1)
        return _text(rows[0][0]) if rows else "0-0"

    def events(self, tenant_id: str, after: str, count: int = 200) -> list[AcdEvent]:
        """The tenant's ACD events after stream id `after`, oldest first."""
        return events_from_rows(self.redis.xrange(self.keys.events(tenant_id), min=after_bound(after), count=count))

    def call_queue(self, call_uuid: str) -> str | None:
        """The queue a live call came through: what a desk opened mid-call shows (its events are past).

        The runtime's crash record of the call (``P:live``) names the last queue entered; the ACD's own call
        hash names it while the ACD holds the call."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.hget(self.keys.live(call_uuid), "queue")
        pipe.hget(self.keys.call(call_uuid), "queue")
        for found in pipe.execute():
            if found:
                return _text(found)
        return None

    def call_context(self, call_uuid: str) -> dict[str, Any] | None:
        """What the runtime left about a live call (caller, IVR path, variables) — runtime/call_context.py."""
        return call_context.read(self.redis, self.prefix, call_uuid)


def desk_acd() -> DeskAcd:
    """The app's DeskAcd, over the app's one Redis (redis_access.py) unless a test put its own here."""
    found = current_app.extensions.get(EXTENSION_KEY)
    if found is None:
        from ..redis_access import redis_connections

        found = current_app.extensions[EXTENSION_KEY] = DeskAcd.from_connections(redis_connections())
    return found


def wrap_up_left(agent: AgentNow) -> float | None:
    """Seconds of a timed wrap-up still to go (the page counts it down)."""
    if agent.state != "wrap_up" or agent.wrap_until is None:
        return None
    return max(0.0, agent.wrap_until - agent.server_time)
