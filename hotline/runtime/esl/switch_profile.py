"""The installation-dependent values the runtime sends to FreeSWITCH, from the `[switch]` settings.

Nothing switch-facing is hard-coded in the call handling: an operator whose agents sit behind a PBX sets
`agent_dial_string = "sofia/gateway/pbx/{extension}"`, one without music on hold keeps the tone stream.
The call variables the runtime relies on are set by the runtime itself on every call (`CALL_VARIABLES`),
so the dialplan only needs `socket` (docs/freeswitch/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Set on every call before the first application (EslChannel.start), so that:
#: * continue_on_fail: a failed bridge (agent busy, unregistered, gateway down) returns to the runtime
#:   instead of hanging up the caller (issue 12: SUBSCRIBER_ABSENT dropped the caller);
#: * hangup_after_bridge=false: when the agent hangs up the flow goes on (a survey after the call);
#: * ignore_early_media: an agent's ring-back or a carrier's announcement never counts as "answered";
#: * playback_terminators=any: a key stops a prompt (barge-in); the key pressed is kept as type-ahead.
CALL_VARIABLES: tuple[tuple[str, str], ...] = (
    ("continue_on_fail", "true"),
    ("hangup_after_bridge", "false"),
    ("ignore_early_media", "true"),
    ("playback_terminators", "any"),
)
_EXTENSION = re.compile(r"[A-Za-z0-9_.+-]{1,64}")
_NUMBER = re.compile(r"\+?[0-9]{3,20}")


@dataclass(frozen=True, slots=True)
class SwitchProfile:
    agent_dial_string: str = "user/{extension}"
    transfer_dial_string: str = "sofia/gateway/pstn/{number}"
    transfer_caller_id: str = ""
    recordings: str = "/var/lib/hotline/recordings"
    hold_music: str = "tone_stream://L=-1;%(400,100,523);%(400,100,659);%(400,3000,784)"
    live_tts: bool = True
    tts_engine: str = "tts_commandline"
    tts_voice: str = "zh"

    @classmethod
    def from_settings(cls, settings: Any) -> SwitchProfile:
        return cls(**{name: getattr(settings, f"switch_{name}") for name in cls.__slots__})

    def agent_endpoint(self, extension: str) -> str:
        """The dial string of one agent's extension; an id that could smuggle dial-string syntax is refused."""
        if not _EXTENSION.fullmatch(extension):
            raise ValueError(f"not an agent extension: {extension!r}")
        return self.agent_dial_string.format(extension=extension)

    def transfer_endpoint(self, number: str) -> str:
        if not _NUMBER.fullmatch(number):
            raise ValueError(f"not a dialable number: {number!r}")
        endpoint = self.transfer_dial_string.format(number=number)
        if self.transfer_caller_id:
            return f"{{origination_caller_id_number={self.transfer_caller_id}}}{endpoint}"
        return endpoint

    def recording_path(self, call_uuid: str) -> str:
        return f"{self.recordings.rstrip('/')}/{call_uuid}.wav"
