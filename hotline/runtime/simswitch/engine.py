"""Running applications on a channel: execute, media waits, queued messages, event-lock, park.

Semantics reproduced from the transcripts:

* ``sendmsg`` messages are queued on the channel.  In async mode the park loop runs them one
  at a time (02 shows queued commands run in order).
* A running media application (playback, play_and_get_digits, sleep ...) that was *not* started
  with ``event-lock: true`` runs the next queued message *nested* inside itself: the nested
  app runs to completion first and the outer one resumes (02c, and 02b for ``async: true``).
  With ``event-lock: true`` the queue waits until the application has finished.
* Every execution fires CHANNEL_EXECUTE / CHANNEL_EXECUTE_COMPLETE with ``Application-UUID``
  (the ``Event-UUID`` the client sent, or a fresh one) and manipulates the
  ``current_application*`` / ``current_loop`` variables in the recorded order.
* An unknown application is accepted with ``+OK`` and hangs the call up with
  DESTINATION_OUT_OF_ORDER without CHANNEL_EXECUTE (03).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid as uuidlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .events import private_command_headers

if TYPE_CHECKING:
    from .channel import Channel
    from .wire import Command

__all__ = ["APPLICATIONS", "execute", "park_loop", "process_message", "wait_media"]

AppImpl = Callable[["Channel", str], Awaitable[None]]

#: name -> implementation; filled by :mod:`.apps` (import-time registration).
APPLICATIONS: dict[str, AppImpl] = {}
#: name -> the module that provides it, for applications outside FreeSWITCH's own tree (mod_amd): the switch
#: knows them only where that module is loaded; elsewhere they are unknown applications and end the call.
MODULE_OF: dict[str, str] = {}


def application(*names: str, module: str | None = None) -> Callable[[AppImpl], AppImpl]:
    """Register a dialplan application implementation under one or more names (`module`: loaded only
    where the switch's configuration loads that module)."""

    def deco(fn: AppImpl) -> AppImpl:
        for name in names:
            APPLICATIONS[name] = fn
            if module is not None:
                MODULE_OF[name] = module
        return fn

    return deco


async def execute(
    ch: Channel,
    app: str,
    arg: str = "",
    app_uuid: str | None = None,
    *,
    loops: int | None = None,
    lock: bool = False,
) -> bool:
    """switch_core_session_execute_application: returns False if the application is unknown.

    ``loops`` is given for ``sendmsg`` executions only (they set ``current_loop`` /
    ``total_loops``; dialplan executions do not, as the 5000-b leg in 01 shows).
    """
    impl = APPLICATIONS.get(app)
    if app in MODULE_OF and MODULE_OF[app] not in ch.switch.config.modules():
        impl = None  # "Invalid Application amd": the real switch hangs up DESTINATION_OUT_OF_ORDER
    v = ch.vars
    if impl is None:
        if app_uuid:
            v.set("app_uuid", app_uuid)
        if loops is not None:
            v.set("current_loop", 1)
            v.set("total_loops", loops)
        ch.switch.hangup(ch, "DESTINATION_OUT_OF_ORDER", requested=False)
        v.delete("current_loop")
        v.delete("total_loops")
        ch.note("unknown_application", app=app, arg=arg)
        return False
    app_uuid = app_uuid or str(uuidlib.uuid4())
    if lock:
        ch.event_lock_depth += 1
    try:
        for n in range(loops or 1):
            if not ch.is_up and app not in ("hangup",):
                break
            v.delete("current_application_response")
            if loops is not None:
                v.set("current_loop", n + 1)
                v.set("total_loops", loops)
            v.set("current_application", app)
            v.set("current_application_data", arg)
            data = [("Application-Data", arg)] if arg else []
            ch.fire("CHANNEL_EXECUTE", post=[("Application", app), *data, ("Application-UUID", app_uuid)])
            v.set("current_application", app)
            ch.last_app = (app, arg)
            if ch.controlled:
                ch.note("execute", app=app, arg=arg, uuid=app_uuid)
            try:
                await impl(ch, arg)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # an app bug must not kill the call silently
                ch.note("error", app=app, error=repr(exc))
                v.set("current_application_response", f"-ERR {exc}")
            response = v.get("current_application_response") or "_none_"
            ch.fire(
                "CHANNEL_EXECUTE_COMPLETE",
                post=[
                    ("Application", app),
                    *data,
                    ("Application-Response", response),
                    ("Application-UUID", app_uuid),
                ],
            )
    finally:
        if lock:
            ch.event_lock_depth -= 1
        if loops is not None:
            v.delete("current_loop")
            v.delete("total_loops")
    return True


def _nesting_allowed(ch: Channel) -> bool:
    return ch.event_lock_depth == 0


async def _wait_any(ch: Channel, timeout: float, *, dtmf: bool, messages: bool, breaks: bool = True) -> None:
    """Sleep up to ``timeout`` seconds or until hangup / DTMF / a queued message (/ a uuid_break with `breaks`)."""
    waits: list[asyncio.Future[object]] = [asyncio.ensure_future(ch.hungup.wait())]
    if breaks:
        waits.append(asyncio.ensure_future(ch.break_signal.wait()))
    if dtmf:
        waits.append(asyncio.ensure_future(ch.dtmf_signal.wait()))
    if messages:
        waits.append(asyncio.ensure_future(ch.msg_signal.wait()))
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
        for w in waits:
            with contextlib.suppress(asyncio.CancelledError):
                await w


async def wait_media(ch: Channel, ms: float, *, dtmf_break: bool = False) -> str:
    """Let ``ms`` simulated milliseconds of media pass.

    Returns ``"done"``, ``"dtmf"`` (a digit is pending and ``dtmf_break``) or ``"hangup"``.
    Queued messages run nested meanwhile unless an event-locked application is running; the
    time they take does not count against ``ms`` (the outer media is paused, as in 02c).
    """
    loop = asyncio.get_running_loop()
    remaining = ch.switch.scaled(ms)
    ch.break_signal.clear()
    while True:
        if not ch.is_up:
            return "hangup"
        if ch.break_signal.is_set():
            ch.break_signal.clear()
            return "done"  # uuid_break: the playback ends as played
        if dtmf_break and ch.dtmf_pending:
            return "dtmf"
        if ch.messages and _nesting_allowed(ch):
            await process_message(ch, ch.messages.popleft(), nested=True)
            continue
        if remaining <= 0:
            return "done"
        started = loop.time()
        await _wait_any(ch, remaining, dtmf=dtmf_break, messages=_nesting_allowed(ch))
        remaining -= loop.time() - started
        if not ch.messages:
            ch.msg_signal.clear()


def queue_message(ch: Channel, cmd: Command) -> None:
    ch.messages.append(cmd)
    ch.msg_signal.set()


async def process_message(ch: Channel, cmd: Command, *, nested: bool = False, quiet: bool = False) -> None:
    """Run one ``sendmsg`` message (execute / hangup / unicast ...) on the channel."""
    call = (cmd.get("call-command") or "").lower()
    if call == "execute":
        app = cmd.get("execute-app-name") or ""
        arg = cmd.get("execute-app-arg") or (cmd.body.decode("utf-8") if cmd.body else "")
        try:
            loops = max(1, int(cmd.get("loops") or 1))
        except ValueError:
            loops = 1
        lock = (cmd.get("event-lock") or cmd.get("event_lock") or "").lower() == "true"
        await execute(ch, app, arg, cmd.get("Event-UUID"), loops=loops, lock=lock)
    elif call == "hangup":
        ch.switch.hangup(ch, (cmd.get("hangup-cause") or "NORMAL_CLEARING").upper())
    elif call == "nomedia" or call == "unicast" or call == "xferext":
        ch.note("note", text=f"ignored call-command {call}")
    if not quiet:
        ch.fire("PRIVATE_COMMAND", head=private_command_headers(cmd.line, cmd.headers))


async def park_loop(ch: Channel) -> None:
    """switch_ivr_park: CHANNEL_PARK, run queued messages until hangup (or unpark), CHANNEL_UNPARK.

    Messages queued before the park started run without a PRIVATE_COMMAND event: the recorded
    ``answer`` (sent before CHANNEL_PARK) has none while every later message has one.

    As in switch_ivr_park, each turn reads a media frame (``config.frame_ms`` of wall time; 0: until a
    message or a key comes), runs every queued message (switch_ivr_parse_all_events), then takes one
    pending key from the queue and drops it (its DTMF event fires): keys that reach a channel between
    applications are lost to them, one per frame (fixture 04-dtmf-burst, QA 12.4).
    """
    ch.parked = True
    early = len(ch.messages)
    ch.fire("CHANNEL_PARK")
    frame_ms = ch.switch.config.frame_ms
    try:
        while ch.is_up and ch.parked:
            while ch.messages and ch.is_up and ch.parked:
                quiet = early > 0
                early = max(0, early - 1)
                await process_message(ch, ch.messages.popleft(), quiet=quiet)
            if not (ch.is_up and ch.parked):
                break
            if ch.dtmf_pending:
                ch.dequeue_dtmf()
            ch.msg_signal.clear()
            if frame_ms > 0:
                await _wait_any(ch, frame_ms / 1000, dtmf=False, messages=False, breaks=False)
            elif not ch.messages and not ch.dtmf_pending:
                await _wait_any(ch, 3600.0, dtmf=True, messages=True, breaks=False)
    finally:
        ch.parked = False
        ch.fire("CHANNEL_UNPARK")
