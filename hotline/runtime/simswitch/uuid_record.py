"""``uuid_record <uuid> start|stop <path|all>`` (mod_commands): start or stop a call's recording from the inbound
Event Socket, as the web app does for recording on demand. The recording itself is recording.py's (the same
media bug as record_session, so stop_record_session and the hangup close it too). Replies as FreeSWITCH's
uuid_* commands: ``+OK Success``, ``-ERR …`` (not recorded in the fixtures)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import recording
from .api import api

if TYPE_CHECKING:
    from .core import Switch

__all__: list[str] = []


@api("uuid_record")
async def api_uuid_record(sw: Switch, args: str) -> str:
    words = args.split()
    if len(words) < 3 or words[1] not in ("start", "stop"):
        return "-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>]\n"
    ch = sw.locate(words[0])
    if ch is None:
        return "-ERR Cannot locate session!\n"
    done = recording.start(ch, words[2]) if words[1] == "start" else recording.stop(ch, words[2])
    return "+OK Success\n" if done else "-ERR Cannot execute command\n"
