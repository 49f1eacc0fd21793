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
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ...platform.prompt_tts import spoken_text
from ..flow.channel import BridgeResult, CallerHungUp, PromptFailed, Recording, RenderedPrompt
from .outbound import Headers, OutboundSession, SessionGone
from .switch_profile import CALL_VARIABLES, SwitchProfile

log = logging.getLogger("hotline.runtime.call")
DIGITS_VAR = "hl_digits"
#: The per-leg variable naming the agent an originate leg rings (ring-all: which agent answered).
AGENT_VAR = "hotline_agent"
#: playback's result for a prompt the switch could not play (fixture 04-tts-missing).
PLAYBACK_FAILED = frozenset({"FILE NOT FOUND", "PLAYBACK ERROR"})
#: Bridge failures that are the switch's or the network's, not an agent's choice: logged as warnings.
SWITCH_FAILURES = frozenset({"USER_BUSY", "DESTINATION_OUT_OF_ORDER", "INVALID_GATEWAY", "SUBSCRIBER_ABSENT",
                             "USER_NOT_REGISTERED", "NO_ROUTE_DESTINATION", "NETWORK_OUT_OF_ORDER",
                             "GATEWAY_DOWN", "CHAN_NOT_IMPLEMENTED", "NORMAL_TEMPORARY_FAILURE"})
#: How long stop_hold waits for the hold music to end after each uuid_break, and in all.
BREAK_RETRY_SECONDS = 0.04  # two media frames
HOLD_STOP_SECONDS = 5.0
#: A short silence where play_and_get_digits needs a file (silence_stream://0 logs a warning per call).
SILENCE = "silence_stream://250"


class EslChannel:
    """Channel implementation for one call over an OutboundSession (outbound.py)."""

    def __init__(self, session: OutboundSession, *, switch: SwitchProfile | None = None, stats: Any = None) -> None:
        self.session = session
        self.stats = stats
        self.switch = switch or SwitchProfile()
        self._last_event_at: float | None = None
        self._collects = 0
        #: Keys pressed outside a collect (during a prompt, or between applications), for the next collect.
        self._typeahead = ""
        #: True while play_and_get_digits runs: the keys it reads are its answer, not type-ahead.
        self._collecting = False
        session.on("DTMF", self._key)
        self._hold: asyncio.Future[Headers] | None = None
        #: Seconds agents rang (every bridge, answered or not) and talked, for the call record.
        self.ring_seconds = 0.0
        self.talk_seconds = 0.0
        #: Static prompt texts rendered to files for this call's route (Route.rendered).
        self.rendered: dict[str, str] = {}

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
        """Per-call settings FreeSWITCH needs before the first prompt (the dialplan only runs `socket`)."""
        variables = [*CALL_VARIABLES]
        if self.switch.live_tts:
            variables += [("tts_engine", self.switch.tts_engine), ("tts_voice", self.switch.tts_voice)]
        # QA 12 #5: with ignore_early_media the agent's ring-back never reaches the caller, who heard 20 s of dead
        # air while agents rang; FreeSWITCH plays `ringback` (caller not answered) or `transfer_ringback` (answered,
        # our IVR case) to the a-leg during a bridge's originate: the hold music stands in for the ring tone.
        if self.switch.hold_music:
            variables += [("ringback", self.switch.hold_music), ("transfer_ringback", self.switch.hold_music)]
        # one `multiset` instead of one round trip per variable (it splits on spaces: a value with one goes alone)
        await self._execute("multiset", " ".join(f"{name}={value}" for name, value in variables
                                                 if not any(c.isspace() for c in value)))
        for name, value in variables:
            if any(c.isspace() for c in value):
                await self._execute("set", f"{name}={value}")

    async def answer(self) -> None:
        await self._execute("answer")

    async def play(self, prompt: RenderedPrompt) -> None:
        await self._playback(prompt)

    async def _playback(self, prompt: RenderedPrompt) -> None:
        """`playback` of the prompt's file, or of `say:<text>` (live TTS through the channel's tts_engine).

        Never `speak`: with its engine missing it plays nothing and its result says nothing, where
        `playback` answers FILE NOT FOUND / PLAYBACK ERROR (fixture 04-tts-missing). A key that stops the
        prompt (playback_terminators=any) is kept as type-ahead for the next collect.
        """
        keys_before = len(self._typeahead)
        event = await self._execute("playback", self._source(prompt))
        response = event.get("Application-Response") or event.get("variable_current_application_response")
        if response in PLAYBACK_FAILED:
            if self.gone or event.get("Answer-State") == "hangup":  # cut short by the caller hanging up
                raise CallerHungUp("playback")
            raise PromptFailed(f"the switch could not play {prompt.name or prompt.text[:40]!r}: {response}")
        digit = event.get("variable_playback_terminator_used")
        if digit:
            if len(self._typeahead) == keys_before:  # no DTMF event came (a session not subscribed to them)
                self._typeahead += digit
            # FreeSWITCH keeps the variable; cleared so the next prompt's completion does not repeat it
            await self._execute("unset", "playback_terminator_used")

    def _key(self, event: Headers) -> None:
        """A DTMF event: a key the channel took from its queue (switch_channel_dequeue_dtmf fires it).

        Type-ahead is every key not read by a collect (QA 12.4, fixture 04-dtmf-burst): a key stops a prompt
        (playback_terminators=any), and the keys after it reach the channel while it sits in the outbound socket's
        park loop between applications, which dequeues and drops them - only their DTMF events tell. A burst of
        four keys during a prompt lost the last three before a collect could read them.
        """
        if self._collecting:
            return
        digit = event.get("DTMF-Digit")
        digit = digit[0] if isinstance(digit, list) else digit
        if digit and digit in "0123456789*#":
            self._typeahead += digit

    def forget_keys(self) -> None:
        """Keys pressed during a conversation or a recording were for the agent or the message, not the IVR."""
        self._typeahead = ""

    def _source(self, prompt: RenderedPrompt) -> str:
        if prompt.file:
            return prompt.file
        rendered = self.rendered.get(" ".join(prompt.text.split()))
        if rendered:
            return rendered
        if not self.switch.live_tts:
            raise PromptFailed(f"prompt {prompt.name or prompt.text[:40]!r} has no audio and live TTS is off")
        return "say:" + spoken_text(prompt.text)

    async def start_hold(self) -> None:
        """Hold music ([switch] hold_music) under a queued caller until stop_hold: no dead air while waiting."""
        if self._hold is None and not self.gone:
            self._hold = asyncio.ensure_future(self._execute("playback", self.switch.hold_music))

    async def stop_hold(self) -> None:
        """Ends the hold music at once (uuid_break) - before an announcement, or the moment an agent is
        claimed - and waits until the switch says it stopped, so the next application is not queued behind
        an endless stream (fixture 04-dtmf-and-break).

        `uuid_break` without `all`, and again until the playback ends (QA 12.3, ~5 s of dead air before a free
        agent was bridged): when an agent is free the hold music is stopped a moment after it was sent, before
        the switch started it. `uuid_break ... all` then flushed the queued playback (mod_commands flushes the
        channel's private events), so it never ran, never completed, and the runtime waited its 5 s limit in
        silence; a plain break sent that early is cleared when the playback starts (switch_core_session_exec
        clears CF_BREAK), so a second break, two media frames later, stops it.
        """
        hold, self._hold = self._hold, None
        if hold is None:
            return
        loop = asyncio.get_running_loop()
        give_up = loop.time() + HOLD_STOP_SECONDS
        while not hold.done() and not self.gone and loop.time() < give_up:
            with contextlib.suppress(SessionGone, ConnectionError):
                await self.session.command(f"api uuid_break {self.uuid}")
            with contextlib.suppress(CallerHungUp, SessionGone, ConnectionError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(hold), BREAK_RETRY_SECONDS)
        if not hold.done() and not self.gone:
            log.warning("call %s: the hold music did not stop within %.0f s of uuid_break", self.uuid,
                        HOLD_STOP_SECONDS)
        if not hold.done():
            hold.cancel()
            return
        with contextlib.suppress(CallerHungUp, SessionGone, ConnectionError, asyncio.CancelledError):
            hold.result()  # retrieved, so a hang-up during the music is not logged as never retrieved

    async def collect(self, prompt: RenderedPrompt | None, *, min_digits: int, max_digits: int, terminator: str,
                      timeout_seconds: int, pattern: str | None = None) -> str | None:
        # The prompt is played on its own (its failure is visible, a key stops it and is kept), then
        # play_and_get_digits waits for the rest: FreeSWITCH's play_and_get_digits gives no sign of a
        # prompt it failed to play and returns at once (three menu tries in 0.1 s, issue 12).
        # Digits typed ahead (during an earlier prompt) count first.
        if prompt is not None and not self._typeahead:
            await self._playback(prompt)
        digits, self._typeahead = self._typeahead, ""
        if terminator and terminator in digits:
            answer, _, self._typeahead = digits.partition(terminator)  # keys after it go on to the next collect
            return answer or None
        if len(digits) >= max_digits:
            digits, self._typeahead = digits[:max_digits], digits[max_digits:]
            return digits
        # Any digits come back (the engine tells invalid from timeout), so the regexp given to
        # FreeSWITCH accepts every entry and digits never land only in <var>_invalid. A fresh variable
        # per collect: on a timeout FreeSWITCH leaves the variable alone, so a reused name would still
        # hold the previous answer.
        self._collects += 1
        var = f"{DIGITS_VAR}_{self._collects}"
        args = [str(max(1, min_digits - len(digits))), str(max_digits - len(digits)), "1",
                str(timeout_seconds * 1000), terminator or "none", SILENCE, SILENCE, var, "[0-9*#]*", "3000"]
        self._collecting = True
        try:
            event = await self._execute("play_and_get_digits", " ".join(args))
        finally:
            self._collecting = False
        more = event.get(f"variable_{var}") or event.get(f"variable_{var}_invalid") or ""
        return (digits + more) or None

    async def bridge(self, endpoint: str, *, timeout_seconds: int = 30,
                     on_answered: Callable[[], Awaitable[None]] | None = None) -> BridgeResult:
        """Bridges to an agent endpoint; `on_answered` runs as soon as the agent picks up (CHANNEL_BRIDGE)."""
        task: asyncio.Task[None] | None = None

        started = time.monotonic()
        answered_at: float | None = None

        def bridged(_event: Headers) -> None:
            nonlocal task, answered_at
            answered_at = time.monotonic()
            if on_answered is not None and task is None:
                task = asyncio.get_running_loop().create_task(on_answered())

        self.session.on("CHANNEL_BRIDGE", bridged)
        try:
            event = await self._execute("bridge", f"{{originate_timeout={timeout_seconds}}}{endpoint}")
        finally:
            self.session.off("CHANNEL_BRIDGE", bridged)
            if answered_at is not None:
                self.forget_keys()
            ended = time.monotonic()
            self.ring_seconds += (answered_at or ended) - started
            if answered_at is not None:
                self.talk_seconds += ended - answered_at
            if task is not None:
                await task
        result = _bridge_result(event)
        if not result.answered and result.cause in SWITCH_FAILURES:
            log.warning("call %s: the switch could not reach %s: %s", self.uuid, endpoint, result.cause)
        return result

    async def transfer(self, number: str, *, timeout_seconds: int = 30) -> BridgeResult:
        endpoint = self.switch.transfer_endpoint(number)  # refuses anything but digits
        event = await self._execute("bridge", f"{{originate_timeout={timeout_seconds}}}{endpoint}")
        return _bridge_result(event)

    async def record(self, *, max_seconds: int, beep: bool = True) -> Recording | None:
        path = self.switch.recording_path(self.uuid)
        if beep:
            await self._execute("playback", "tone_stream://%(500,0,800)")
        event = await self._execute("record", f"{path} {max_seconds} 200 3")
        self.forget_keys()
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
