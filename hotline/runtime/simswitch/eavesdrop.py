"""``eavesdrop <uuid>`` and ``three_way <uuid>`` in the simulator: a supervisor's channel joins a call.

From FreeSWITCH's mod_dptools documentation (developer.signalwire.com, "mod_dptools: eavesdrop" and
"three_way"): the channel running eavesdrop hears the call of `<uuid>`; with `eavesdrop_enable_dtmf=true` its
keys switch modes — 2 speak with the uuid, 1 speak with the other half, 3 three way, 0 back to listening;
`eavesdrop_whisper_aleg` / `eavesdrop_whisper_bleg` start it whispering to that leg. `three_way` is
eavesdrop joined to both sides (barge). It lasts until either call hangs up; a uuid that is not a live
channel ends it at once. No audio is simulated: each session is kept in `switch.eavesdrops` (what a test
checks) with the mode it ended in.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from .engine import application

if TYPE_CHECKING:
    from .channel import Channel

__all__: list[str] = []

_DTMF_MODES = {"2": "speak_uuid", "1": "speak_other", "3": "three_way", "0": "listen"}


def sessions(switch: Any) -> list[dict[str, Any]]:
    found = getattr(switch, "eavesdrops", None)
    if found is None:
        found = []
        switch.eavesdrops = found
    return found


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


async def _join(ch: Channel, arg: str, app: str) -> None:
    target_uuid = arg.strip()
    target = ch.switch.locate(target_uuid)
    if app == "three_way":
        mode = "three_way"
    elif _true(ch.vars.get("eavesdrop_whisper_aleg")):
        mode = "speak_uuid"
    elif _true(ch.vars.get("eavesdrop_whisper_bleg")):
        mode = "speak_other"
    else:
        mode = "listen"
    record: dict[str, Any] = {"uuid": ch.uuid, "target": target_uuid, "found": target is not None, "app": app,
                              "mode": mode, "modes": [mode], "active": target is not None}
    sessions(ch.switch).append(record)
    ch.note("eavesdrop", target=target_uuid, app=app, found=target is not None)
    if target is None:
        return
    dtmf = _true(ch.vars.get("eavesdrop_enable_dtmf"))
    while ch.is_up and target.is_up:
        waits = [asyncio.ensure_future(ch.hungup.wait()), asyncio.ensure_future(target.hungup.wait()),
                 asyncio.ensure_future(ch.dtmf_signal.wait())]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
        while ch.dtmf_pending:
            digit = ch.dequeue_dtmf()
            if dtmf and digit in _DTMF_MODES:
                record["mode"] = _DTMF_MODES[digit]
                record["modes"].append(record["mode"])
    record["active"] = False


@application("eavesdrop")
async def app_eavesdrop(ch: Channel, arg: str) -> None:
    await _join(ch, arg, "eavesdrop")


@application("three_way")
async def app_three_way(ch: Channel, arg: str) -> None:
    await _join(ch, arg, "three_way")
