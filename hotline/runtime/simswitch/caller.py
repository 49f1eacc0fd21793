"""Scripted simulated callers.

A :class:`CallerScript` says which DID is dialled, from which number, and what the caller does
each time the application asks for digits (every prompt of ``play_and_get_digits`` / ``read``
consumes one entry of ``presses``):

* ``"1"`` / ``"SF123456789#"``: press these keys (after the prompt, or during it with
  ``barge_in=True``); letters are typed on the keypad (``S`` -> 7, ``F`` -> 3) and a
  terminator such as ``#`` is just another key.
* ``SILENCE`` (or ``None``): press nothing, the application times out.
* ``HANGUP``: hang up at that point, in the middle of the prompt.

When the list is exhausted the caller stays silent.  ``hangup_after`` hangs up that many
(simulated) seconds after the call was answered, wherever the call is.

Example::

    CallerScript(did="4008001234", caller="13800000000", presses=["1", "SF123456789#", SILENCE])
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .channel import Channel
    from .core import Switch

__all__ = ["HANGUP", "SILENCE", "CallerScript", "ScriptedCaller"]

SILENCE: Final = None
HANGUP: Final = "HANGUP"

#: Letters typed on a phone keypad send the key's digit ("SF123" -> "73123").
_KEYS = ("ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")
_KEYPAD = {c: d for d, letters in zip("23456789", _KEYS, strict=True) for c in letters}


def keypad_digits(text: str) -> str:
    """DTMF a caller produces for ``text``: digits, ``*`` and ``#`` as is, letters via the keypad."""
    out = []
    for ch in text.upper():
        if ch in "0123456789*#":
            out.append(ch)
        elif ch in _KEYPAD:
            out.append(_KEYPAD[ch])
        elif not ch.isspace():
            raise ValueError(f"cannot type {ch!r} on a phone keypad")
    return "".join(out)


@dataclass
class CallerScript:
    """What one simulated caller dials and does (see module docstring)."""

    did: str
    caller: str = "13800000000"
    presses: list[str | None] = field(default_factory=list)
    caller_name: str | None = None
    hangup_after: float | None = None
    barge_in: bool = False
    press_delay_ms: int = 300
    digit_interval_ms: int = 100


class ScriptedCaller:
    """Drives the caller side of one call: feeds DTMF into the controlled leg, hangs up."""

    def __init__(self, switch: Switch, script: CallerScript) -> None:
        self.switch = switch
        self.script = script
        self.presses: deque[str | None] = deque(script.presses)
        self.a: Channel | None = None
        self.b: Channel | None = None
        self._current: str | None = None

    def attach(self, a_leg: Channel) -> None:
        """Hook the script onto a loopback pair: ``a_leg`` is the caller's phone."""
        self.a, self.b = a_leg, a_leg.partner
        if self.b is None:
            raise ValueError("a scripted caller needs a loopback/<did> leg")
        self.b.on_collect = self._on_collect
        self.b.on_prompt_done = self._on_prompt_done
        if self.script.hangup_after is not None:
            self.b.spawn(self._hangup_later(self.script.hangup_after))

    # ----------------------------------------------------------------- hooks
    def _on_collect(self, b: Channel) -> None:
        entry = self.presses.popleft() if self.presses else SILENCE
        entry = None if entry in (None, "", "SILENCE") else entry
        if entry and entry != HANGUP:
            entry = keypad_digits(entry)
        self._current = entry
        b.note("caller", action="hangup" if entry == HANGUP else ("press" if entry else "silence"), digits=entry)
        if entry == HANGUP:
            b.spawn(self._hangup_in(self.script.press_delay_ms))
        elif entry and self.script.barge_in:
            self._current = None
            b.spawn(self._press(b, entry))

    def _on_prompt_done(self, b: Channel) -> None:
        entry, self._current = self._current, None
        if entry and entry != HANGUP:
            b.spawn(self._press(b, entry))

    # ---------------------------------------------------------------- actions
    async def _press(self, b: Channel, digits: str) -> None:
        sw = self.switch
        await sw.sleep_ms(self.script.press_delay_ms)
        for i, digit in enumerate(digits):
            if not b.is_up:
                return
            if i:
                await sw.sleep_ms(self.script.digit_interval_ms)
            b.queue_dtmf(digit, "UNKNOWN")  # what loopback delivers for the far end's DTMF (01)

    async def _hangup_in(self, ms: float) -> None:
        await self.switch.sleep_ms(ms)
        self.hangup()

    async def _hangup_later(self, seconds: float) -> None:
        assert self.b is not None
        waits = [asyncio.ensure_future(self.b.answered.wait()), asyncio.ensure_future(self.b.hungup.wait())]
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
        if self.b.is_up:
            done = asyncio.ensure_future(self.b.hungup.wait())
            await asyncio.wait([done], timeout=self.switch.scaled(seconds * 1000))
            done.cancel()
            self.hangup()

    def hangup(self, cause: str = "NORMAL_CLEARING") -> None:
        """The caller puts the phone down (the A leg hangs up; loopback takes the B leg along)."""
        if self.a is not None and self.a.is_up:
            if self.b is not None:
                self.b.note("caller", action="hangup_now", digits=None)
            self.switch.hangup(self.a, cause)
