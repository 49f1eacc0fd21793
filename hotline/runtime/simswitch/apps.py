"""Dialplan applications the simulator implements (registered into :data:`engine.APPLICATIONS`).

Variable side effects copy the recordings: ``playback`` sets ``playback_*`` and
``current_application_response=FILE PLAYED``; ``play_and_get_digits`` reports *only* through
variables (digits -> ``<var>`` without the terminator plus ``read_terminator_used`` and
``read_result=success``; timeout -> ``<var>`` absent and ``read_result=failure``; invalid input
-> ``<var>`` absent, ``<var>_invalid`` set, ``read_result=success``); ``set``/``export`` set the
variable (``export`` also maintains ``export_vars``); ``answer`` sets ``endpoint_disposition``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid as uuidlib
from typing import TYPE_CHECKING

from .engine import application, park_loop, wait_media
from .legs import OriginateError, create_leg, parse_dial_string
from .media import collect_digits, play_file

if TYPE_CHECKING:
    from .channel import Channel

__all__: list[str] = []


def _answer(ch: Channel) -> None:
    """Answer; a loopback ``-b`` half answers its ``-a`` half first (order from 01)."""
    partner = ch.partner
    if partner is not None and partner.is_up and partner.answer_state != "answered":
        partner.mark_answered()
    ch.mark_answered()


@application("answer")
async def app_answer(ch: Channel, arg: str) -> None:
    _answer(ch)


@application("pre_answer")
async def app_pre_answer(ch: Channel, arg: str) -> None:
    if ch.answer_state == "ringing":
        ch.answer_state = "early"
        ch.profile.times.progress_media = ch.switch.now_us()
        ch.fire("CHANNEL_PROGRESS_MEDIA")


@application("ring_ready")
async def app_ring_ready(ch: Channel, arg: str) -> None:
    ch.profile.times.progress = ch.switch.now_us()
    ch.fire("CHANNEL_PROGRESS")


@application("playback")
async def app_playback(ch: Channel, arg: str) -> None:
    terminators = ch.vars.get("playback_terminators") or ""
    status, digit = await play_file(ch, arg, dtmf_break=bool(terminators) and terminators != "none")
    if digit is not None:  # the key that stopped the prompt (04-dtmf-and-break); the digit itself is consumed
        ch.vars.set("playback_terminator_used", digit)
    response = {"hangup": "PLAYBACK ERROR", "error": "PLAYBACK ERROR", "not_found": "FILE NOT FOUND"}.get(
        status, "FILE PLAYED")
    ch.vars.set("current_application_response", response)


@application("speak")
async def app_speak(ch: Channel, arg: str) -> None:
    """``speak engine|voice|text``: no PLAYBACK events, the text is recorded as heard. An engine that is not
    loaded plays nothing, and the application's response says nothing either (04-tts-missing)."""
    text = arg.split("|")[-1]
    if arg.split("|")[0] not in ch.switch.config.tts_engines:
        return
    ch.note("played", text=text, path=f"speak:{arg}", app="speak")
    await wait_media(ch, max(200, len(text) * ch.switch.config.tts_ms_per_char))


@application("say")
async def app_say(ch: Channel, arg: str) -> None:
    """``say <module> <type> <method> [gender] <text>`` (mod_say): recorded as heard text."""
    ch.note("played", text=arg, path=f"say:{arg}", app="say")
    await wait_media(ch, max(200, len(arg.split()[-1] if arg.split() else "") * 400))


_ESCAPES = {"n": "\n", "t": "\t", "s": " ", "'": "'", "\\": "\\"}


def separate_args(arg: str) -> list[str]:
    """Split an application argument on blanks as FreeSWITCH's switch_separate_string does for ' ':
    runs of spaces are one separator, a field in single quotes may hold spaces and the quotes are dropped,
    so an empty field cannot be passed by position. A backslash before n, t, s (space), a quote or a
    backslash is an escape; before anything else it stays (the recorded regexp \\d+ arrives intact)."""
    fields: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    started = False
    for char in arg:
        if escaped:
            current.append(_ESCAPES.get(char, "\\" + char))
            escaped = False
        elif char == "\\":
            escaped = started = True
        elif char == "'":
            quoted = not quoted
            started = True
        elif char == " " and not quoted:
            if started:
                fields.append("".join(current))
                current, started = [], False
        else:
            current.append(char)
            started = True
    if started:
        fields.append("".join(current))
    return fields


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@application("play_and_get_digits")
async def app_play_and_get_digits(ch: Channel, arg: str) -> None:
    """``min max tries timeout terminators file invalid_file var regexp digit_timeout transfer``.

    Arguments are separated as FreeSWITCH does (see separate_args): a prompt with spaces must be
    quoted, and optional arguments cannot be skipped with empty fields.
    """
    f = separate_args(arg)
    f += [""] * (11 - len(f))
    min_d, max_d = _int(f[0], 0), _int(f[1], 128)
    tries, timeout = max(1, _int(f[2], 1)), _int(f[3], 5000)
    terminators, prompt, invalid_file = f[4], f[5], f[6]
    var = f[7] or "pagd_input"
    regexp = " ".join(x for x in f[8:9] if x)
    digit_timeout = _int(f[9], timeout)
    transfer_on_failure = " ".join(x for x in f[10:] if x)
    v = ch.vars
    v.delete("read_result")
    for _attempt in range(tries):
        got = await collect_digits(
            ch, prompt, max_digits=max_d, first_timeout_ms=timeout,
            digit_timeout_ms=digit_timeout, terminators=terminators if terminators != "none" else "",
        )  # fmt: skip
        if got.hungup or not ch.is_up:
            return
        if got.prompt_failed:  # nothing collected, no read_result, no wait (04-tts-missing)
            pass
        elif got.timed_out and not got.digits:
            v.set("read_result", "failure")
        else:
            if got.terminator:
                v.set("read_terminator_used", got.terminator)
            # switch_ivr_read: a collect the digit timeout ended reads "timeout" even with enough digits
            # (04-dtmf-burst: "4" of at most 3, no terminator); fewer than the minimum is a "failure"
            if len(got.digits) < min_d:
                v.set("read_result", "failure")
            else:
                v.set("read_result", "timeout" if got.timed_out else "success")
            valid = min_d <= len(got.digits) <= max_d and (not regexp or re.search(regexp, got.digits))
            if valid:
                v.set(var, got.digits)
                ch.note("collected", var=var, digits=got.digits, result="success")
                return
            v.set(f"{var}_invalid", got.digits)
        if not got.prompt_failed:
            ch.note("collected", var=var, digits=got.digits, result="invalid" if got.digits else "timeout")
        if invalid_file and invalid_file != "silence_stream://0":
            status, _ = await play_file(ch, invalid_file)
            if status == "hangup":
                return
    if transfer_on_failure:
        ch.transfer_to = transfer_on_failure.split()[0]
        ch.parked = False
        ch.msg_signal.set()


@application("read")
async def app_read(ch: Channel, arg: str) -> None:
    """``read min max file var timeout terminators`` (read_result: success / timeout)."""
    f = separate_args(arg)
    f += [""] * (6 - len(f))
    got = await collect_digits(
        ch, f[2], max_digits=_int(f[1], 128), first_timeout_ms=_int(f[4], 5000),
        digit_timeout_ms=_int(f[4], 5000), terminators=f[5] or "#",
    )  # fmt: skip
    if got.hungup or not ch.is_up:
        return
    if got.terminator:
        ch.vars.set("read_terminator_used", got.terminator)
    ch.vars.set("read_result", "timeout" if got.timed_out and not got.digits else "success")
    if f[3]:
        ch.vars.set(f[3], got.digits)
    ch.note("collected", var=f[3], digits=got.digits, result="success" if got.digits else "timeout")


@application("set")
async def app_set(ch: Channel, arg: str) -> None:
    name, _, value = arg.partition("=")
    ch.vars.set(name.strip(), None if value == "_undef_" else value)
    ch.note("variable", name=name.strip(), value=value)


@application("multiset")
async def app_multiset(ch: Channel, arg: str) -> None:
    """``multiset name=value name2='value with blanks'``: several `set`s, fields split as FreeSWITCH does."""
    for field in separate_args(arg):
        await app_set(ch, field)


@application("export")
async def app_export(ch: Channel, arg: str) -> None:
    name, _, value = arg.partition("=")
    local = not name.startswith("nolocal:")
    name = name.removeprefix("nolocal:").strip()
    if local:
        ch.vars.set(name, value)
    names = [n for n in (ch.vars.get("export_vars") or "").split(",") if n]
    if name not in names:
        names.append(name)
    ch.vars.set("export_vars", ",".join(names))
    ch.note("variable", name=name, value=value, exported=True)


@application("unset")
async def app_unset(ch: Channel, arg: str) -> None:
    ch.vars.delete(arg.strip())


@application("sleep")
async def app_sleep(ch: Channel, arg: str) -> None:
    await wait_media(ch, _int(arg.strip(), 0))


@application("hangup")
async def app_hangup(ch: Channel, arg: str) -> None:
    ch.switch.hangup(ch, (arg.strip() or "NORMAL_CLEARING").upper())


@application("park")
async def app_park(ch: Channel, arg: str) -> None:
    await park_loop(ch)


@application("echo", "delay_echo")
async def app_echo(ch: Channel, arg: str) -> None:
    await ch.hungup.wait()


@application("log", "info", "event", "ring_ready_noop", "endless_playback_noop")
async def app_noop(ch: Channel, arg: str) -> None:
    return None


@application("transfer")
async def app_transfer(ch: Channel, arg: str) -> None:
    """``transfer <exten> [dialplan] [context]``: leave the current control, re-route the call."""
    exten = arg.split()[0] if arg.split() else ""
    ch.note("transfer", to=exten)
    ch.transfer_to = exten
    ch.parked = False
    ch.msg_signal.set()


@application("record")
async def app_record(ch: Channel, arg: str) -> None:
    """``record <path> [limit_secs]``: a simulated file of the recorded length (no audio)."""
    parts = arg.split()
    path = parts[0] if parts else ""
    limit_ms = _int(parts[1], 60) * 1000 if len(parts) > 1 else 60_000
    ch.fire("RECORD_START", post=[("Record-File-Path", path)])
    loop = asyncio.get_running_loop()
    started = loop.time()
    await wait_media(ch, limit_ms, dtmf_break=True)
    if ch.dtmf_pending:
        ch.dequeue_dtmf()
    ms = int((loop.time() - started) / max(ch.switch.config.time_scale, 1e-9) * 1000)
    ms = min(ms, limit_ms)
    ch.vars.set("record_ms", ms)
    ch.vars.set("record_seconds", ms // 1000)
    ch.vars.set("record_samples", ms * 8)
    ch.fire("RECORD_STOP", post=[("Record-File-Path", path)])
    ch.switch.files[path] = ms
    ch.note("recorded", path=path, ms=ms)


_DIALSTATUS = {"NO_ANSWER": "NOANSWER", "USER_BUSY": "BUSY", "CALL_REJECTED": "BUSY", "SUCCESS": "SUCCESS"}


async def _finish_leg(leg: Channel) -> None:
    """Hangup tail of a loopback leg we originated, after any bridge with it has ended."""
    await leg.hungup.wait()
    await leg.unbridged.wait()
    await leg.switch.finish(leg)


@application("bridge")
async def app_bridge(ch: Channel, arg: str) -> None:
    """Originate the dial string, bridge the first leg that answers, wait for either side to end."""
    sw = ch.switch
    global_vars, groups = parse_dial_string(arg)
    ch.set_callstate("RING_WAIT")
    winner: Channel | None = None
    causes: list[tuple[str, str]] = []
    seconds = (global_vars.get("leg_timeout") or global_vars.get("originate_timeout")
               or global_vars.get("call_timeout") or ch.vars.get("call_timeout"))
    timeout_ms = _int(seconds or "", 60) * 1000
    for group in groups:
        legs: list[Channel] = []
        for target in group:
            try:
                legs.append(create_leg(sw, target, originator=ch))
            except OriginateError as exc:
                causes.append((str(uuidlib.uuid4()), exc.cause))
        for leg in legs:
            if leg.name.startswith("loopback/"):
                sw.spawn(_finish_leg(leg))
        winner = await _first_answer(ch, legs, timeout_ms)
        for leg in legs:
            if leg is not winner and leg.is_up:
                sw.hangup(leg, "LOSE_RACE" if winner else ("ORIGINATOR_CANCEL" if not ch.is_up else "NO_ANSWER"))
            if leg is not winner:
                causes.append((leg.uuid, leg.hangup_cause or "NO_ANSWER"))
        if winner is not None or not ch.is_up:
            break
    v = ch.vars
    if winner is None:
        cause = causes[-1][1] if causes else "NO_ROUTE_DESTINATION"
        v.set("originate_disposition", cause)
        v.set("DIALSTATUS", _DIALSTATUS.get(cause, cause))
        v.set("originate_causes", "|".join(f"{u};{c}" for u, c in causes))
        v.set("originate_failed_cause", cause)
        if ch.is_up:
            ch.set_callstate("ACTIVE")
        ch.note("bridge_failed", target=arg, cause=cause)
        if ch.is_up and not _continues_on(v.get("continue_on_fail"), cause):
            sw.hangup(ch, cause)  # FreeSWITCH drops the caller with the leg's cause (04-defaults)
        return
    v.set("originated_legs", f"{winner.uuid};Outbound Call;default")
    v.set("originate_disposition", "SUCCESS")
    v.set("DIALSTATUS", "SUCCESS")
    v.set("originate_causes", f"{winner.uuid};NONE")
    v.set("signal_bond", winner.uuid)
    ch.set_other(winner, "originatee")
    ch.set_callstate("ACTIVE")
    ch.bridged_to, winner.bridged_to = winner, ch
    winner.unbridged.clear()
    ch.profile.times.bridged = winner.profile.times.bridged = sw.now_us()
    _mark_originatee(ch, winner)
    ids = [("Bridge-A-Unique-ID", ch.uuid), ("Bridge-B-Unique-ID", winner.uuid)]
    ch.fire("CHANNEL_BRIDGE", pre=ids)
    winner.set_state("CS_EXCHANGE_MEDIA")
    if winner.partner is not None:  # the far loopback half now sees our caller as its callee
        winner.partner.profile.callee_id_name = ch.profile.caller_id_name
        winner.partner.profile.callee_id_number = ch.profile.caller_id_number
    ch.note("bridge", target=arg, uuid=winner.uuid, name=winner.name)
    waits = [asyncio.ensure_future(ch.hungup.wait()), asyncio.ensure_future(winner.hungup.wait())]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for w in waits:
        w.cancel()
    cause = winner.hangup_cause or "NORMAL_CLEARING"
    for key, value in (
        ("last_bridge_to", winner.uuid), ("bridge_channel", winner.name), ("bridge_uuid", winner.uuid),
        ("signal_bond", winner.uuid), ("last_sent_callee_id_name", "Outbound Call"),
        ("last_sent_callee_id_number", "default"), ("last_bridge_hangup_cause", cause),
        ("bridge_hangup_cause", cause),
    ):  # fmt: skip
        v.set(key, value)
    ch.bridged_to = winner.bridged_to = None
    ch.unbridged_us = sw.now_us()  # a RECORD_BRIDGE_REQ recording ends here (recording.py)
    winner.vars.delete("bridge_to")
    winner.call_uuid = winner.uuid
    winner.vars.set("call_uuid", winner.uuid)
    ch.fire("CHANNEL_UNBRIDGE", pre=ids)
    winner.unbridged.set()
    ch.note("unbridge", uuid=winner.uuid, cause=cause)
    if winner.is_up:
        sw.hangup(winner, "NORMAL_CLEARING")
    if ch.is_up and (v.get("hangup_after_bridge") or "").lower() == "true":
        sw.hangup(ch, "NORMAL_CLEARING")  # the default (unset) keeps the caller (04-after-bridge, 04-defaults)


def _continues_on(setting: str | None, cause: str) -> bool:
    """continue_on_fail: "true", or a list of causes (names or Q.850 codes are both allowed; names here)."""
    value = (setting or "").strip()
    if value.lower() == "true":
        return True
    return cause in {c.strip().upper() for c in value.split(",") if c.strip()}


def _mark_originatee(ch: Channel, leg: Channel) -> None:
    """Variables the bridged-to leg carries while bridged (5000-a in 01)."""
    v = leg.vars
    for key, value in (
        ("call_uuid", ch.uuid), ("bridge_to", ch.uuid), ("last_bridge_to", ch.uuid),
        ("bridge_channel", ch.name), ("bridge_uuid", ch.uuid), ("signal_bond", ch.uuid),
        ("last_sent_callee_id_name", ch.profile.caller_id_name),
        ("last_sent_callee_id_number", ch.profile.caller_id_number), ("last_bridge_role", "originatee"),
    ):  # fmt: skip
        v.set(key, value)


async def _first_answer(ch: Channel, legs: list[Channel], timeout_ms: int) -> Channel | None:
    """Wait for the first leg to answer; None if all fail, the caller hangs up, or time runs out."""
    if not legs:
        return None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ch.switch.scaled(timeout_ms)
    while ch.is_up:
        for leg in legs:
            if leg.answer_state == "answered" and leg.is_up:
                return leg
        if all(not leg.is_up for leg in legs):
            return None
        remaining = deadline - loop.time()
        if remaining <= 0:
            return None
        waits = [asyncio.ensure_future(ch.hungup.wait())]
        for leg in legs:
            waits += [asyncio.ensure_future(leg.answered.wait()), asyncio.ensure_future(leg.hungup.wait())]
        await asyncio.wait(waits, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
    return None

