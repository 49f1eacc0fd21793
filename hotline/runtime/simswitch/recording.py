"""Call recording in the simulator: ``record_session`` / ``stop_record_session`` writing a real WAV file.

Semantics taken from FreeSWITCH's documentation of mod_dptools (record_session, stop_record_session and the
channel variables RECORD_STEREO, RECORD_BRIDGE_REQ, RECORD_MIN_SEC, record_ms / record_seconds /
record_samples; developer.signalwire.com "mod_dptools: record_session" and the Channel Variables Catalog):

* ``record_session <path>`` attaches a media bug and returns at once (the call goes on); RECORD_START
  fires with ``Record-File-Path``.
* The recording ends with ``stop_record_session <path|all>`` or when the channel hangs up (the media bug
  is closed in the hangup state, before CHANNEL_HANGUP_COMPLETE); then ``record_ms``, ``record_seconds``
  and ``record_samples`` are set on the channel and RECORD_STOP fires with ``Record-File-Path``.
* ``RECORD_STEREO=true``: two channels, the channel's own audio left and what it hears right.
  ``RECORD_BRIDGE_REQ=true``: audio only counts while the channel is bridged (here: from the bridge on).
* A recording shorter than ``RECORD_MIN_SEC`` (3 s when unset) is deleted after it is closed.

The file is a real 8 kHz 16-bit WAV: a quiet 400 Hz tone on the left, silence on the right, as long as the
simulated recording (capped at MAX_FILE_SECONDS so a long simulated call cannot fill a disk).
"""

from __future__ import annotations

import math
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import application

if TYPE_CHECKING:
    from .channel import Channel

__all__ = ["start", "stop", "stop_all"]

RATE = 8000
MAX_FILE_SECONDS = 120
DEFAULT_MIN_SEC = 3
TONE_HZ = 400


@dataclass
class MediaBug:
    path: str
    started_us: int
    stereo: bool
    bridge_req: bool
    min_sec: int


def _bugs(ch: Channel) -> dict[str, MediaBug]:
    bugs = getattr(ch, "media_bugs", None)
    if bugs is None:
        bugs = {}
        ch.media_bugs = bugs  # type: ignore[attr-defined]
    return bugs


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "yes", "1", "on")


@application("record_session")
async def app_record_session(ch: Channel, arg: str) -> None:
    start(ch, arg.split()[0] if arg.split() else "")


def start(ch: Channel, path: str) -> bool:
    """Attaches a recording to the channel (record_session, `uuid_record <uuid> start <path>`)."""
    if not path or path in _bugs(ch):
        return False
    try:
        min_sec = int(ch.vars.get("RECORD_MIN_SEC") or DEFAULT_MIN_SEC)
    except ValueError:
        min_sec = DEFAULT_MIN_SEC
    _bugs(ch)[path] = MediaBug(path, ch.switch.now_us(), _true(ch.vars.get("RECORD_STEREO")),
                               _true(ch.vars.get("RECORD_BRIDGE_REQ")), min_sec)
    ch.fire("RECORD_START", post=[("Record-File-Path", path)])
    ch.note("record_session", path=path)
    return True


@application("stop_record_session")
async def app_stop_record_session(ch: Channel, arg: str) -> None:
    target = arg.strip()
    stop(ch, target)


def stop(ch: Channel, target: str) -> bool:
    """Closes the channel's recording at `target` (or "all"); False when there was none."""
    found = [path for path in _bugs(ch) if target in ("all", path)]
    for path in found:
        _close(ch, path)
    return bool(found)


def stop_all(ch: Channel) -> None:
    """Closes every recording of a channel that is hanging up (called from Switch.finish)."""
    for path in list(_bugs(ch)):
        _close(ch, path)


def _close(ch: Channel, path: str) -> None:
    bug = _bugs(ch).pop(path)
    now = ch.switch.now_us()
    start = bug.started_us
    end = now
    if bug.bridge_req:
        bridged = ch.profile.times.bridged or 0
        start = max(start, bridged) if bridged else now  # never bridged: nothing recorded
        unbridged = getattr(ch, "unbridged_us", None)
        if ch.bridged_to is None and unbridged is not None and unbridged >= start:
            end = unbridged  # the conversation ended before the recording was stopped
    real_seconds = max(0, end - start) / 1_000_000
    # simulated time: wall seconds divided by the simulator's time scale
    ms = int(real_seconds / max(ch.switch.config.time_scale, 1e-9) * 1000)
    kept = ms >= bug.min_sec * 1000
    if kept:
        _write_wav(Path(path), ms, stereo=bug.stereo)
    ch.vars.set("record_ms", str(ms))
    ch.vars.set("record_seconds", str(ms // 1000))
    ch.vars.set("record_samples", str(ms * RATE // 1000))
    ch.fire("RECORD_STOP", post=[("Record-File-Path", path)])
    ch.switch.files[path] = ms if kept else 0
    ch.note("recorded", path=path, ms=ms, kept=kept)


def _write_wav(path: Path, ms: int, *, stereo: bool) -> None:
    frames = min(ms, MAX_FILE_SECONDS * 1000) * RATE // 1000
    path.parent.mkdir(parents=True, exist_ok=True)
    period = RATE // TONE_HZ  # a whole number of samples per cycle, so the tone repeats seamlessly
    tone = [int(2000 * math.sin(2 * math.pi * i / period)) for i in range(period)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2 if stereo else 1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        chunk = bytearray()
        for i in range(frames):
            sample = tone[i % period]
            chunk += struct.pack("<hh", sample, 0) if stereo else struct.pack("<h", sample)
            if len(chunk) >= 64 * 1024:
                out.writeframes(bytes(chunk))
                chunk.clear()
        out.writeframes(bytes(chunk))
