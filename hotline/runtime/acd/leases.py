"""Runtime leases: agent and call state held by a runtime process expires when that process dies.

Each runtime process holds a heartbeat lease in Redis (``P:runtime:<id>``, a key with a TTL it renews every
third of the lease). The ACD's scripts record the runtime that rings or connects an agent, or queues a
call, on the agent's and the call's hash and index them in ``P:runtime:<id>:owned`` (scripts.py). A
runtime killed mid-call (SIGKILL, power loss, a kernel's OOM killer) cannot say goodbye: without leases
its agent stayed ``on_call`` and its queue entries held the callers behind them for ever (issue 12). Every
runtime sweeps now and then (lua_leases.py SWEEP): whatever a runtime whose lease is gone held is freed
-- its agents become available, its calls leave the queues. Any runtime may sweep any other; the sweep is
one script, so two sweeping at once free each thing once.

Lease time is a trade: a shorter lease frees agents sooner after a crash; a runtime whose event loop
stalls for longer than the lease loses its calls' ACD state (the calls go on; a waiting call re-enters its
queue in its old place, see Distributor.wait_for_agent). The default (15 s, setting ``[runtime]
lease_seconds``) is far above any stall a healthy process shows.

A dead runtime's bridges live on in the switch: FreeSWITCH keeps a bridged call up after the outbound
socket closes, so freeing its agent at once handed a talking agent a second call (QA 12.1). With a
``channel_exists`` check (the runtime's inbound ESL link, ``uuid_exists <call uuid>``) the sweep keeps an
``on_call`` agent whose call the switch still has, and later sweeps ask again until the call is gone; an
unanswered check also keeps the agent (better busy a little long than offered mid-call).

Calls are more than agents and queue entries: a runtime killed mid-call wrote no call record, so its calls were
missing from every figure (QA 12). Each runtime keeps its calls in progress under its lease (live_calls.py); the
sweep moves a dead runtime's calls to the lost-calls list and, with ``record_lost`` set (a process with the
database: every runtime, the worker's sweep job), writes their records (platform/lost_calls.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from ...platform.acd.keys import AcdKeys, check_id
from .scripts import AcdScripts

log = logging.getLogger("hotline.runtime.acd")

#: Seconds a runtime's lease lasts without renewal (the [runtime] lease_seconds default).
DEFAULT_LEASE_SECONDS = 15.0
#: Whether the switch still has a channel (``uuid_exists``): the sweep's check before freeing an agent.
ChannelExists = Callable[[str], Awaitable[bool]]
#: Writes the call records of lost calls (the sweep's entries); returns how many it wrote.
RecordLost = Callable[[list[dict[str, Any]]], Awaitable[int]]
#: Seconds to the next sweep after the switch could not be asked (QA 12 #2: not a whole sweep interval).
RETRY_SECONDS = 1.0
#: Lost calls written per batch (one LRANGE, the writes, one LTRIM).
LOST_BATCH = 100


def _runtimes_named(reply: list[Any]) -> str:
    """The expired runtimes a sweep looked at, for its warning: a runtime kept for a still-bridged call is not in
    the swept list, yet its freed things are counted (QA 12 #3: the warning named nobody)."""
    names = reply[4] if len(reply) > 4 and reply[4] else reply[0]
    names = names.decode() if isinstance(names, bytes) else str(names)
    return ", ".join(names.split()) or "?"


def new_runtime_id() -> str:
    """A runtime process id that is unique across hosts and restarts: host, pid and a random tail."""
    host = socket.gethostname().replace(":", "-") or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one sweep freed: the runtimes whose leases had expired, agents made available, calls removed from the
    queues, and call records written for the calls those runtimes carried (lost)."""

    runtimes: tuple[str, ...]
    agents: int
    calls: int
    lost: int = 0


class RuntimeLease:
    """One runtime process's lease, and the sweeps that free what dead runtimes held.

    ``start()`` takes the lease and sweeps at once (a runtime restarted after a crash frees what its last
    life held, once that lease has run out), then renews every third of the lease and sweeps every half.
    ``stop()`` gives the lease up and sweeps: a runtime that stops frees what it still holds at once (unless told
    not to release it: then it runs out by itself).
    """

    def __init__(self, redis: Redis, *, keys: AcdKeys, scripts: AcdScripts, runtime_id: str,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        check_id("runtime", runtime_id)
        if lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be > 0 (got {lease_seconds!r})")
        self.runtime_id = runtime_id
        self.lease_seconds = lease_seconds
        self._redis = redis
        self._keys = keys
        self._scripts = scripts
        self._task: asyncio.Task[None] | None = None
        #: Set by a runtime with a switch link: on_call agents whose call the switch still has stay busy.
        self.channel_exists: ChannelExists | None = None
        #: Set by a process with the database: writes the records of dead runtimes' calls (live_calls.py).
        self.record_lost: RecordLost | None = None
        #: Set when a sweep could not ask the switch: the next sweep comes in RETRY_SECONDS.
        self._retry_soon = False

    async def renew(self) -> None:
        """Takes or renews the lease (and lists the runtime, so sweeps find it once the lease is gone)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._keys.runtime(self.runtime_id), str(os.getpid()), px=int(self.lease_seconds * 1000))
            pipe.sadd(self._keys.runtimes, self.runtime_id)
            pipe.hset(self._keys.runtimes_seen, self.runtime_id, f"{time.time():.3f}")  # a lost call's end
            await pipe.execute()

    async def sweep(self) -> SweepResult:
        """Frees what every runtime whose lease has expired held; returns what was freed."""
        reply = await self._scripts.run("sweep", 16, *await self._still_bridged())
        result = SweepResult(tuple(reply[0].split()), int(reply[1]), int(reply[2]))
        if result.agents or result.calls or int(reply[3]):
            log.warning("runtime lease expired for %s: %d agent(s) made available, %d call(s) removed from "
                        "the queues, %d call(s) in progress lost", _runtimes_named(reply), result.agents,
                        result.calls, int(reply[3]))
        lost = await self.write_lost() if self.record_lost is not None else 0
        return SweepResult(result.runtimes, result.agents, result.calls, lost)

    async def write_lost(self) -> int:
        """Writes the records of the lost calls waiting in the list (any sweeper's), then drops them from it.

        Two sweepers may read the same batch; the writer skips a call already recorded, so each is written once,
        and each removes what it read by value, so an entry pushed meanwhile stays for the next sweep.
        """
        assert self.record_lost is not None
        written = 0
        while True:
            raw = await self._redis.lrange(self._keys.lost_calls, 0, LOST_BATCH - 1)
            if not raw:
                return written
            entries = []
            for item in raw:
                try:
                    entries.append(json.loads(item))
                except ValueError:
                    log.error("lost call entry is not JSON, dropped: %r", item)
            written += await self.record_lost(entries)
            async with self._redis.pipeline(transaction=False) as pipe:  # by value: another sweeper may trim too
                for item in raw:
                    pipe.lrem(self._keys.lost_calls, 1, item)
                await pipe.execute()
            if len(raw) < LOST_BATCH:
                return written

    async def _still_bridged(self) -> list[str]:
        """Agents of dead runtimes on a call the switch still has (kept busy by this sweep)."""
        if self.channel_exists is None:
            return []
        keep: list[str] = []
        for raw in await self._redis.smembers(self._keys.runtimes):
            runtime = raw.decode() if isinstance(raw, bytes) else raw
            if await self._redis.exists(self._keys.runtime(runtime)):
                continue
            for member in await self._redis.smembers(self._keys.runtime_owned(runtime)):
                kind, _, agent = (member.decode() if isinstance(member, bytes) else member).partition(":")
                if kind != "agent":
                    continue
                state, call = await self._redis.hmget(self._keys.agent(agent), "state", "call")
                call = call.decode() if isinstance(call, bytes) else call
                if (state.decode() if isinstance(state, bytes) else state) != "on_call" or not call:
                    continue
                try:
                    alive = await self.channel_exists(call)
                except Exception:  # the switch did not answer: keep the agent, ask again next sweep
                    log.warning("runtime lease: could not ask the switch about call %s of agent %s; asking again "
                                "in %.0f s", call, agent, RETRY_SECONDS)
                    self._retry_soon = True
                    alive = True
                if alive:
                    keep.append(agent)
        return keep

    async def start(self) -> None:
        await self.renew()
        await self.sweep()
        self._task = asyncio.create_task(self._run(), name=f"lease {self.runtime_id}")

    async def stop(self, *, release: bool = True) -> None:
        """Stops renewing; with `release` gives the lease up and sweeps (what this runtime held is freed at once).

        Without it the lease runs out by itself `lease_seconds` later and a sweep then takes over: a runtime that
        stops while a call's record is still being saved must not look dead before the record is in (a sweep
        would write a stand-in for the same call; server.py Runtime.stop)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if not release:
            return
        with contextlib.suppress(Exception):  # Redis gone: the lease runs out by itself
            await self._redis.delete(self._keys.runtime(self.runtime_id))
            await self.sweep()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        renew_every = self.lease_seconds / 3
        # sweeps of many runtimes spread out rather than land together
        sweep_every = self.lease_seconds / 2
        next_sweep = loop.time() + sweep_every * random.uniform(0.5, 1.0)
        while True:
            if self._retry_soon:
                self._retry_soon = False
                next_sweep = min(next_sweep, loop.time() + RETRY_SECONDS)
            await asyncio.sleep(min(renew_every, max(0.0, next_sweep - loop.time())))
            try:
                await self.renew()
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + sweep_every
                    await self.sweep()
            except Exception:  # Redis down for a moment: try again at the next beat
                log.exception("runtime lease: renewing or sweeping failed; trying again")
