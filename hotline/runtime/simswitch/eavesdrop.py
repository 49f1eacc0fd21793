"""``eavesdrop <uuid>`` and ``three_way <uuid>`` in the simulator: a supervisor's channel joins a call.

From FreeSWITCH's source (switch_ivr_eavesdrop_session in src/switch_ivr_async.c, eavesdrop_function and
three_way_function in mod_dptools.c): the channel running eavesdrop hears the call of `<uuid>`. ED_MUX_READ mixes
its voice into what `<uuid>` reads (the other half of the call hears it: "speak_other"), ED_MUX_WRITE into what
`<uuid>` is sent (`<uuid>`'s own party hears it: "speak_uuid"). `eavesdrop_whisper_aleg=true` sets MUX_READ,
`eavesdrop_whisper_bleg=true` MUX_WRITE, both is a three way. With `eavesdrop_enable_dtmf=true` (ED_DTMF) each
digit the eavesdropper's channel receives (its phone, or `uuid_recv_dtmf`) switches: 1 MUX_READ only, 2 MUX_WRITE
only, 3 both, 0 neither, * leaves the eavesdrop; other digits do nothing. `three_way` is eavesdrop with both flags
and *without* ED_DTMF: its keys do nothing. It lasts until either call hangs up; a uuid that is not a live channel
ends it at once. No audio is simulated: each session is kept in `switch.eavesdrops` (what a test checks) with the
mode it ended in.
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
_FLAG_MODES = {(False, False): "listen", (True, False): "speak_other", (False, True): "speak_uuid",
               (True, True): "three_way"}


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
    else:
        mode = _FLAG_MODES[(_true(ch.vars.get("eavesdrop_whisper_aleg")), _true(ch.vars.get("eavesdrop_whisper_bleg")))]
    record: dict[str, Any] = {"uuid": ch.uuid, "target": target_uuid, "found": target is not None, "app": app,
                              "mode": mode, "modes": [mode], "active": target is not None}
    sessions(ch.switch).append(record)
    ch.note("eavesdrop", target=target_uuid, app=app, found=target is not None)
    if target is None:
        return
    dtmf = app == "eavesdrop" and _true(ch.vars.get("eavesdrop_enable_dtmf"))
    leaving = False
    while ch.is_up and target.is_up and not leaving:
        waits = [asyncio.ensure_future(ch.hungup.wait()), asyncio.ensure_future(target.hungup.wait()),
                 asyncio.ensure_future(ch.dtmf_signal.wait())]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
        while ch.dtmf_pending:
            digit = ch.dequeue_dtmf()
            if dtmf and digit == "*":
                leaving = True
                break
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
