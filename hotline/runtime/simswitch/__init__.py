"""simswitch: a fake FreeSWITCH that speaks the real Event Socket Layer wire protocol.

Written only from the recorded transcripts in ``tests/fixtures/freeswitch-esl`` (it does
not use or copy any ESL client library - it exists to test such clients).  Public API:

* :class:`SimSwitch` - start/stop, :meth:`SimSwitch.place_call`, :meth:`SimSwitch.api`
* :class:`SimSwitchConfig`, :class:`SocketTarget`, :class:`Extension`, :class:`AgentBehavior`
* :class:`CallerScript`, :data:`SILENCE`, :data:`HANGUP`
* :class:`CallRecord` - what a call did (applications, prompts, digits, bridges, cause)
* :mod:`.wire` - framing helpers shared with test clients
"""

from .callees import CalleeProfile
from .caller import HANGUP, SILENCE, CallerScript
from .channel import CallRecord
from .config import AgentBehavior, Extension, SimSwitchConfig, SocketTarget
from .server import SimSwitch, main

__all__ = [
    "HANGUP",
    "SILENCE",
    "AgentBehavior",
    "CallRecord",
    "CalleeProfile",
    "CallerScript",
    "Extension",
    "SimSwitch",
    "SimSwitchConfig",
    "SocketTarget",
    "main",
]
