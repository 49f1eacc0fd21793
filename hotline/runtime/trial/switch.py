"""The simulator side of an interactive test call: a clock held while the caller decides, and a keypad.

The ESL simulator's `play_and_get_digits` plays the prompt, then waits the flow's time-out for a key.
`HeldClockSwitch` makes that wait last (`hold_seconds`) from the moment the prompt has been played until
the application completes, so the analyst in the browser can read and think; every other simulated
duration (prompts, pauses) still runs at the simulator's time scale. `KeypadCaller` presses the keys the
API hands it, as DTMF queued on the channel exactly as the scripted callers of the tests press theirs.
See session.py for why a test call is a live call at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..simswitch import CallerScript, SimSwitch, SimSwitchConfig
from ..simswitch.caller import ScriptedCaller
from ..simswitch.channel import CallRecord, Channel
from ..simswitch.core import Switch
from ..simswitch.inbound import InboundServer


class HeldClockSwitch(Switch):
    """The simulator, with its clock stopped while the caller is asked for digits (see module docstring)."""

    def __init__(self, config: SimSwitchConfig, hold_seconds: float) -> None:
        super().__init__(config)
        self.hold_seconds = hold_seconds
        self.holding = False
        self.leg: Channel | None = None
        self.on_waiting: Callable[[], None] = lambda: None

    def scaled(self, ms: float) -> float:
        if self.holding:
            if self.leg is not None and not self.leg.dtmf_pending:
                self.on_waiting()
            return self.hold_seconds
        return super().scaled(ms)

    def fire(self, name: str, channel: Channel | None = None, **kwargs: Any) -> Any:
        if self.holding and channel is not None and channel is self.leg and name in (
                "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP"):
            self.holding = False
        return super().fire(name, channel, **kwargs)


class KeypadCaller(ScriptedCaller):
    """A caller whose keys come from the API instead of a script."""

    switch: HeldClockSwitch

    def attach(self, a_leg: Channel) -> None:
        super().attach(a_leg)
        self.switch.leg = self.b

    def _on_collect(self, b: Channel) -> None:
        b.note("caller", action="listening", digits=None)

    def _on_prompt_done(self, b: Channel) -> None:
        self.switch.holding = True

    def press(self, digits: str) -> None:
        if self.b is not None and self.b.is_up:
            self.b.note("caller", action="press", digits=digits)
            self.b.queue_dtmf(digits, "UNKNOWN")

    def no_input(self) -> None:
        """Ends the held wait for digits with none pressed, as the time-out would (the wait's break)."""
        if self.b is not None and self.b.is_up:
            self.b.note("caller", action="no-input", digits=None)
            # The clock runs again at once: else every wait until the application completes would count as
            # "waiting for the caller" and the call would look settled before the time-out prompt played.
            self.switch.holding = False
            self.b.break_signal.set()


class KeypadSimSwitch(SimSwitch):
    """SimSwitch whose calls are driven by a KeypadCaller on a held-clock switch."""

    def __init__(self, config: SimSwitchConfig, hold_seconds: float) -> None:
        super().__init__(config)
        self.switch = HeldClockSwitch(config, hold_seconds)
        self.inbound = InboundServer(self.switch)

    async def place_keypad_call(self, script: CallerScript, caller: KeypadCaller, timeout: float) -> CallRecord:
        """SimSwitch.place_call with our caller: a loopback/<did> pair, the -a leg driven by `caller`."""
        record, request, created, holder = self._prepare_call(script, caller, timeout)
        await self._run_call(request, created, holder, record)
        return record
