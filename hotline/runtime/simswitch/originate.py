"""``originate``: create a leg, wait for it to answer, then run an application or an extension.

With ``loopback/<did>`` the ``-b`` half runs the dialplan for the DID, which for a configured
DID is ``socket host:port async full``: that is how the simulator makes "a call arrive" at the
application, exactly as the recorded ``bgapi originate ... loopback/4000/default &park()`` did.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .engine import execute
from .legs import OriginateError, create_leg, parse_dial_string, run_dialplan

if TYPE_CHECKING:
    from .channel import Channel
    from .core import Switch

__all__ = ["ORIGINATE_USAGE", "OriginateRequest", "originate"]

ORIGINATE_USAGE = (
    "-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] "
    "[<cid_name>] [<cid_num>] [<timeout_sec>]\n"
)

@dataclass
class OriginateRequest:
    dial: str
    destination: str
    cid_name: str | None = None
    cid_number: str | None = None
    timeout_s: float | None = None

    @classmethod
    def parse(cls, args: str) -> OriginateRequest | None:
        """Split ``originate`` arguments as mod_commands does: on spaces, single quotes grouping, backslash
        escaping (switch_separate_string); braces do not group, so a variable block holds no space."""
        argv = split_arguments(args)
        if len(argv) < 2:
            return None
        dial, dest, *extra = argv
        extra += [""] * (5 - len(extra))
        timeout = float(extra[4]) if extra[4].replace(".", "", 1).isdigit() else None
        return cls(dial, dest, extra[2] or None, extra[3] or None, timeout)

    def application(self) -> tuple[str, str] | None:
        """``&name(args)``: (name, args), cut at the first ``)`` as originate_function does; None for an exten."""
        if not self.destination.startswith("&") or len(self.destination) < 2:
            return None
        name = self.destination[1:].split(")", 1)[0]
        name, _, arg = name.partition("(")
        return name, arg


def split_arguments(text: str) -> list[str]:
    """switch_separate_string(buf, ' ', ...): blank-delimited words; ``'`` toggles quoting, ``\\`` escapes the next
    character; quotes and escapes are removed from each word (cleanup_separated_string)."""
    words: list[str] = []
    current: list[str] = []
    quoted = escaped = started = False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = started = True
        elif ch == "'":
            quoted, started = not quoted, True
        elif ch == " " and not quoted:
            if started:
                words.append("".join(current).strip())
                current, started = [], False
        else:
            current.append(ch)
            started = True
    if started:
        words.append("".join(current).strip())
    return words


def _flip_cid(a: Channel) -> None:
    """What the recorded A leg shows after answer (CALL_UPDATE): caller/callee swapped."""
    p = a.profile
    if p.caller_id_name:
        a.vars.set("pre_transfer_caller_id_name", p.caller_id_name)
    a.vars.set("pre_transfer_caller_id_number", p.caller_id_number)
    a.vars.set("channel_cid_flipped", "yes")
    p.caller_id_name, p.callee_id_name = p.callee_id_name, p.caller_id_name
    p.caller_id_number, p.callee_id_number = p.callee_id_number, p.caller_id_number
    a.hit_dialplan = True
    a.fire("CALL_UPDATE", pre=[("Direction", "RECV")])


async def originate(
    sw: Switch,
    req: OriginateRequest,
    *,
    on_created: Callable[[Channel], None] | None = None,
) -> Channel:
    """Create and answer the A leg; raise :class:`OriginateError` with the failure cause.

    The A leg's own life (its application or extension, then its hangup tail) continues in a
    background task after this returns.
    """
    _, groups = parse_dial_string(req.dial)
    if not groups or not groups[0]:
        raise OriginateError("INVALID_NUMBER_FORMAT")
    target = groups[0][0]
    a = create_leg(sw, target, cid_number=req.cid_number, cid_name=req.cid_name)
    if on_created is not None:
        on_created(a)
    timeout_ms = float(target.variables.get("originate_timeout") or (req.timeout_s or 60)) * 1000
    waits = [asyncio.ensure_future(a.answered.wait()), asyncio.ensure_future(a.hungup.wait())]
    try:
        await asyncio.wait(waits, timeout=sw.scaled(timeout_ms), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
    if a.is_up and a.answer_state != "answered":
        sw.hangup(a, "NO_ANSWER")
    if not a.is_up:
        sw.spawn(_tail(a, None))
        raise OriginateError(a.hangup_cause or "NORMAL_CLEARING")
    if a.name.startswith("loopback/"):
        _flip_cid(a)
    sw.spawn(_tail(a, req.destination, req.application()))
    return a


async def _tail(a: Channel, destination: str | None, app: tuple[str, str] | None = None) -> None:
    """After answer: ``&app(args)`` or route ``<exten>``; then the A leg's hangup tail."""
    sw = a.switch
    await asyncio.sleep(0)
    if destination and a.is_up:
        if app:
            a.hit_dialplan = True
            a.set_state("CS_EXECUTE")
            a.vars.set("call_uuid", a.call_uuid)
            await execute(a, *app)
            if a.is_up and a.transfer_to:  # uuid_transfer / transfer app while in &app()
                destination, a.transfer_to = a.transfer_to, None
                a.profile.destination_number = destination
                a.set_state("CS_ROUTING")
                await run_dialplan(a, destination)
            if a.is_up:
                sw.hangup(a, "NORMAL_CLEARING")
        else:
            a.profile.destination_number = destination
            a.set_state("CS_ROUTING")
            await run_dialplan(a, destination)
    await a.hungup.wait()
    await sw.finish(a)
