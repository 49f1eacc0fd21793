"""The flow engine's Channel over one FreeSWITCH outbound-socket session (genesis).

Each operation is one dialplan application sent with `sendmsg` in `async full` mode, with
`event-lock: true` so queued applications run one after another instead of nesting (fixture 02c), and
awaited through its CHANNEL_EXECUTE_COMPLETE matched by Application-UUID (genesis does the matching).
play_and_get_digits reports only through variables on that completion event: digits in
`variable_<var>`, an invalid entry in `variable_<var>_invalid`, `read_result` failure on timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from genesis.exceptions import CommandStage, ConnectionLost, SessionGoneAway

from .flow.channel import BridgeResult, CallerHungUp, Recording, RenderedPrompt

DIGITS_VAR = "hl_digits"
#: TTS through FreeSWITCH's `say:` file prefix, which reads tts_engine / tts_voice of the channel.
TTS_ENGINE, TTS_VOICE = "tts_commandline", "zh"
_GONE = (SessionGoneAway, ConnectionLost, ConnectionResetError, BrokenPipeError)


def quote_arg(value: str) -> str:
    """One field of a space-separated application argument: FreeSWITCH splits those on blanks unless the
    field is in single quotes (switch_separate_string); a quote inside is dropped, never sent."""
    value = value.replace("'", "’")
    return f"'{value}'" if (" " in value or not value) else value


def prompt_file(prompt: RenderedPrompt | None) -> str:
    if prompt is None:
        return "silence_stream://250"
    if prompt.file:
        return prompt.file
    return "say:" + " ".join(prompt.text.split())


class EslChannel:
    """Channel implementation for one call; `session` is a genesis outbound Session."""

    def __init__(self, session: Any, *, gateway: str = "sofia/gateway/pstn", stats: Any = None) -> None:
        self.session = session
        self.stats = stats
        self._last_event_at: float | None = None
        self.gateway = gateway
        self.gone = False
        self._collects = 0
        # FreeSWITCH still answers +OK to a sendmsg after the caller hung up (linger) but never runs it,
        # so a blocking execute would wait forever for its completion: every execute also races the
        # channel's hangup.
        self._hungup = asyncio.Event()
        # Handlers are coroutine functions: genesis runs a plain function in a worker thread, where
        # neither an asyncio.Event nor the loop may be touched.
        session.on("CHANNEL_HANGUP", self._on_hangup)
        # A closed socket (FreeSWITCH restarted, network cut) ends the call as a hangup does, also while
        # no command is outstanding (the call waits in a queue).
        self._watch = asyncio.ensure_future(self._watch_connection()) if hasattr(session, "wait_lost") else None

    async def _on_hangup(self, _event: Any) -> None:
        self._hungup.set()

    async def _watch_connection(self) -> None:
        with contextlib.suppress(Exception):
            await self.session.wait_lost(CommandStage.ACCEPTED)
        self._hungup.set()

    @property
    def hangup_event(self) -> asyncio.Event:
        """Set once the caller hung up or the connection was lost (the ACD takes a waiting call out)."""
        return self._hungup

    @property
    def uuid(self) -> str:
        return self.session.uuid or ""

    async def _execute(self, app: str, arg: str = "", *, timeout: float | None = None) -> Any:
        if self.gone or self._hungup.is_set():
            self.gone = True
            raise CallerHungUp(app)
        if self.stats is not None and self._last_event_at is not None:
            self.stats.decision(time.perf_counter() - self._last_event_at)
        send = asyncio.ensure_future(
            self.session.sendmsg("execute", app, arg or None, lock=True, block=True, timeout=timeout))
        hangup = asyncio.ensure_future(self._hungup.wait())
        try:
            await asyncio.wait((send, hangup), return_when=asyncio.FIRST_COMPLETED)
        finally:
            hangup.cancel()
        if not send.done():
            send.cancel()
            with contextlib.suppress(asyncio.CancelledError, *_GONE):
                await send
            self.gone = True
            raise CallerHungUp(app)
        try:
            event = send.result()
        except _GONE as exc:
            self.gone = True
            raise CallerHungUp(app) from exc
        self._last_event_at = time.perf_counter()
        if event.get("Event-Name") == "CHANNEL_HANGUP" or event.get("Channel-State") == "CS_HANGUP":
            self.gone = True
            raise CallerHungUp(app)
        return event

    def waited(self) -> None:
        """The call waited on something other than the engine (a queue): not part of a decision."""
        self._last_event_at = None

    async def start(self) -> None:
        """Per-call settings FreeSWITCH needs before the first prompt."""
        await self._execute("set", f"tts_engine={TTS_ENGINE}")
        await self._execute("set", f"tts_voice={TTS_VOICE}")

    async def answer(self) -> None:
        await self._execute("answer")

    async def play(self, prompt: RenderedPrompt) -> None:
        if prompt.file:
            await self._execute("playback", prompt.file)
        else:
            await self._execute("speak", f"{TTS_ENGINE}|{TTS_VOICE}|{prompt.text}")

    async def collect(self, prompt: RenderedPrompt | None, *, min_digits: int, max_digits: int, terminator: str,
                      timeout_seconds: int, pattern: str | None = None) -> str | None:
        # Any digits come back (the engine tells invalid from timeout), so the regexp given to
        # FreeSWITCH accepts every entry and digits never land only in <var>_invalid. A fresh variable
        # per collect: on a timeout FreeSWITCH leaves the variable alone, so a reused name would still
        # hold the previous answer.
        self._collects += 1
        var = f"{DIGITS_VAR}_{self._collects}"
        args = [str(min_digits), str(max_digits), "1", str(timeout_seconds * 1000), terminator or "none",
                quote_arg(prompt_file(prompt)), "silence_stream://0", var, "[0-9*#]*", "3000"]
        event = await self._execute("play_and_get_digits", " ".join(args))
        digits = event.get(f"variable_{var}") or event.get(f"variable_{var}_invalid")
        if digits:
            return digits
        return None

    async def bridge(self, endpoint: str, *, timeout_seconds: int = 30,
                     on_answered: Callable[[], Awaitable[None]] | None = None) -> BridgeResult:
        """Bridges to an agent endpoint; `on_answered` runs as soon as the agent picks up (CHANNEL_BRIDGE)."""
        task: asyncio.Task[None] | None = None

        async def bridged(_event: Any) -> None:
            nonlocal task
            if on_answered is not None and task is None:
                task = asyncio.get_running_loop().create_task(on_answered())

        self.session.on("CHANNEL_BRIDGE", bridged)
        try:
            event = await self._execute("bridge", f"{{originate_timeout={timeout_seconds}}}{endpoint}")
        finally:
            self.session.remove("CHANNEL_BRIDGE", bridged)
            if task is not None:
                await task
        return _bridge_result(event)

    async def transfer(self, number: str, *, timeout_seconds: int = 30) -> BridgeResult:
        if not re.fullmatch(r"\+?[0-9]{3,20}", number):
            raise ValueError(f"not a dialable number: {number!r}")
        event = await self._execute("bridge", f"{{originate_timeout={timeout_seconds}}}{self.gateway}/{number}")
        return _bridge_result(event)

    async def record(self, *, max_seconds: int, beep: bool = True) -> Recording | None:
        path = f"/var/lib/hotline/recordings/{self.uuid}.wav"
        if beep:
            await self._execute("playback", "tone_stream://%(500,0,800)")
        event = await self._execute("record", f"{path} {max_seconds} 200 3")
        ms = int(event.get("variable_record_ms") or 0)
        if ms <= 0 and event.get("variable_record_seconds") in (None, "0"):
            return None
        return Recording(path=path, seconds=ms / 1000 if ms else float(event.get("variable_record_seconds") or 0))

    async def set_variable(self, name: str, value: str) -> None:
        await self._execute("set", f"{name}={value}")

    async def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        if self.gone:
            return
        with contextlib.suppress(*_GONE):
            await self.session.sendmsg("hangup", "hangup", cause, lock=True)
        self.gone = True


def _bridge_result(event: Any) -> BridgeResult:
    answered = event.get("variable_originate_disposition") == "SUCCESS"
    cause = (event.get("variable_bridge_hangup_cause") if answered else None) or \
        event.get("variable_originate_disposition") or "NORMAL_CLEARING"
    return BridgeResult(answered=answered, cause=cause)
