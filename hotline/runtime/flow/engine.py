"""The flow engine: runs one published IVR document for one call.

The loop only looks a node up, hands it to the handler registered for its type and follows the id the
handler returns; everything a node does lives in its own module under `nodes/`. What the loop owns is
the safety net the product promises: any error mid-call sends the caller to the document's fallback
(never silence), a second error before the caller has pressed anything again means the fallback path is
broken too, so the caller hears a built-in apology and the call ends (never a loop), and a step budget
stops input-free loops the lint did not catch.

Per step the engine allocates one small trace dict and nothing else: the document is shared read-only
between calls, templates are compiled once (platform.templating caches them).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hotline.platform.templating import render

from .calendar import WEEKDAYS, local_time
from .channel import CallerHungUp, Channel, RenderedPrompt
from .nodes import FlowError, describe, handler_for
from .services import FlowServices
from .trace import CallTrace

log = logging.getLogger(__name__)

DEFAULT_APOLOGY = RenderedPrompt(
    text="抱歉，系统暂时无法为您服务，请稍后再拨。", name="builtin_apology"
)
DEFAULT_MAX_STEPS = 1000
OUTCOMES = ("completed", "caller_hangup", "abandoned", "transferred", "error")


@dataclass(frozen=True, slots=True)
class CallInfo:
    """What the runtime knows about the call when the flow starts."""

    caller: str
    did: str
    uuid: str = ""
    tenant: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CallResult:
    """How the run ended; `trace.to_dict()` goes into the call record."""

    outcome: str
    node: str | None
    hangup_cause: str | None
    variables: dict[str, Any]
    trace: CallTrace

    @property
    def error(self) -> dict[str, Any] | None:
        """The first error of the call (node, type, reason, to), if any."""
        return self.trace.errors[0] if self.trace.errors else None


class FlowContext:
    """What a node handler may use: the channel, the services, the variables and a few helpers.

    Helpers exist where every node would otherwise repeat the same three lines (render, trace, play);
    node-specific behaviour stays in the node modules.
    """

    __slots__ = ("allowed_transfer_numbers", "call", "call_vars", "channel", "channel_gone", "conditions",
                 "customer", "hangup_cause", "idle_steps", "lookup_timeout_ms", "node_id", "outcome",
                 "prompts", "recovering", "services", "tenant_calendar", "trace", "variables")

    def __init__(
        self,
        *,
        channel: Channel,
        services: FlowServices,
        call: CallInfo,
        call_vars: dict[str, Any],
        customer: dict[str, Any],
        variables: dict[str, Any],
        trace: CallTrace,
        prompts: Mapping[str, Mapping[str, str]],
        tenant_calendar: Mapping[str, Any] | None,
        allowed_transfer_numbers: tuple[str, ...],
        lookup_timeout_ms: int,
    ) -> None:
        self.channel, self.services, self.call = channel, services, call
        self.call_vars, self.customer, self.variables = call_vars, customer, variables
        self.trace, self.prompts, self.tenant_calendar = trace, prompts, tenant_calendar
        self.allowed_transfer_numbers = allowed_transfer_numbers
        self.lookup_timeout_ms = lookup_timeout_ms
        # The condition context shares the live dicts, so it never needs rebuilding.
        self.conditions = {"var": variables, "call": call_vars, "customer": customer}
        self.node_id: str | None = None
        self.outcome = "completed"
        self.hangup_cause: str | None = None
        self.channel_gone = False
        self.idle_steps = 0
        self.recovering = False

    def render(self, source: str) -> str:
        """Renders a tenant template with the variables by bare name plus `call` and `customer`."""
        if "{" not in source:
            return source
        return render(source, {**self.variables, "call": self.call_vars, "customer": self.customer})

    def prompt(self, spec: Mapping[str, str]) -> RenderedPrompt:
        """Resolves a prompt of the document: text rendered, audio looked up in the prompt catalogue."""
        text = spec.get("text")
        rendered = self.render(text) if text else None
        audio = spec.get("audio")
        if not audio:
            return RenderedPrompt(text=rendered or "")
        entry = self.prompts.get(audio)
        if entry is not None:
            return RenderedPrompt(text=rendered or entry.get("text") or audio, file=entry.get("file"),
                                  name=audio)
        if rendered is None:
            raise FlowError(f"prompt {audio!r} is not in the prompt catalogue and has no text")
        return RenderedPrompt(text=rendered, name=audio)  # no recording yet: speak its transcript

    async def play(self, spec: Mapping[str, str] | None) -> None:
        """Plays a document prompt, if there is one."""
        if spec:
            await self.play_rendered(self.prompt(spec))

    async def play_rendered(self, prompt: RenderedPrompt) -> None:
        """Plays a prompt that is already resolved (the engine's built-in apology). Traced once played:
        a prompt the switch failed to play (PromptFailed) was not heard."""
        await self.channel.play(prompt)
        self.trace.prompt(prompt.text)

    async def ask(
        self,
        spec: Mapping[str, str] | None,
        *,
        min_digits: int = 1,
        max_digits: int = 1,
        terminator: str = "",
        timeout_seconds: int = 5,
        pattern: str | None = None,
    ) -> str | None:
        """Plays a prompt and collects digits; None on timeout. Input resets the idle budget."""
        prompt = self.prompt(spec) if spec else None
        digits = await self.channel.collect(
            prompt, min_digits=min_digits, max_digits=max_digits, terminator=terminator,
            timeout_seconds=timeout_seconds, pattern=pattern,
        )
        if prompt is not None:  # played (a failed prompt raised PromptFailed)
            self.trace.prompt(prompt.text)
        digits = digits or None
        self.trace.digits(digits)
        if digits:
            self.idle_steps = 0
            self.recovering = False  # the caller is making progress: a new error may use the fallback
        return digits

    def set(self, name: str, value: Any) -> None:
        """Sets a flow variable and traces it."""
        self.variables[name] = value
        self.trace.variable(name, value)

    def finish(self, outcome: str, cause: str | None = None, *, channel_gone: bool = False) -> None:
        """Marks how the call ends; the node then returns None."""
        self.outcome = outcome
        if cause is not None:
            self.hangup_cause = cause
        self.channel_gone = self.channel_gone or channel_gone


def _call_vars(call: CallInfo, now: datetime, calendar: Mapping[str, Any] | None) -> dict[str, Any]:
    try:
        local = local_time(calendar, now)
    except (KeyError, ValueError):  # an unknown zone fails the hours node, not the call's start
        local = local_time(None, now)
    return {"caller": call.caller, "did": call.did, "uuid": call.uuid, "tenant": call.tenant,
            "hour": local.hour, "weekday": WEEKDAYS[local.weekday()], "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"), **call.extra}


class FlowEngine:
    """Interprets one IVR document (a published version's body) for one call."""

    def __init__(
        self,
        body: Mapping[str, Any],
        channel: Channel,
        services: FlowServices,
        call: CallInfo,
        customer: Mapping[str, Any] | None = None,
        tenant_calendar: Mapping[str, Any] | None = None,
        *,
        allowed_transfer_numbers: Iterable[str] = (),
        prompts: Mapping[str, Mapping[str, str]] | None = None,
        max_steps: int = DEFAULT_MAX_STEPS,
        apology: RenderedPrompt = DEFAULT_APOLOGY,
        lookup_timeout_ms: int = 2000,
    ) -> None:
        self._nodes: Mapping[str, Mapping[str, Any]] = body["nodes"]
        self._start: str = body["start"]
        self._fallback: str = body["fallback"]
        self._max_steps = max_steps
        self._apology = apology
        now = services.now()
        variables = {name: spec["default"] for name, spec in body.get("variables", {}).items()
                     if "default" in spec}
        self.trace = CallTrace(started_at=now)
        self.ctx = FlowContext(
            channel=channel, services=services, call=call, call_vars=_call_vars(call, now, tenant_calendar),
            customer=dict(customer or {}), variables=variables, trace=self.trace, prompts=prompts or {},
            tenant_calendar=tenant_calendar, allowed_transfer_numbers=tuple(allowed_transfer_numbers),
            lookup_timeout_ms=lookup_timeout_ms,
        )

    async def run(self) -> CallResult:
        """Answers, runs the flow until a node ends it, hangs up; never raises for a call's events."""
        ctx = self.ctx
        node_id: str | None = self._start
        try:
            await ctx.channel.answer()
            while node_id is not None:
                node_id = await self._step(node_id)
        except CallerHungUp:
            ctx.finish("caller_hangup", channel_gone=True)
        if not ctx.channel_gone:
            await self._hangup(ctx.hangup_cause or "NORMAL_CLEARING")
        self.trace.finish(ctx.outcome, ctx.node_id, ctx.hangup_cause)
        return CallResult(ctx.outcome, ctx.node_id, ctx.hangup_cause, ctx.variables, self.trace)

    async def _step(self, node_id: str) -> str | None:
        ctx = self.ctx
        ctx.node_id = node_id
        ctx.idle_steps += 1
        if ctx.idle_steps > self._max_steps:
            return await self._fail(node_id, None, f"more than {self._max_steps} steps without caller input")
        node = self._nodes.get(node_id)
        if node is None:
            return await self._fail(node_id, None, f"no node {node_id!r} in the flow")
        node_type = node.get("type")
        handler = handler_for(node_type)
        if handler is None:
            return await self._fail(node_id, node_type, f"unknown node type {node_type!r}")
        self.trace.enter(node_id, node_type)
        next_id = None
        try:
            next_id = await handler(node, ctx)
        except CallerHungUp:
            raise
        except Exception as exc:  # a node's bug or bad data must not leave the caller in silence
            self.trace.leave(None)
            return await self._fail(node_id, node_type, describe(exc))
        finally:
            self.trace.leave(next_id)
        return next_id

    async def _fail(self, node_id: str, node_type: str | None, reason: str) -> str | None:
        ctx = self.ctx
        log.warning("flow error on call %s at node %s: %s", ctx.call.uuid, node_id, reason)
        if not ctx.recovering:
            ctx.recovering = True
            ctx.idle_steps = 0
            self.trace.error(node_id, node_type, reason, self._fallback)
            return self._fallback
        # The fallback path failed too: apologise and end rather than loop.
        self.trace.error(node_id, node_type, reason, None)
        ctx.finish("error", "NORMAL_CLEARING")
        try:
            self.trace.enter("", "apology")
            await ctx.play_rendered(self._apology)
        except CallerHungUp:
            raise
        except Exception as exc:
            log.error("apology failed on call %s: %s", ctx.call.uuid, describe(exc))
        finally:
            self.trace.leave(None)
        return None

    async def _hangup(self, cause: str) -> None:
        try:
            await self.ctx.channel.hangup(cause)
        except CallerHungUp:
            pass
        except Exception as exc:  # the call is over either way; the trace must still be returned
            log.error("hangup failed on call %s: %s", self.ctx.call.uuid, describe(exc))
