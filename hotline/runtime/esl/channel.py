"""The flow engine's Channel over one FreeSWITCH outbound-socket session (outbound.py).

Each operation is one dialplan application sent with `sendmsg` in `async full` mode, with
`event-lock: true` so queued applications run one after another instead of nesting (fixture 02c), and
awaited through its CHANNEL_EXECUTE_COMPLETE matched by Application-UUID; every wait also ends when the
caller hangs up or the connection closes.
play_and_get_digits reports only through variables on that completion event: digits in
`variable_<var>`, an invalid entry in `variable_<var>_invalid`, `read_result` failure on timeout.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ..flow.channel import BridgeResult, CallerHungUp, Recording, RenderedPrompt
from .outbound import Headers, OutboundSession, SessionGone

DIGITS_VAR = "hl_digits"
#: TTS through FreeSWITCH's `say:` file prefix, which reads tts_engine / tts_voice of the channel.
TTS_ENGINE, TTS_VOICE = "tts_commandline", "zh"


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
    """Channel implementation for one call over an OutboundSession (outbound.py)."""

    def __init__(self, session: OutboundSession, *, gateway: str = "sofia/gateway/pstn", stats: Any = None) -> None:
        self.session = session
        self.stats = stats
        self.gateway = gateway
        self._last_event_at: float | None = None
        self._collects = 0

    @property
    def gone(self) -> bool:
        return self.session.hungup.is_set()

    @property
    def hangup_event(self) -> asyncio.Event:
        """Set once the caller hung up or the connection was lost (the ACD takes a waiting call out)."""
        return self.session.hungup

    @property
    def uuid(self) -> str:
        return self.session.uuid

    async def _execute(self, app: str, arg: str = "", *, timeout: float | None = None) -> Headers:
        if self.stats is not None and self._last_event_at is not None:
            self.stats.decision(time.perf_counter() - self._last_event_at)
        try:
            event = await self.session.execute(app, arg, timeout=timeout)
        except SessionGone as exc:
            raise CallerHungUp(app) from exc
        self._last_event_at = time.perf_counter()
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

        def bridged(_event: Headers) -> None:
            nonlocal task
            if on_answered is not None and task is None:
                task = asyncio.get_running_loop().create_task(on_answered())

        self.session.on("CHANNEL_BRIDGE", bridged)
        try:
            event = await self._execute("bridge", f"{{originate_timeout={timeout_seconds}}}{endpoint}")
        finally:
            self.session.off("CHANNEL_BRIDGE", bridged)
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
        if not self.gone:
            await self.session.hangup(cause)


def _bridge_result(event: Any) -> BridgeResult:
    answered = event.get("variable_originate_disposition") == "SUCCESS"
    cause = (event.get("variable_bridge_hangup_cause") if answered else None) or \
        event.get("variable_originate_disposition") or "NORMAL_CLEARING"
    return BridgeResult(answered=answered, cause=cause)
