"""The call as the flow engine sees it: a few async operations, one per FreeSWITCH application.

The engine never talks ESL itself. The ESL adapter (one outbound-socket session per call), the
simulator-driven test call and the tests' scripted channel all implement this Protocol, so a flow runs
unchanged against any of them. Each method maps onto one dialplan application, which keeps the adapter
a thin translation and the engine's behaviour identical on every backend.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class CallerHungUp(Exception):
    """The caller hung up; raised by any channel operation once the call is gone.

    Not an error of the flow: the engine ends the run cleanly with outcome "caller_hangup".
    """


class PromptFailed(Exception):
    """The switch could not play a prompt (a missing file, a TTS engine that is not loaded): the caller
    heard nothing, so the node fails (the flow's fallback takes over) instead of counting it as heard."""


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    """A prompt ready to play: the text is always there (TTS input and what the trace shows).

    `file` is set when the prompt is a recording of the tenant's catalogue; the adapter then plays the
    file (playback) instead of speaking the text (speak).
    """

    text: str
    file: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Recording:
    """A message the caller left: where the audio is and how long it lasts."""

    path: str
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class BridgeResult:
    """How a bridge ended: whether the other leg answered, and FreeSWITCH's hangup cause."""

    answered: bool
    cause: str = "NORMAL_CLEARING"


@runtime_checkable
class Channel(Protocol):
    """One live call. Every method may raise CallerHungUp."""

    async def answer(self) -> None:
        """Answers the call (`answer`)."""

    async def play(self, prompt: RenderedPrompt) -> None:
        """Plays a prompt to the end (`playback` of prompt.file, else `speak` of prompt.text)."""

    async def collect(
        self,
        prompt: RenderedPrompt | None,
        *,
        min_digits: int,
        max_digits: int,
        terminator: str,
        timeout_seconds: int,
        pattern: str | None = None,
    ) -> str | None:
        """Plays the prompt and gathers DTMF (`play_and_get_digits` with one try).

        Returns the digits without the terminator, or None when the caller pressed nothing before the
        timeout. `pattern` is an anchored regex the adapter may hand to play_and_get_digits, but the
        digits must come back even when they do not match (FreeSWITCH puts them in `<var>_invalid`):
        the engine decides invalid versus timeout itself, because the retry prompts differ.
        `terminator` "" means none (every key is a digit, as in menus that use # or *).
        """

    async def bridge(self, endpoint: str, *, timeout_seconds: int = 30,
                     on_answered: Callable[[], Awaitable[None]] | None = None) -> BridgeResult:
        """Connects the caller to an agent endpoint (`bridge`); returns when the bridge ends.

        Used by the ACD behind FlowServices.enqueue, which decides which agent to bridge to;
        `on_answered` runs when the agent picks up (the agent is then on the call, not ringing).
        """

    async def transfer(self, number: str, *, timeout_seconds: int = 30) -> BridgeResult:
        """Connects the caller to an external number (`bridge` through the tenant's gateway).

        The engine calls it only for numbers on the tenant's allow-list. Returns when the bridge ends
        or failed to connect (answered=False).
        """

    async def record(self, *, max_seconds: int, beep: bool = True) -> Recording | None:
        """Records a message (`record`); None when the caller said nothing."""

    async def set_variable(self, name: str, value: str) -> None:
        """Sets a channel variable (`set`), so FreeSWITCH's CDR and dialplan see it."""

    async def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        """Hangs the call up (`hangup`). Must be safe to call when the call is already gone."""
