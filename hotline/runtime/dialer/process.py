"""The dialer process (`hotline dialer`, and inside `hotline up`): how many lines each running campaign may open
now, claiming that many due entries, and placing each call with `bgapi originate` over the inbound ESL link.

Each tick (a fifth of a second): for every running campaign, the lines it may open (pacing.py), one claim
transaction (platform/outbound/dialing.py: lease, compliance, the attempt written), then one originate per
order, concurrently. Results are buffered and written once per tick per tenant, so a hundred originations a
second cost a few transactions, not hundreds. Several dialer processes share the work: claims never overlap
(the lease), and the lines in use are counted in Redis (lines.py).

The originate carries the campaign, entry and attempt as channel variables and sends the answered call to the
runtime's outbound socket (`'&socket(host:port async full)'`, quoted), where answered.py connects it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ...platform.acd import reservations
from ...platform.db import Database
from ...platform.models import Campaign
from ...platform.outbound import campaigns, dialing
from ...platform.outbound.dialing import CampaignRef, DialOrder
from ..acd import Acd
from ..esl.switch_profile import SwitchProfile
from . import preview_orders
from .lines import RINGING_TTL, Lines
from .pacing import Pacer

log = logging.getLogger("hotline.runtime.dialer")

_NUMBER = re.compile(r"\+?[0-9]{3,20}")
#: Seconds between two checks whether an idle campaign is finished.
FINISH_CHECK_SECONDS = 5.0
#: Seconds between two sweeps of a tenant's answered calls that never reached a runtime.
SWEEP_SECONDS = 5.0
#: Seconds between two questions to the switch whether mod_amd is loaded.
AMD_CHECK_SECONDS = 60.0
#: Most entries one campaign claims in one tick (bounds a transaction; 5 ticks a second make 1,250/s).
MAX_BATCH = 250


def originate_command(order: DialOrder, socket_address: tuple[str, int], dial_string: str, *,
                      amd: bool) -> str:
    """`originate {vars}<dial string> '&socket(host:port async full)'` for one order (bgapi prepends itself).

    origination_uuid makes the channel's uuid the one the attempt recorded before the call existed; the
    hotline_* variables come back in the outbound socket's channel data (variable_hotline_attempt, …).
    """
    variables = {
        "origination_uuid": order.call_uuid,
        "originate_timeout": str(order.ring_timeout),
        "ignore_early_media": "true",
        "hotline_tenant": str(order.tenant_id),
        "hotline_campaign": str(order.campaign_id),
        "hotline_entry": str(order.entry_id),
        "hotline_attempt": str(order.attempt_id),
        "hotline_mode": order.mode,
        "hotline_amd": "true" if amd else "false",
    }
    if order.caller_id:
        variables["origination_caller_id_number"] = order.caller_id
    if order.preferred_agent:
        variables["hotline_preferred_agent"] = order.preferred_agent
    if not _NUMBER.fullmatch(order.phone_e164) or (order.caller_id and not _NUMBER.fullmatch(order.caller_id)):
        raise ValueError(f"not a dialable number: {order.phone_e164!r}")  # nothing may smuggle dial-string syntax
    block = ",".join(f"{key}={value}" for key, value in variables.items())
    host, port = socket_address
    # quoted: originate splits its arguments on spaces (only single quotes group) and ends `&app(` at the first `)`,
    # so an unquoted `&socket(h:p async full)` ran `socket(h:p)` on the real switch, a sync socket without events
    return f"originate {{{block}}}{dial_string.format(number=order.phone_e164)} '&socket({host}:{port} async full)'"


class Dialer:
    """One dialer process. `esl` has `bgapi(command, timeout)` (runtime/esl/inbound_link.InboundLink)."""

    def __init__(self, db: Database, redis: Any, esl: Any, *, socket_address: tuple[str, int],
                 switch: SwitchProfile | None = None, acd_prefix: str = "hotline:acd",
                 lines_prefix: str | None = None, owner: str | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), tick_seconds: float = 0.2,
                 amd: bool = True) -> None:
        self.db, self.redis, self.esl = db, redis, esl
        self.socket_address = socket_address
        self.switch = switch or SwitchProfile()
        self.acd = Acd(redis, prefix=acd_prefix)
        self.lines = Lines(redis, lines_prefix or f"{acd_prefix}:dialer")  # the runtime's (server.py)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.clock, self.tick_seconds, self.amd = clock, tick_seconds, amd
        self._amd_loaded: tuple[float, bool] | None = None  # (monotonic time asked, mod_amd loaded)
        self.pacers: dict[int, Pacer] = {}
        self._calls: set[asyncio.Task[None]] = set()
        self._results: list[tuple[int, int, str, datetime]] = []  # (tenant, attempt, "+OK"|cause, at)
        self.placed = 0
        self.stopping = False
        self._flushing: asyncio.Task[None] | None = None
        self._finish_checked: dict[int, float] = {}
        self._swept: dict[int, float] = {}
        self._free: dict[int, frozenset[str]] = {}

    async def run(self) -> None:
        """Ticks until cancelled or stop(); calls already placed finish on their own."""
        while not self.stopping:
            started = time.monotonic()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dialer tick failed")
            await asyncio.sleep(max(0.0, self.tick_seconds - (time.monotonic() - started)))

    async def stop(self, grace_seconds: float = 5.0) -> None:
        self.stopping = True
        if self._calls:
            await asyncio.wait(list(self._calls), timeout=grace_seconds)
        if self._flushing is not None:
            with contextlib.suppress(Exception):
                await self._flushing
        await self.flush()

    async def tick(self) -> int:
        """One round over the running campaigns; returns the calls placed.

        Results are written by one flush at a time running beside the claims (not before them), so a slow
        write never holds back the next originations.
        """
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self.flush())
        campaigns = await asyncio.to_thread(self._running)
        await self._sweep_unreached({c.tenant_id for c in campaigns})
        placed = await self._place_previews()
        for campaign in campaigns:
            wanted = await self.lines_for(campaign)
            if wanted <= 0:
                continue
            now = self.clock()
            result = await asyncio.to_thread(self._claim, campaign, min(wanted, MAX_BATCH), now,
                                             self._free.get(campaign.id, frozenset()))
            if not (result.orders or result.refused or result.deferred):
                await self._maybe_finished(campaign, now)
            for order in result.orders:
                await self.lines.add("ringing", order.campaign_id, order.call_uuid, RINGING_TTL)
                task = asyncio.get_running_loop().create_task(self.place(order))
                self._calls.add(task)
                task.add_done_callback(self._calls.discard)
            placed += len(result.orders)
        self.placed += placed
        return placed

    async def _maybe_finished(self, campaign: CampaignRef, now: datetime) -> None:
        """Nothing was due: once no line is in use, a list campaign with no pending or dialing entry is finished
        (campaigns.finish_if_done; at most every FINISH_CHECK_SECONDS per campaign)."""
        last = self._finish_checked.get(campaign.id, float("-inf"))
        if time.monotonic() - last < FINISH_CHECK_SECONDS or any(await self.lines.count(campaign.id)):
            return
        self._finish_checked[campaign.id] = time.monotonic()

        def check() -> bool:
            with self.db.tenant(campaign.tenant_id) as session:
                row = session.get(Campaign, campaign.id)
                return row is not None and campaigns.finish_if_done(session, row, now)

        if await asyncio.to_thread(check):
            log.info("campaign %s of tenant %s finished: every entry is settled", campaign.id, campaign.tenant_id)

    async def _place_previews(self) -> int:
        """Calls the agents' desks asked for (preview mode, preview_orders.py): placed at once, no pacing — the
        agent is waiting for the callee."""
        orders = await preview_orders.pop(self.redis, self.lines.prefix, MAX_BATCH)
        for order in orders:
            await self.lines.add("ringing", order.campaign_id, order.call_uuid, RINGING_TTL)
            task = asyncio.get_running_loop().create_task(self.place(order))
            self._calls.add(task)
            task.add_done_callback(self._calls.discard)
        return len(orders)

    async def _sweep_unreached(self, tenants: set[int]) -> None:
        """Every SWEEP_SECONDS per tenant: answered calls no runtime took are closed (dialing.expire_unreached),
        so their entries do not wait for a claim — nor, in a paused campaign, forever."""
        due = [t for t in tenants if time.monotonic() - self._swept.get(t, float("-inf")) >= SWEEP_SECONDS]
        for tenant_id in due:
            self._swept[tenant_id] = time.monotonic()

            def sweep(tenant_id: int = tenant_id) -> int:
                with self.db.tenant(tenant_id) as session:
                    return dialing.expire_unreached(session, self.clock())

            try:
                closed = await asyncio.to_thread(sweep)
            except Exception:
                log.exception("could not close unreached calls of tenant %s", tenant_id)
                continue
            if closed:
                log.warning("%d answered calls of tenant %s never reached a runtime: closed as abandoned", closed,
                            tenant_id)

    def _running(self) -> list[CampaignRef]:
        with self.db.platform() as session:
            return dialing.running_campaigns(session)

    def _claim(self, campaign: CampaignRef, limit: int, now: datetime,
               agents_free: frozenset[str] = frozenset()) -> dialing.ClaimResult:
        with self.db.tenant(campaign.tenant_id) as session:
            return dialing.claim(session, campaign.id, self.owner, now, limit, agents_free)

    async def lines_for(self, campaign: CampaignRef) -> int:
        """New lines this campaign may open now (see pacing.py)."""
        pacer = self.pacers.get(campaign.id)
        if pacer is None:
            pacer = self.pacers[campaign.id] = Pacer(campaign)
        pacer.campaign = campaign
        await pacer.refresh(self.db, self.clock())
        ringing, live = await self.lines.count(campaign.id)
        if campaign.mode == "agentless":
            return max(0, campaign.max_lines - ringing - live)
        agents = await self.acd.presence.agents_in(str(campaign.tenant_id))
        now = time.time()
        free, busy = 0, []
        free_ids: set[str] = set()
        for agent in agents:
            if campaign.skill and campaign.skill not in (agent.skills.get(str(campaign.tenant_id)) or {}):
                continue
            if agent.state == "available" and not agent.reserved:  # a reserved agent waits for their callee
                free += 1
                free_ids.add(agent.agent_id)
            elif agent.state in ("on_call", "ringing"):
                busy.append(max(0.0, now - agent.since))
        self._free[campaign.id] = frozenset(free_ids)  # callbacks booked with one of them are dialled for them
        return pacer.lines(ringing, live, free, busy)

    async def detects_machines(self) -> bool:
        """Whether answered calls run `amd`: wanted, and mod_amd loaded in the switch (asked once a minute).

        mod_amd is not part of FreeSWITCH's tree (the switch built from docs/freeswitch lacks it), and an
        application the switch does not know hangs the call up at once (DESTINATION_OUT_OF_ORDER): every answered
        campaign call would be lost. Without it, answering machines reach agents, who disposition them.
        """
        if not self.amd:
            return False
        now = time.monotonic()
        if self._amd_loaded is None or now - self._amd_loaded[0] > AMD_CHECK_SECONDS:
            try:
                loaded = (await self.esl.api("module_exists mod_amd", timeout=2.0)).strip() == "true"
            except (ConnectionError, TimeoutError, OSError):
                loaded = self._amd_loaded[1] if self._amd_loaded else False
            if not loaded and (self._amd_loaded is None or self._amd_loaded[1]):
                log.warning("mod_amd is not loaded in the switch: answering machines are not detected, "
                            "answered calls go straight to agents")
            self._amd_loaded = (now, loaded)
        return self._amd_loaded[1]

    async def place(self, order: DialOrder) -> None:
        """Originate one call and buffer its result; the attempt row already exists."""
        amd = await self.detects_machines()
        try:
            command = originate_command(order, self.socket_address, self.switch.transfer_dial_string, amd=amd)
        except ValueError:
            self._results.append((order.tenant_id, order.attempt_id, "INVALID_NUMBER_FORMAT", self.clock()))
            await self.lines.remove("ringing", order.campaign_id, order.call_uuid)
            await self._release_agent(order)
            return
        try:
            body = await self.esl.bgapi(command, timeout=order.ring_timeout + 30)
        except (ConnectionError, TimeoutError, OSError) as exc:
            # The call may still be up: the attempt stays `dialing` and its entry's lease lapses; the next claim
            # records it as lost. Never a second dial while the first one might ring.
            log.warning("originate of attempt %s: %s", order.attempt_id, exc)
            await self.lines.remove("ringing", order.campaign_id, order.call_uuid)
            return
        text = body.strip()
        if text.startswith("+OK"):
            # answered: the line stays `ringing` until the runtime that takes the call moves it to `live` at its
            # connect (answered.py), so pacing never sees it free in between
            self._results.append((order.tenant_id, order.attempt_id, "+OK", self.clock()))
        else:
            words = text.removeprefix("-ERR").split()
            cause = words[0] if text.startswith("-ERR") and words else "NORMAL_TEMPORARY_FAILURE"
            self._results.append((order.tenant_id, order.attempt_id, cause, self.clock()))
            await self.lines.remove("ringing", order.campaign_id, order.call_uuid)
            await self._release_agent(order)
        pacer = self.pacers.get(order.campaign_id)
        if pacer is not None:
            pacer.dial_result(text.startswith("+OK"))

    async def _release_agent(self, order: DialOrder) -> None:
        """A preview dial that failed: the agent who dialled it is free for other calls again at once (the desk
        reserved them for this call; platform/acd/reservations.py)."""
        if order.mode != "preview" or not order.preferred_agent:
            return
        try:
            await reservations.release(self.redis, self.acd.keys.prefix, order.preferred_agent, order.call_uuid)
        except Exception:  # the reservation lapses by itself at its deadline
            log.exception("could not release agent %s after attempt %s", order.preferred_agent, order.attempt_id)

    async def flush(self) -> None:
        """Write the buffered originate results, one transaction per tenant."""
        if not self._results:
            return
        results, self._results = self._results, []
        by_tenant: dict[int, list[tuple[int, str, datetime]]] = {}
        for tenant_id, attempt_id, result, at in results:
            by_tenant.setdefault(tenant_id, []).append((attempt_id, result, at))
        for tenant_id, items in by_tenant.items():
            try:
                await asyncio.to_thread(self._write, tenant_id, items)
            except Exception:
                log.exception("could not record %d originate results of tenant %s", len(items), tenant_id)

    def _write(self, tenant_id: int, items: list[tuple[int, str, datetime]]) -> None:
        with self.db.tenant(tenant_id) as session:
            dialing.record_answers(session, [(attempt_id, at) for attempt_id, result, at in items if result == "+OK"])
            failed = [(attempt_id, result, at) for attempt_id, result, at in items if result != "+OK"]
            if failed:
                dialing.preload(session, [attempt_id for attempt_id, _, _ in failed])
            for attempt_id, result, at in failed:
                dialing.record_failure(session, attempt_id, result, at)

    async def close(self) -> None:
        for task in list(self._calls):
            task.cancel()
        for task in list(self._calls):
            with contextlib.suppress(BaseException):
                await task
