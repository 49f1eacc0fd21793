"""An answered campaign call, back from the switch over the outbound socket: to an agent within 2 seconds, or the
recorded message and an abandon; or, agentless, the script's pages spoken and the keys pressed stored.

The channel data say which campaign, entry and attempt it is (the variables the dialer's originate set), so this
needs nothing from the dialer process that placed it: any runtime of the cluster can take the call.

The 2-second rule: once a person is on the line (after answering-machine detection, when the campaign uses it),
an agent must be connected within 2 seconds, else the caller hears who called and that they will be called back,
and the attempt counts as abandoned (abandoned ÷ live answers is the rate the cap holds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ...platform.conditions import evaluate
from ...platform.db import Database
from ...platform.models import Campaign, CampaignEntry, Contact, DialAttempt
from ...platform.outbound import campaigns, dialing, outcomes
from ..acd import Acd
from ..call.pending import PendingSaves
from ..call.services import CallServices
from ..esl.channel import EslChannel
from ..esl.switch_profile import SwitchProfile
from ..flow.channel import CallerHungUp, RenderedPrompt
from .lines import LIVE_TTL, Lines

log = logging.getLogger("hotline.runtime.dialer")

#: FCC 47 CFR 64.1200(a)(7) and Ofcom's persistent-misuse policy: an agent within 2 s of the callee's greeting.
AGENT_WITHIN_SECONDS = 2
#: Of those 2 seconds, how long a callback dialled for one agent waits for that agent before anyone may take it.
TARGET_SECONDS = 1.5
ABANDON_MESSAGE = RenderedPrompt(
    text="您好，这里是客服中心的回访来电，现在没有空闲的客服，我们稍后再与您联系，谢谢。",
    name="builtin_outbound_abandon")
#: An agent's wrap-up after a campaign call lasts until the desk records the disposition (script_runner.py ends
#: it); tests of the dialer alone, with no desk, turn it off as they set the queue's wrap-up to 0.
HOLD_WRAP_UP = True
_VARIABLE = re.compile(r"\{\{\s*contact\.([\w\u4e00-\u9fff]+)\s*\}\}")
#: Pages an agentless call goes through at most (a script's branches could loop).
MAX_PAGES = 30


def _header(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value[0] if isinstance(value, list) else str(value)


class _CampaignServices(CallServices):
    """CallServices that also frees the campaign's `live` line as soon as an agent picks up."""

    on_agent: Callable[[str], None] | None = None

    def agent_answered(self, agent: str) -> None:
        super().agent_answered(agent)
        if self.on_agent is not None:
            self.on_agent(agent)


class CampaignCalls:
    """Serves answered campaign calls for a runtime (CallHandler hands them here)."""

    def __init__(self, db: Database, acd: Acd | None, switch: SwitchProfile, agent_endpoint: Callable[[str], str],
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC), lines_prefix: str = "hotline:dialer",
                 stats: Any = None, saves: PendingSaves | None = None) -> None:
        self.db, self.acd, self.switch, self.agent_endpoint = db, acd, switch, agent_endpoint
        self.clock, self.stats = clock, stats
        #: The cut attempts being written and live entries being ended: the runtime's stop waits for them before
        #: giving its lease up (call/pending.py), else a sweep closed the same attempt as `runtime_lost` meanwhile.
        self.saves = saves or PendingSaves()
        self.lines = Lines(acd.redis if acd is not None else None, lines_prefix)

    @staticmethod
    def is_campaign_call(data: Mapping[str, Any]) -> bool:
        return bool(_header(data, "variable_hotline_attempt"))

    async def handle(self, session: Any) -> None:
        data = session.context
        tenant_id = int(_header(data, "variable_hotline_tenant"))
        campaign_id = int(_header(data, "variable_hotline_campaign"))
        attempt_id = int(_header(data, "variable_hotline_attempt"))
        uuid = _header(data, "Unique-ID")
        channel = EslChannel(session, switch=self.switch, stats=self.stats)
        live = self.lines.redis is not None
        # a runtime killed mid-call writes nothing: what the sweep needs is kept under its lease (live_calls.py),
        # the attempt's id with it, so platform/lost_calls.py closes the attempt as it writes an inbound record
        carried = self.acd.live_calls if self.acd is not None else None
        running: dict[str, Any] = {}
        try:
            if carried is not None:
                await carried.start(uuid, {"tenant_id": tenant_id, "attempt_id": attempt_id,
                                           "campaign_id": campaign_id, "started_at": datetime.now(UTC)})
            if live:
                await self.lines.answered(campaign_id, uuid, LIVE_TTL)
            await self._serve(channel, data, tenant_id, campaign_id, attempt_id, uuid, running)
        except Exception:
            log.exception("campaign call %s (attempt %s) failed", uuid, attempt_id)
            with contextlib.suppress(Exception):
                await channel.hangup("NORMAL_TEMPORARY_FAILURE")
            await self._end(tenant_id, attempt_id, outcome="failed")
        except asyncio.CancelledError:
            # The runtime is stopping and the call outlived the grace: the attempt still ends here, with the reason
            # and the agent who was talking (inbound calls do the same: call/handler.py _save_stopped)
            await asyncio.shield(self.saves.start(self._cut(tenant_id, attempt_id, running)))
            raise
        finally:
            if carried is not None:
                await asyncio.shield(self.saves.start(carried.end(uuid)))
            if live:
                await self.lines.remove("live", campaign_id, uuid)

    async def _cut(self, tenant_id: int, attempt_id: int, running: dict[str, Any]) -> None:
        """The attempt of a call cut by a runtime stop (outcomes.record_runtime_cut): the agent on the line keeps
        the answered call and its talk so far; with none yet, an abandon."""
        services = running.get("services")
        agent = running.get("agent") or (services.answered_by if services is not None else None)

        def write() -> None:
            with self.db.tenant(tenant_id) as session:
                outcomes.record_runtime_cut(session, attempt_id, self.clock(), cause="runtime_stopped", agent=agent)

        try:
            await asyncio.to_thread(write)
            log.warning("campaign attempt %s: cut by the runtime's stop (agent %s)", attempt_id, agent)
        except Exception:
            log.exception("could not record the cut of attempt %s", attempt_id)

    async def _serve(self, channel: EslChannel, data: Mapping[str, Any], tenant_id: int, campaign_id: int,
                     attempt_id: int, uuid: str, running: dict[str, Any]) -> None:
        mode = _header(data, "variable_hotline_mode")
        try:
            await channel.start()
            if _header(data, "variable_hotline_amd") == "true":
                event = await channel._execute("amd")
                if event.get("variable_amd_result") == "MACHINE":
                    await channel.hangup("NORMAL_CLEARING")
                    await self._end(tenant_id, attempt_id, outcome="machine")
                    return
        except CallerHungUp:
            await self._end(tenant_id, attempt_id)
            return
        call = await asyncio.to_thread(self._load, tenant_id, attempt_id)
        if call is None:  # the attempt is gone (campaign deleted): end politely
            await channel.hangup("NORMAL_CLEARING")
            return
        call["data"] = data
        if mode == "agentless":
            running["agent"] = "agentless"  # a stop mid-script: the flow had the callee, as an agent would
            await self._agentless(channel, tenant_id, attempt_id, call)
        else:
            await self._to_agent(channel, tenant_id, campaign_id, attempt_id, uuid, call, running)

    def _load(self, tenant_id: int, attempt_id: int) -> dict[str, Any] | None:
        with self.db.tenant(tenant_id) as session:
            attempt = session.get(DialAttempt, attempt_id)
            if attempt is None or attempt.campaign_id is None:
                return None
            dialing.record_arrival(session, attempt_id, self.clock())  # the entry is held for the conversation
            campaign = session.get(Campaign, attempt.campaign_id)
            entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id else None
            contact = session.get(Contact, attempt.contact_id) if attempt.contact_id else None
            if campaign is None:
                return None
            script = campaigns.script_body(session, campaign)
            return {"campaign": {"id": campaign.id, "name": campaign.name, "script": campaign.script,
                                 "script_version": campaign.script_version, "queue": campaign.queue,
                                 "skill": campaign.skill, "mode": campaign.mode},
                    "entry": {"id": entry.id, "call_task_id": entry.call_task_id,
                              "preferred_agent": entry.preferred_agent} if entry else None,
                    "attempt": {"id": attempt.id, "phone": attempt.phone_e164},
                    "contact": ({"id": contact.id, "name": contact.name, "phone": contact.phone_e164,
                                 **(contact.fields or {})} if contact else {"phone": attempt.phone_e164}),
                    "script": script}

    async def _to_agent(self, channel: EslChannel, tenant_id: int, campaign_id: int, attempt_id: int, uuid: str,
                        call: dict[str, Any], running: dict[str, Any]) -> None:
        services = _CampaignServices(self.db, tenant_id, uuid, self.acd, self.agent_endpoint, self.clock)
        services.live = self.acd.live_calls if self.acd is not None else None  # the agent, for a crash's sweep
        running["services"] = services
        loop = asyncio.get_running_loop()
        freeing: set[asyncio.Task[None]] = set()

        def picked(agent: str) -> None:
            task = loop.create_task(self.lines.remove("live", campaign_id, uuid))
            freeing.add(task)
            task.add_done_callback(freeing.discard)

        services.on_agent = picked
        services.context = lambda: {"tenant_id": tenant_id, "caller": call["attempt"]["phone"], "outbound": {
            "campaign": call["campaign"], "entry": call["entry"], "attempt": call["attempt"],
            "contact": call["contact"]}}
        campaign = call["campaign"]
        queue = campaign["queue"] or "outbound"
        skills = (campaign["skill"],) if campaign["skill"] else ()
        # a callback booked with an agent and dialled for them (the dialer saw them free): theirs first, then
        # anyone of the queue/skill, all within the 2 seconds
        target = _header(call["data"], "variable_hotline_preferred_agent")
        # preview: the agent chose this contact and waits for it — theirs for the whole 2 seconds
        wait = AGENT_WITHIN_SECONDS if campaign["mode"] == "preview" else TARGET_SECONDS
        options: dict[str, Any] = {"agent": target, "agent_wait_seconds": wait} if target else {}
        # the agent's wrap-up lasts until the desk records the disposition: no inbound call is offered meanwhile,
        # as the desk refuses presence changes meanwhile (issue 13, task 13d #4)
        options["hold_wrap_up"] = HOLD_WRAP_UP
        try:
            result = await services.enqueue(channel, queue, priority=9, skills=skills,
                                            timeout_seconds=AGENT_WITHIN_SECONDS, hold_prompt=None,
                                            announce_position=False, options=options)
        except CallerHungUp:  # the callee hung up: while talking to the agent, or while waiting for one
            await self._end(tenant_id, attempt_id, agent=services.answered_by)
            return
        agent = services.answered_by
        if result.status == "answered" or agent is not None:
            await self._end(tenant_id, attempt_id, agent=agent or result.agent)
            return
        if result.status == "timeout":  # no agent within 2 s: the message, then an abandon
            with contextlib.suppress(CallerHungUp):
                await channel.play(ABANDON_MESSAGE)
                await channel.hangup("NORMAL_CLEARING")
            await self._end(tenant_id, attempt_id, abandoned=True)
            return
        await self._end(tenant_id, attempt_id)  # the callee hung up within the 2 s

    async def _agentless(self, channel: EslChannel, tenant_id: int, attempt_id: int, call: dict[str, Any]) -> None:
        """The script's pages spoken, each question with digit options asked on the keypad, branches followed."""
        script, contact = call["script"], call["contact"]
        pages = script.get("pages") or {}
        name, answers, disposition = script.get("start"), {}, None
        try:
            for _ in range(MAX_PAGES):
                page = pages.get(name) if name else None
                if page is None:
                    break
                if page.get("say"):
                    text = _VARIABLE.sub(lambda m: str(contact.get(m.group(1), "")), page["say"])
                    await channel.play(RenderedPrompt(text=text))
                for question in page.get("questions") or ():
                    options = [o for o in question.get("options") or () if o.get("digit")]
                    if not options:
                        continue
                    spoken = question["label"] + "，" + "，".join(f"{o['label']}请按{o['digit']}" for o in options)
                    digits = await channel.collect(RenderedPrompt(text=spoken), min_digits=1, max_digits=1,
                                                   terminator="", timeout_seconds=8)
                    chosen = next((o["value"] for o in options if o["digit"] == digits), None)
                    if chosen is not None:
                        answers[question["name"]] = chosen
                disposition = page.get("disposition") or disposition
                name = next((b["next"] for b in page.get("branches") or ()
                             if evaluate(b["when"], {"answer": answers, "contact": contact})),
                            page.get("next"))
            await channel.hangup("NORMAL_CLEARING")
        except CallerHungUp:
            pass
        if disposition is None:
            disposition = next((d["code"] for d in script.get("dispositions") or ()
                                if d.get("outcome") == "success"), "completed")
        await self._end(tenant_id, attempt_id, outcome="answered", answers=answers, disposition=disposition,
                        agent="agentless")

    async def _end(self, tenant_id: int, attempt_id: int, **result: Any) -> None:
        def write() -> None:
            with self.db.tenant(tenant_id) as session:
                dialing.record_call_end(session, attempt_id, self.clock(), **result)

        try:
            await asyncio.to_thread(write)
        except Exception:
            log.exception("could not record the end of attempt %s", attempt_id)
