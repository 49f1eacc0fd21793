"""Creating legs: dial strings, loopback pairs, simulated agent endpoints, the dialplan runner.

``loopback/<exten>[/<context>]`` behaves like mod_loopback in the recordings: an outbound ``-a``
half (the leg the originator sees) and an inbound ``-b`` half that runs the dialplan for
``<exten>``; the halves answer and hang up together.  ``user/<id>`` and ``sofia/<profile>/<id>``
are simulated agent phones whose behaviour comes from :class:`~.config.AgentBehavior`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .engine import execute

if TYPE_CHECKING:
    from .channel import Channel
    from .config import AgentBehavior
    from .core import Switch

__all__ = ["DialTarget", "OriginateError", "create_leg", "parse_dial_string", "run_dialplan"]


class OriginateError(Exception):
    """A leg could not be created or failed before answering; ``cause`` is the hangup cause."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass
class DialTarget:
    endpoint: str
    variables: dict[str, str] = field(default_factory=dict)


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside ``{}``/``[]``."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def _parse_vars(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in _split_top(text, ","):
        key, _, value = item.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        out[key.strip()] = value
    return out


def parse_dial_string(text: str) -> tuple[dict[str, str], list[list[DialTarget]]]:
    """``{a=b}x,y|z`` -> global vars and groups (``|`` = try in turn, ``,`` = ring together)."""
    text = text.strip()
    global_vars: dict[str, str] = {}
    if text.startswith("{") and "}" in text:
        end = text.index("}")
        global_vars = _parse_vars(text[1:end])
        text = text[end + 1 :]
    groups: list[list[DialTarget]] = []
    for group in _split_top(text, "|"):
        targets = []
        for item in _split_top(group, ","):
            leg_vars: dict[str, str] = {}
            if item.startswith("[") and "]" in item:
                end = item.index("]")
                leg_vars = _parse_vars(item[1:end])
                item = item[end + 1 :]
            targets.append(DialTarget(item.strip(), {**global_vars, **leg_vars}))
        groups.append(targets)
    return global_vars, groups


def _set_codecs(ch: Channel) -> None:
    for key, value in (("read_codec", "L16"), ("read_rate", "8000"), ("write_codec", "L16"), ("write_rate", "8000")):
        ch.vars.set(key, value)


def create_leg(
    sw: Switch,
    target: DialTarget,
    *,
    originator: Channel | None = None,
    cid_number: str | None = None,
    cid_name: str | None = None,
) -> Channel:
    """Create the outbound leg for ``target`` (events up to CS_CONSUME_MEDIA fire now)."""
    tv = target.variables
    cid_number = tv.get("origination_caller_id_number") or cid_number
    cid_name = tv.get("origination_caller_id_name") or cid_name
    if originator is not None:
        cid_number = cid_number or originator.profile.caller_id_number
        cid_name = cid_name or originator.profile.caller_id_name
    tech, _, rest = target.endpoint.partition("/")
    if tech == "loopback":
        exten, _, context = rest.partition("/")
        context = context or sw.config.context
        if context not in sw.config.contexts:
            raise OriginateError("NO_ROUTE_DESTINATION")
        return _loopback_pair(sw, exten, context, target, originator, cid_number, cid_name)
    if tech == "sofia" and rest.startswith("gateway/") and rest.split("/")[1] not in sw.config.gateways:
        raise OriginateError("INVALID_GATEWAY")
    callees = sw.config.callees
    if (tech == "sofia" and rest.startswith("gateway/") and callees is not None
            and rest.split("/")[1] in callees.gateways and len(rest.split("/")) > 2):
        from .callees import callee_leg

        return callee_leg(sw, rest.split("/", 2)[2], target, cid_number, cid_name)
    if tech in ("user", "sofia"):
        user = rest.split("/")[-1].split("@")[0]
        if tech == "sofia":
            behavior = sw.config.agent(user)
        else:
            try:  # the directory decides, as on the real switch (04-bridge-failures: user/9999)
                behavior = sw.config.directory_user(user)
            except LookupError as exc:
                raise OriginateError(str(exc.args[0])) from None
        return _agent_leg(sw, user, target, originator, cid_number, cid_name, behavior)
    if tech == "error":
        raise OriginateError((rest or "NORMAL_CLEARING").upper())
    raise OriginateError("CHAN_NOT_IMPLEMENTED")


def _loopback_pair(
    sw: Switch,
    exten: str,
    context: str,
    target: DialTarget,
    originator: Channel | None,
    cid_number: str | None,
    cid_name: str | None,
) -> Channel:
    cid = {"cid_number": cid_number, "cid_name": cid_name, "context": context}
    a = sw.new_channel(f"loopback/{exten}-a", "outbound", exten, **cid)
    b = sw.new_channel(f"loopback/{exten}-b", "inbound", exten, **cid)
    a.partner, b.partner = b, a
    a.hit_dialplan = False
    exported = _exported(originator)
    av, bv = a.vars, b.vars
    av.set("direction", "outbound")
    av.set("is_outbound", "true")
    av.set("uuid", a.uuid)
    if originator is None:
        av.set("call_uuid", a.uuid)
        av.set("session_id", a.session_id)
        _set_codecs(a)
        av.set("channel_name", a.name)
    else:
        a.call_uuid_after_outgoing = originator.uuid
        a.set_other(originator, "originator")
        av.set("session_id", a.session_id)
        _set_codecs(a)
        av.set("loopback_from_uuid", originator.uuid)
        av.set("channel_name", a.name)
        av.set("max_forwards", "70")
        av.set("originator_codec", "L16@8000h@20i")
        av.set("originator", originator.uuid)
        av.set("signal_bond", originator.uuid)
        av.set("call_uuid", originator.uuid)
        for key, value in exported:
            av.set(key, value)
    for key, value in target.variables.items():
        av.set(key, value)
    av.set("originate_early_media", "true")
    if originator is not None:
        av.set("originating_leg_uuid", originator.uuid)
    av.set("originate_endpoint", "loopback")
    av.set("other_loopback_leg_uuid", b.uuid)
    av.set("loopback_leg", "A")
    for key, value in (("direction", "inbound"), ("uuid", b.uuid), ("call_uuid", b.uuid)):
        bv.set(key, value)
    bv.set("session_id", b.session_id)
    bv.set("channel_name", b.name)
    _set_codecs(b)
    for key, value in [*target.variables.items(), *exported]:
        bv.set(key, value)
    bv.set("other_loopback_leg_uuid", a.uuid)
    if originator is not None:
        bv.set("other_loopback_from_uuid", originator.uuid)
    bv.set("loopback_leg", "B")
    sw.start_outgoing(a)
    b.spawn(inbound_leg_main(b, exten))
    return a


def _exported(originator: Channel | None) -> list[tuple[str, str]]:
    if originator is None:
        return []
    names = [n for n in (originator.vars.get("export_vars") or "").split(",") if n]
    out = [("export_vars", ",".join(names))] if names else []
    return out + [(n, originator.vars.get(n) or "") for n in names]


def _agent_leg(
    sw: Switch,
    user: str,
    target: DialTarget,
    originator: Channel | None,
    cid_number: str | None,
    cid_name: str | None,
    behavior: AgentBehavior,
) -> Channel:
    name = f"sofia/internal/{user}@{sw.config.hostname}"
    leg = sw.new_channel(name, "outbound", user, cid_number=cid_number, cid_name=cid_name, source="mod_sofia",
                         uuid=target.variables.get("origination_uuid"))
    leg.hit_dialplan = False
    v = leg.vars
    v.set("direction", "outbound")
    v.set("is_outbound", "true")
    v.set("uuid", leg.uuid)
    v.set("session_id", leg.session_id)
    _set_codecs(leg)
    v.set("channel_name", name)
    v.set("dialed_user", user)
    if originator is not None:
        leg.call_uuid_after_outgoing = originator.uuid
        leg.set_other(originator, "originator")
        v.set("originator", originator.uuid)
        v.set("signal_bond", originator.uuid)
        v.set("call_uuid", originator.uuid)
        for key, value in _exported(originator):
            v.set(key, value)
    for key, value in target.variables.items():
        v.set(key, value)
    v.set("originate_endpoint", target.endpoint.split("/")[0])
    sw.start_outgoing(leg)
    leg.spawn(_agent_main(sw, leg, behavior))
    return leg


async def _agent_main(sw: Switch, leg: Channel, behavior: AgentBehavior) -> None:
    """The simulated phone: reject, never answer, or answer after a delay and maybe hang up."""
    with contextlib.suppress(asyncio.TimeoutError):
        if behavior.reject_cause:
            await asyncio.wait_for(leg.hungup.wait(), sw.scaled(50))
        elif behavior.answer_after_ms is not None:
            await asyncio.wait_for(leg.hungup.wait(), sw.scaled(behavior.answer_after_ms))
        else:
            await asyncio.wait_for(leg.hungup.wait(), sw.scaled(behavior.ring_timeout_ms))
    if leg.is_up:
        if behavior.reject_cause:
            sw.hangup(leg, behavior.reject_cause.upper())
        elif behavior.answer_after_ms is None:
            sw.hangup(leg, "NO_ANSWER")
        else:
            leg.mark_answered()
            if behavior.talk_ms is not None:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(leg.hungup.wait(), sw.scaled(behavior.talk_ms))
                sw.hangup(leg, "NORMAL_CLEARING")
    await leg.hungup.wait()
    await leg.unbridged.wait()
    await sw.finish(leg)


async def inbound_leg_main(ch: Channel, number: str) -> None:
    """An inbound leg's life: INIT..ROUTING, run the dialplan, then the hangup tail."""
    sw = ch.switch
    sw.start_incoming(ch)
    await run_dialplan(ch, number)
    await sw.finish(ch)


async def run_dialplan(ch: Channel, number: str) -> None:
    """Route ``number`` and execute the extension's applications until hangup or the end."""
    sw = ch.switch
    while True:
        ch.vars.set("call_uuid", ch.call_uuid)  # re-set on routing (variable order in 01/03)
        ext = sw.config.extension(number)
        if ext is None:
            sw.hangup(ch, "NO_ROUTE_DESTINATION", requested=False)
            return
        ch.hit_dialplan = True
        ch.set_state("CS_EXECUTE")
        for app, arg in ext.steps():
            if not ch.is_up or ch.transfer_to:
                break
            await execute(ch, app, arg)
        if ch.transfer_to and ch.is_up:
            number, ch.transfer_to = ch.transfer_to, None
            ch.profile.destination_number = number
            ch.profile.times.transfer = sw.now_us()
            ch.set_state("CS_ROUTING")
            continue
        break
    if ch.is_up:
        sw.hangup(ch, "NORMAL_CLEARING")
