"""A scripted caller for flow tests: what the caller presses at each collect, what the caller heard.

The channel is a fake at the protocol boundary (STYLE.md habit 6): FreeSWITCH cannot run here, and the
flow engine only ever sees the Channel protocol, which this implements the way the ESL adapter will.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from hotline.platform.kinds.validation import validator
from hotline.runtime.flow import (
    BridgeResult,
    CallerHungUp,
    CallInfo,
    CallResult,
    FlowEngine,
    InMemoryServices,
    Recording,
    RenderedPrompt,
)


class _Hangup:
    def __repr__(self) -> str:
        return "HANGUP"


#: In a script of presses: the caller hangs up at this collect.
HANGUP: Any = _Hangup()

APOLOGY_TEXT = "Sorry, something went wrong. An agent will help you."


class ScriptedChannel:
    """Plays back a script of presses, one entry per collect: digits, None (silence) or HANGUP.

    A script that runs out means the caller hangs up, so a flow that asks more than the test expects
    ends as "caller_hangup" instead of hanging the test.
    """

    def __init__(
        self,
        presses: Iterable[Any] = (),
        *,
        transfer_answers: bool = True,
        recording: Recording | None = Recording("/recordings/vm-1.wav", 7.5),
        hangup_on_play: str | None = None,
    ) -> None:
        self.presses = list(presses)
        self.transfer_answers = transfer_answers
        self.recording = recording
        self.hangup_on_play = hangup_on_play
        self.heard: list[str] = []  # every prompt text, played or as a collect prompt
        self.files: list[str | None] = []
        self.collects: list[dict[str, Any]] = []
        self.events: list[tuple[Any, ...]] = []
        self.variables: dict[str, str] = {}
        self.gone = False
        self.hangup_cause: str | None = None

    def _alive(self) -> None:
        if self.gone:
            raise CallerHungUp()

    def _caller_hangs_up(self) -> None:
        self.gone = True
        self.events.append(("caller_hangup",))
        raise CallerHungUp()

    async def answer(self) -> None:
        self._alive()
        self.events.append(("answer",))

    async def play(self, prompt: RenderedPrompt) -> None:
        self._alive()
        self.heard.append(prompt.text)
        self.files.append(prompt.file)
        self.events.append(("play", prompt.text))
        if self.hangup_on_play and self.hangup_on_play in prompt.text:
            self._caller_hangs_up()

    async def collect(self, prompt: RenderedPrompt | None, *, min_digits: int, max_digits: int,
                      terminator: str, timeout_seconds: int, pattern: str | None = None) -> str | None:
        self._alive()
        if prompt is not None:
            self.heard.append(prompt.text)
            self.files.append(prompt.file)
        self.collects.append({"prompt": prompt.text if prompt else None, "min_digits": min_digits,
                              "max_digits": max_digits, "terminator": terminator,
                              "timeout_seconds": timeout_seconds, "pattern": pattern})
        press = self.presses.pop(0) if self.presses else HANGUP
        self.events.append(("collect", press))
        if press is HANGUP:
            self._caller_hangs_up()
        return press

    async def bridge(self, endpoint: str, *, timeout_seconds: int = 30, on_answered=None) -> BridgeResult:
        self._alive()
        self.events.append(("bridge", endpoint))
        if on_answered is not None:
            await on_answered()
        return BridgeResult(True)

    async def transfer(self, number: str, *, timeout_seconds: int = 30) -> BridgeResult:
        self._alive()
        self.events.append(("transfer", number))
        return BridgeResult(self.transfer_answers, "NORMAL_CLEARING" if self.transfer_answers else "USER_BUSY")

    async def record(self, *, max_seconds: int, beep: bool = True) -> Recording | None:
        self._alive()
        self.events.append(("record", max_seconds))
        return self.recording

    async def set_variable(self, name: str, value: str) -> None:
        self._alive()
        self.variables[name] = value

    async def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        self.events.append(("hangup", cause))
        if not self.gone:
            self.gone = True
            self.hangup_cause = cause

    @property
    def dialled(self) -> list[str]:
        """Numbers the flow tried to transfer to."""
        return [event[1] for event in self.events if event[0] == "transfer"]


def flow(nodes: Mapping[str, Any], start: str, *, fallback: str = "sorry", **extra: Any) -> dict[str, Any]:
    """An IVR body with a standard fallback node ("sorry": an apology, then hang up) unless given."""
    all_nodes = {"sorry": {"type": "hangup", "prompt": {"text": APOLOGY_TEXT}}, **nodes}
    return {"start": start, "fallback": fallback, "nodes": all_nodes, **extra}


def assert_valid(body: Mapping[str, Any]) -> None:
    """Test documents must be publishable: the engine runs published (schema-valid) bodies only."""
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator("ivr").iter_errors(body)]
    assert not errors, errors


CALL = CallInfo(caller="13800138000", did="4008001234", uuid="call-1", tenant="express")


def run_flow(
    body: Mapping[str, Any],
    presses: Sequence[Any] = (),
    *,
    channel: ScriptedChannel | None = None,
    services: InMemoryServices | None = None,
    call: CallInfo = CALL,
    now: datetime | None = None,
    validate: bool = True,
    **engine_options: Any,
) -> tuple[CallResult, ScriptedChannel, InMemoryServices]:
    """Runs a flow to its end with a scripted caller; returns the result, the channel and the services."""
    if validate:
        assert_valid(body)
    channel = channel or ScriptedChannel(presses)
    services = services or InMemoryServices()
    if now is not None:
        services.fixed_now = now
    engine = FlowEngine(body, channel, services, call, **engine_options)
    result = asyncio.run(engine.run())
    return result, channel, services
