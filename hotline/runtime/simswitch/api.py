"""``api`` / ``bgapi`` commands (the subset a call-center runtime needs).

Reply texts are copied from the transcripts where they were recorded (status, version,
originate usage, uuid_kill / uuid_recv_dtmf usage, ``-ERR No such channel!``, ``-ERR Cannot
locate session!``, ``-ERR <cmd> Command not found!``, ``!err!`` for a bad ``expr``); the others
follow the same style and are marked "not recorded" in their docstrings.
"""

from __future__ import annotations

import ast
import asyncio
import operator
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .config import FS_VERSION
from .legs import OriginateError
from .originate import ORIGINATE_USAGE, OriginateRequest, originate

if TYPE_CHECKING:
    from .core import Switch

__all__ = ["API_COMMANDS", "run_api"]

ApiImpl = Callable[["Switch", str], Awaitable[str]]
API_COMMANDS: dict[str, ApiImpl] = {}


def api(name: str) -> Callable[[ApiImpl], ApiImpl]:
    def deco(fn: ApiImpl) -> ApiImpl:
        API_COMMANDS[name] = fn
        return fn

    return deco


async def run_api(sw: Switch, line: str) -> str:
    """Run one api command line; fires the API event like switch_api_execute."""
    cmd, _, args = line.strip().partition(" ")
    impl = API_COMMANDS.get(cmd)
    if impl is None:
        return f"-ERR {cmd} Command not found!\n"
    body = await impl(sw, args.strip())
    extra = [("API-Command-Argument", args.strip())] if args.strip() else []
    sw.fire("API", post=[("API-Command", cmd), *extra])
    return body


@api("status")
async def api_status(sw: Switch, args: str) -> str:
    up = time.time() - sw.started
    days, rem = divmod(up, 86400)
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    frac = seconds - int(seconds)
    ms, us = int(frac * 1000), int(frac * 1_000_000) % 1000
    live = len(sw.live_channels())
    return (
        f"UP 0 years, {int(days)} days, {int(hours)} hours, {int(minutes)} minutes, "
        f"{int(seconds)} seconds, {ms} milliseconds, {us} microseconds\n"
        "FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n"
        f"{sw.sessions_since_start} session(s) since startup\n"
        f"{live} session(s) - peak {live}, last 5min {live} \n"
        "0 session(s) per Sec out of max 30, peak 0, last 5min 0 \n"
        "1000 session(s) max\n"
        "min idle cpu 0.00/100.00\n"
        "Current Stack Size/Max 240K/8192K\n"
    )


@api("module_exists")
async def api_module_exists(sw: Switch, args: str) -> str:
    """``module_exists mod_x``: "true" or "false", no newline (04-tts-missing)."""
    return "true" if args.strip() in sw.config.modules() else "false"


@api("user_exists")
async def api_user_exists(sw: Switch, args: str) -> str:
    """``user_exists id <user> <domain>``: the directory's users, registered or not (SimSwitchConfig)."""
    words = args.split()
    return "true" if len(words) >= 2 and sw.config.knows_user(words[1]) else "false"


@api("version")
async def api_version(sw: Switch, args: str) -> str:
    return FS_VERSION + "\n"


@api("originate")
async def api_originate(sw: Switch, args: str) -> str:
    req = OriginateRequest.parse(args)
    if req is None:
        return ORIGINATE_USAGE
    try:
        leg = await originate(sw, req)
    except OriginateError as exc:
        return f"-ERR {exc.cause}\n"
    return f"+OK {leg.uuid}\n"


@api("uuid_kill")
async def api_uuid_kill(sw: Switch, args: str) -> str:
    words = args.split()
    if not words:
        return "-USAGE: <uuid> [cause]\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR No such channel!\n"
    sw.hangup(ch, words[1].upper() if len(words) > 1 else "NORMAL_CLEARING")
    return "+OK\n"


@api("uuid_getvar")
async def api_uuid_getvar(sw: Switch, args: str) -> str:
    words = args.split()
    if len(words) < 2:
        return "-USAGE: <uuid> <var>\n"  # not recorded
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR No such channel!\n"
    return ch.vars.get(words[1]) or "_undef_"


@api("uuid_setvar")
async def api_uuid_setvar(sw: Switch, args: str) -> str:
    """Not recorded: ``+OK`` like the other uuid_* successes."""
    words = args.split(" ", 2)
    if len(words) < 2:
        return "-USAGE: <uuid> <var> [value]\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR No such channel!\n"
    ch.vars.set(words[1], words[2] if len(words) > 2 else None)
    return "+OK\n"


@api("uuid_recv_dtmf")
async def api_uuid_recv_dtmf(sw: Switch, args: str) -> str:
    words = args.split()
    if len(words) < 2:
        return "-USAGE: <uuid> <dtmf_data>\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR Cannot locate session!\n"
    ch.queue_dtmf(words[1], "APP")
    return f"+OK {ch.uuid} received DTMF {words[1]}.\n"


@api("uuid_break")
async def api_uuid_break(sw: Switch, args: str) -> str:
    """``uuid_break <uuid> [all]``: the playback running now ends (with FILE PLAYED, 04-dtmf-and-break).

    As in mod_commands' break_function: ``all`` first flushes the channel's private events, which are the
    queued ``sendmsg`` messages not yet running -- an application sent a moment before the break never runs and
    never completes (QA 12.3: hold music flushed so, the runtime waited 5 s of dead air for its completion). The
    break itself is a flag the next application clears when it starts (switch_core_session_exec), so a break
    sent before the playback began is lost (wait_media clears it).
    """
    words = args.split()
    if not words:
        return "-USAGE: <uuid> [all]\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR No such channel!\n"
    if any("all" in flag for flag in words[1:]):
        flushed = [m for m in ch.messages if (m.get("call-command") or "").lower() == "execute"]
        ch.messages.clear()
        for message in flushed:
            ch.note("note", text=f"uuid_break all flushed queued {message.get('execute-app-name')}")
    ch.break_signal.set()
    return "+OK\n"


@api("uuid_send_dtmf")
async def api_uuid_send_dtmf(sw: Switch, args: str) -> str:
    """Send from a leg to its peer; over loopback the peer sees DTMF-Source UNKNOWN (01)."""
    words = args.split()
    if len(words) < 2:
        return "-USAGE: <uuid> <dtmf_data>\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR Cannot locate session!\n"
    ch.vars.set("last_dtmf_duration", "1500")
    peer = ch.partner or ch.bridged_to
    if peer is not None and peer.is_up:
        peer.queue_dtmf(words[1], "UNKNOWN")
    return f"+OK {ch.uuid} sent DTMF {words[1]}.\n"


@api("uuid_transfer")
async def api_uuid_transfer(sw: Switch, args: str) -> str:
    """``uuid_transfer <uuid> [-bleg|-both] <dest>`` (not recorded): re-route the channel."""
    words = [w for w in args.split() if not w.startswith("-")]
    if len(words) < 2:
        return "-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR No such channel!\n"
    ch.transfer_to = words[1]
    ch.parked = False
    ch.msg_signal.set()
    return "+OK\n"


@api("uuid_answer")
async def api_uuid_answer(sw: Switch, args: str) -> str:
    ch = sw.locate(args.split()[0]) if args.split() else None
    if ch is None:
        return "-ERR No such channel!\n"
    ch.mark_answered()
    return "+OK\n"


@api("uuid_exists")
async def api_uuid_exists(sw: Switch, args: str) -> str:
    return "true" if args.split() and sw.locate(args.split()[0]) else "false"


@api("uuid_bridge")
async def api_uuid_bridge(sw: Switch, args: str) -> str:
    """Not recorded: bridge two live channels; either hanging up ends it for both."""
    words = args.split()
    if len(words) < 2:
        return "-USAGE: <uuid> <other_uuid>\n"
    a, b = sw.locate(words[0]), sw.locate(words[1])
    if a is None or b is None:
        return "-ERR No such channel!\n"
    a.set_other(b, "originatee")
    b.set_other(a, "originator")
    a.bridged_to, b.bridged_to = b, a
    ids = [("Bridge-A-Unique-ID", a.uuid), ("Bridge-B-Unique-ID", b.uuid)]
    a.fire("CHANNEL_BRIDGE", pre=ids)
    a.note("bridge", target=f"uuid:{b.uuid}", uuid=b.uuid, name=b.name)

    async def watch() -> None:
        waits = [asyncio.ensure_future(a.hungup.wait()), asyncio.ensure_future(b.hungup.wait())]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
        a.bridged_to = b.bridged_to = None
        a.fire("CHANNEL_UNBRIDGE", pre=ids)
        for ch in (a, b):
            if ch.is_up:
                sw.hangup(ch, "NORMAL_CLEARING")

    sw.spawn(watch())
    return f"+OK {b.uuid}\n"


@api("hupall")
async def api_hupall(sw: Switch, args: str) -> str:
    cause = (args.split() or ["MANAGER_REQUEST"])[0].upper()
    for ch in list(sw.channels.values()):
        if ch.is_up:
            sw.hangup(ch, cause)
    return f"+OK hangup all channels with cause {cause}\n"


_OPS: dict[type, Callable[..., float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Mod: operator.mod, ast.USub: operator.neg, ast.UAdd: operator.pos,
}  # fmt: skip


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand))
    raise ValueError("unsupported expression")


@api("expr")
async def api_expr(sw: Switch, args: str) -> str:
    """Arithmetic like mod_expr; a syntax error gives ``!err!`` without newline (03)."""
    try:
        value = _eval(ast.parse(args, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError, TypeError):
        return "!err!"
    return str(int(value)) if float(value).is_integer() else str(value)
