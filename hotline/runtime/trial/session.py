"""Interactive test calls for the designer: a keypad in the browser driving a real call, one key at a time.

Why a live call and not a replay: the designer's keypad sends one request per key press, and the analyst
decides what to press after reading what the flow said. Replaying "all presses so far" on every request
would run lookups, counters and time-dependent branches again each time and could diverge from the call
the analyst believes they are in. So each test call is one real call that stays open: the IVR (the draft
or a published version) runs in the real flow engine (CallHandler → FlowEngine) over a real ESL outbound
socket, against the ESL simulator, all in-process on ephemeral ports — the same wiring as
`hotline call` (report.py), minus the DID lookup: the route is pinned to the chosen body.

How the call waits for the analyst: the simulator's clock is held while the caller is being asked for
digits. The simulator's `play_and_get_digits` plays the prompt, then waits the flow's time-out for a key;
`HeldClockSwitch` (switch.py) makes that wait last as long as the test call may idle, and lets go
again as soon as the application completes, so everything else (prompts, pauses) still runs at the
simulator's fast time scale. Digits from the API are queued on the channel as DTMF, exactly as the
scripted callers of the tests press them, so type-ahead behaves as on a phone. The price: a collect never
times out in a test call (the caller is always "thinking"); wrong keys and their retries can be tested,
silence cannot.

The flow side (flow.py) — what a test call does not do: it writes no call record (it is not
traffic: reports and wallboards must not count it), creates no ticket and sends no SMS — those two services
answer as if they had, and the state lists them under `events`. Lookups read the tenant's real tables (unless
the analyst chose a mock answer for the node: mocks.py); a
webhook lookup is called only when its URL passes the SSRF guard (platform/url_guard.py). Queue nodes
really queue, in a private ACD namespace where no agent is logged in, so the caller waits and then takes
the queue's time-out path.

This module is the manager. Threads: one asyncio loop in a daemon thread per manager runs every test call
of the web process; request threads talk to it with run_coroutine_threadsafe and get a snapshot of the
state, taken on the loop, so they never read half-updated state. Calls are limited per user and in total,
hang up after `idle_seconds` without a request, and their final state is kept `keep_seconds` for a last
look. A test call lives in the web process that started it: behind several web processes (gunicorn
workers) the proxy must keep a user on one process (sticky sessions), or the web tier must run one
process with threads; otherwise the next key press may reach a process that does not know the call (404).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ...platform.db import Database
from ...platform.redis_conn import RedisConnections
from ...platform.services.errors import NotFound
from ...platform.url_guard import AllowList, allow_list_from_env
from ..acd import Acd
from ..call.handler import SUBSCRIBED_EVENTS
from ..call.routing import Route
from ..esl.outbound import OutboundServer
from ..simswitch import CallerScript, SimSwitchConfig, SocketTarget
from .entry import check_entry
from .errors import CallEnded, TestCallError, TooManyTestCalls
from .flow import ENDED, RUNNING, WAITING, LiveCall, PinnedRoutes, TestCallHandler, pinned_route
from .mocks import LookupMock
from .switch import KeypadCaller, KeypadSimSwitch

log = logging.getLogger("hotline.runtime.test_call")

#: Node types where a call may stay a long time without asking for digits: the API stops waiting there.
LONG_NODES = frozenset({"queue", "transfer", "voicemail"})
KEYS = frozenset("0123456789*#")


# -- the manager: owns the loop and every live test call --------------------------------------------------------


class TestCallManager:
    """Starts, feeds and ends test calls; every public method is called from request threads."""

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, db: Database, redis: RedisConnections, *, per_user: int = 2, per_tenant: int = 5,
                 total: int = 100,
                 idle_seconds: float = 300.0, keep_seconds: float = 600.0, settle_seconds: float = 10.0,
                 allow: AllowList | None = None) -> None:
        self.db, self.redis = db, redis
        # Per tenant first: the server-wide bound only protects the machine, one tenant cannot reach it alone.
        self.per_user, self.per_tenant, self.total = per_user, per_tenant, total
        self.idle_seconds, self.keep_seconds, self.settle_seconds = idle_seconds, keep_seconds, settle_seconds
        self.allow = allow if allow is not None else allow_list_from_env()
        self.calls: dict[str, LiveCall] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    # -- the loop thread ------------------------------------------------------------------------------------
    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=_serve, args=(loop,), name="hotline-test-calls", daemon=True)
                thread.start()
                self._loop = loop
                asyncio.run_coroutine_threadsafe(self._reaper(), loop)
            return self._loop

    def _run(self, coro: Any, timeout: float | None = None) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self._ensure_loop())
        return future.result(timeout if timeout is not None else self.settle_seconds + 20)

    def close(self) -> None:
        """Hangs up every call and stops the loop (tests, shutdown)."""
        if self._loop is None:
            return
        with contextlib.suppress(Exception):
            self._run(self._hangup_all(), timeout=15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = None

    # -- public API (request threads) ---------------------------------------------------------------------
    def start(self, tenant_id: int, owner: str, ivr_name: str, version: int | str, caller: str,
              did: str | None = None, at: datetime | None = None, prompt_root: Path | None = None,
              mocks: Mapping[str, LookupMock] | None = None) -> dict[str, Any]:
        """Starts a call of `version` ("draft" or a number); `at` pretends the call starts at that time;
        `prompt_root` is the web app's prompt folder (platform.prompt_storage) when it is configured;
        `mocks` answer lookup nodes (by id) in place of their sources, in this call only (mocks.py)."""
        route = pinned_route(self.db, tenant_id, ivr_name, version, did, prompt_root)
        return self._run(self._start(route, owner, version, caller, at, dict(mocks or {})))

    def state(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        return self._run(self._touch(tenant_id, call_id))

    def press(self, tenant_id: int, call_id: str, digits: str) -> dict[str, Any]:
        if not digits or len(digits) > 64 or any(d not in KEYS for d in digits):
            raise TestCallError(f"digits must be 1–64 keys of 0-9, * and #, not {digits!r}")
        return self._run(self._press(tenant_id, call_id, digits))

    def no_input(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        """The caller presses nothing: the node's time-out passes now (its retry or fallback follows)."""
        return self._run(self._no_input(tenant_id, call_id))

    def hangup(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        return self._run(self._hangup(tenant_id, call_id))

    # -- on the loop ----------------------------------------------------------------------------------------
    def _find(self, tenant_id: int, call_id: str) -> LiveCall:
        live = self.calls.get(call_id)
        if live is None or live.tenant_id != tenant_id:  # another tenant's call does not exist for you
            raise NotFound(f"test call {call_id!r} not found (calls end {int(self.idle_seconds)} s after "
                           "the last key press)")
        live.last_touch = time.monotonic()
        return live

    async def _start(self, route: Route, owner: str, version: int | str, caller: str,
                     at: datetime | None, mocks: dict[str, LookupMock]) -> dict[str, Any]:
        live_calls = [c for c in self.calls.values() if c.status != ENDED]
        tenants = [c for c in live_calls if c.tenant_id == route.tenant_id]
        if len(tenants) >= self.per_tenant:
            raise TooManyTestCalls(f"your organisation already has {len(tenants)} test calls running (at most "
                                   f"{self.per_tenant} at once); hang one up first", self._first_idle_end(tenants))
        if len(live_calls) >= self.total:
            raise TooManyTestCalls(f"{self.total} test calls are running on this server; try again in a minute",
                                   60)
        mine = [c for c in live_calls if c.owner == owner and c.tenant_id == route.tenant_id]
        if len(mine) >= self.per_user:
            raise TooManyTestCalls(f"you already have {len(mine)} test calls running; hang one up first",
                                   self._first_idle_end(mine))
        live = LiveCall(id=uuid.uuid4().hex, tenant_id=route.tenant_id, owner=owner, ivr_name=route.ivr_name,
                        version=version, caller=caller, did=route.did, nodes=(route.body or {}).get("nodes") or {},
                        mocks=mocks)
        self.calls[live.id] = live
        live.task = asyncio.create_task(self._call(live, route, at))
        return await self._settle(live)

    def _first_idle_end(self, calls: list[LiveCall]) -> int:
        """Seconds until the first of `calls` hangs up on its own for idling (the 429's Retry-After)."""
        now = time.monotonic()
        return math.ceil(min(self.idle_seconds - (now - c.last_touch) for c in calls)) if calls else 60

    async def _call(self, live: LiveCall, route: Route, at: datetime | None) -> None:
        """The whole test call: runtime side and simulator side up, one call, everything down again."""
        prefix = f"testcall-{live.id[:12]}:acd"
        client = self.redis.new_async()
        acd = Acd(client, prefix=prefix, poll_seconds=0.5, tick_seconds=15.0)
        handler = TestCallHandler(self.db, PinnedRoutes(self.db, route), acd, live, self.allow, at)
        server = OutboundServer(handler, "127.0.0.1", 0, events=SUBSCRIBED_EVENTS)
        switch: KeypadSimSwitch | None = None
        try:
            await acd.start()
            await server.start()
            switch = KeypadSimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", server.port),
                                                      time_scale=0.01), hold_seconds=self.idle_seconds + 60)
            await switch.start()
            caller = KeypadCaller(switch.switch, CallerScript(did=route.did, caller=live.caller))
            live.caller_side = caller
            switch.switch.on_waiting = lambda: self._waiting(live)
            await switch.place_keypad_call(CallerScript(did=route.did, caller=live.caller), caller,
                                           timeout=self.idle_seconds * 4)
        except Exception as exc:  # the state says what broke; the web process carries on
            log.exception("test call %s failed", live.id)
            live.error = f"{type(exc).__name__}: {exc}"
        finally:
            # The handler writes its result after the simulator has seen the hangup: give it a moment.
            for _ in range(100):
                if live.record is not None or handler.active == 0:
                    break
                await asyncio.sleep(0.02)
            live.status, live.ended_at = ENDED, time.monotonic()
            live.waiting.set()
            for closing in (switch.stop() if switch else None, server.stop(), acd.close()):
                if closing is not None:
                    with contextlib.suppress(Exception):
                        await closing
            with contextlib.suppress(Exception):
                keys = [k async for k in client.scan_iter(f"{prefix}*")]
                if keys:
                    await client.delete(*keys)
            with contextlib.suppress(Exception):
                await client.aclose()

    def _waiting(self, live: LiveCall) -> None:
        if live.status != ENDED:
            live.status = WAITING
            live.waiting.set()

    async def _settle(self, live: LiveCall) -> dict[str, Any]:
        """Waits until the call asks for digits, ends, or sits in a long node (a queue); then the state."""
        deadline = asyncio.get_running_loop().time() + self.settle_seconds
        while live.status != ENDED and not (live.status == WAITING and live.waiting.is_set()):
            if live.current_type() in LONG_NODES:
                await asyncio.sleep(0.2)
                break
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(live.waiting.wait(), min(remaining, 0.1))
        return live.snapshot()

    async def _touch(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        return self._find(tenant_id, call_id).snapshot()

    async def _press(self, tenant_id: int, call_id: str, digits: str) -> dict[str, Any]:
        live = self._find(tenant_id, call_id)
        if live.status == ENDED or live.caller_side is None:
            raise CallEnded(f"test call {call_id!r} has ended; start a new one")
        digits = _check_length(live, digits)
        live.typed += len(digits)
        live.waiting.clear()
        live.status = RUNNING
        live.caller_side.press(digits)
        return await self._settle(live)

    async def _no_input(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        live = self._find(tenant_id, call_id)
        if live.status == ENDED or live.caller_side is None:
            raise CallEnded(f"test call {call_id!r} has ended; start a new one")
        if live.status != WAITING:
            raise TestCallError("the call is not waiting for the caller's keys yet")
        live.waiting.clear()
        live.status = RUNNING
        live.caller_side.no_input()
        return await self._settle(live)

    async def _hangup(self, tenant_id: int, call_id: str) -> dict[str, Any]:
        live = self._find(tenant_id, call_id)
        if live.status != ENDED and live.caller_side is not None:
            live.caller_side.hangup()
            if live.task is not None:
                # A call hung up while waiting in a queue ends by cancellation inside its task; that is
                # an end like any other here, not an error of the hang-up request.
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(live.task), 10)
        return live.snapshot()

    async def _hangup_all(self) -> None:
        for live in list(self.calls.values()):
            with contextlib.suppress(Exception):
                await self._hangup(live.tenant_id, live.id)

    async def _reaper(self) -> None:
        """Hangs up idle calls and forgets ended ones after a while."""
        while True:
            await asyncio.sleep(min(5.0, self.idle_seconds / 4))
            now = time.monotonic()
            for live in list(self.calls.values()):
                if live.status != ENDED and now - live.last_touch > self.idle_seconds and live.caller_side:
                    log.info("test call %s idle for %.0f s: hanging up", live.id, now - live.last_touch)
                    live.caller_side.hangup()
                elif live.status == ENDED and live.ended_at and now - live.ended_at > self.keep_seconds:
                    self.calls.pop(live.id, None)


def _serve(loop: asyncio.AbstractEventLoop) -> None:
    """The loop thread: run until stopped, then cancel what is left (the reaper) and close."""
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()


def _check_length(live: LiveCall, digits: str) -> str:
    """Refuses an entry the waiting node would not take whole: the rest of the keys would otherwise stay
    queued on the channel and be read by the next node (entry.py)."""
    node = live.current_node()
    spec = live.nodes.get(node) if node else None
    label = (spec.get("label") if isinstance(spec, dict) else None) or node or ""
    keys = check_entry(live.asking, digits, live.typed, label)
    if keys != digits and live.asking is not None:
        # the node is full before the terminator: dropped, and said in the call (the path's notes)
        live.event("keys_dropped", label=live.asking.label, most=live.asking.max_digits,
                   keys=digits[len(keys):])
    return keys
