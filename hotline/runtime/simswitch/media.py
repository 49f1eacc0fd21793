"""Simulated media: how long a prompt lasts, what text it carries, playing it, collecting digits.

Durations follow the file syntax (``tone_stream://%(on,off,freq);loops=N`` as recorded, plus
``silence_stream://``, ``file_string://a!b``, ``say:``/``tts://`` text) so that the *order* of
events is what FreeSWITCH would produce, while :attr:`SimSwitchConfig.time_scale` shrinks the
wall-clock time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .engine import wait_media

if TYPE_CHECKING:
    from .channel import Channel

__all__ = ["Media", "collect_digits", "media_info", "play_file"]

_TONE = re.compile(r"%\(([\d.]+),([\d.]+)(?:,[^)]*)?\)")
#: An endless tone stream (L=-1, loops=-1) lasts this long: an hour, i.e. until broken.
ENDLESS_MS = 3_600_000
_LOOPS = re.compile(r";loops=(-?\d+)")


@dataclass(frozen=True)
class Media:
    """What a playback path means: duration, Playback-File-Type, and the text a caller hears."""

    ms: int
    file_type: str
    text: str


def _strip_vars(path: str) -> str:
    path = path.strip()
    while path.startswith("{") and "}" in path:
        path = path[path.index("}") + 1 :]
    return path


def media_info(path: str, *, default_ms: int = 1000, ms_per_char: int = 60) -> Media:
    """Interpret a FreeSWITCH file path (enough for prompts an IVR plays)."""
    raw = _strip_vars(path)
    scheme, sep, rest = raw.partition("://")
    if sep and scheme == "tone_stream":
        segments = _TONE.findall(rest)
        ms = sum(int(float(on)) + int(float(off)) for on, off in segments) or default_ms
        loops = _LOOPS.search(rest)
        if loops and int(loops.group(1)) > 0:
            ms *= int(loops.group(1))
        if rest.startswith("L=-1;") or (loops and int(loops.group(1)) < 0):
            ms = ENDLESS_MS  # loops until uuid_break or hangup (hold music)
        return Media(ms, "tone_stream", raw)
    if sep and scheme == "silence_stream":
        ms = int(rest.split(",")[0] or 0)
        return Media(ms if ms > 0 else default_ms, "silence_stream", "")
    if sep and scheme == "file_string":
        parts = [media_info(p, default_ms=default_ms, ms_per_char=ms_per_char) for p in rest.split("!") if p]
        return Media(sum(p.ms for p in parts), "file_string", " ".join(p.text for p in parts if p.text))
    if sep and scheme in ("tts", "say"):
        text = rest.split("|")[-1]
        return Media(max(200, len(text) * ms_per_char), scheme, text)
    if raw.startswith("say:"):
        text = raw[4:]
        return Media(max(200, len(text) * ms_per_char), "say", text)
    ext = raw.rsplit(".", 1)[-1].lower() if "." in raw.rsplit("/", 1)[-1] else "file"
    return Media(default_ms, ext, raw)


async def play_file(ch: Channel, path: str, *, dtmf_break: bool = False) -> tuple[str, str | None]:
    """PLAYBACK_START, media time, playback_* variables, PLAYBACK_STOP.

    Returns ``(status, digit)``: status is ``done``, ``dtmf`` or ``hangup``; when a pending DTMF
    interrupted the prompt, that digit is dequeued (its DTMF event fires *before*
    PLAYBACK_STOP, as in 01) and returned. A prompt the switch cannot play returns at once with
    ``not_found`` (a file in ``missing_files``) or ``error`` (``say:`` while the channel's tts_engine is
    not loaded), with nothing heard and no PLAYBACK events (04-tts-missing).
    """
    cfg = ch.switch.config
    if path.startswith("say:") and (ch.vars.get("tts_engine") or cfg.global_tts_engine) not in cfg.tts_engines:
        return "error", None
    if path in cfg.missing_files:
        return "not_found", None
    media = media_info(path, default_ms=cfg.default_file_ms, ms_per_char=cfg.tts_ms_per_char)
    ident = [("Playback-File-Type", media.file_type), ("Playback-File-Path", path)]
    ch.fire("PLAYBACK_START", post=ident)
    ch.note("played", text=media.text, path=path, app=ch.vars.get("current_application"))
    status = await wait_media(ch, media.ms, dtmf_break=dtmf_break)
    digit = ch.dequeue_dtmf() if status == "dtmf" else None
    samples = media.ms * 8
    v = ch.vars
    v.set("playback_last_offset_pos", samples)
    v.set("playback_seconds", media.ms // 1000)
    v.set("playback_ms", media.ms)
    v.set("playback_samples", samples)
    ch.fire("PLAYBACK_STOP", post=[*ident, ("Playback-Status", "break" if digit else "done")])
    return status, digit


async def next_digit(ch: Channel, ms: float) -> str | None:
    """Wait up to ``ms`` for one DTMF digit; dequeue it (firing DTMF).  None on timeout/hangup."""
    status = await wait_media(ch, ms, dtmf_break=True)
    if status != "dtmf":
        return None
    return ch.dequeue_dtmf()


@dataclass
class Collected:
    digits: str
    terminator: str | None
    timed_out: bool
    hungup: bool
    #: The prompt could not be played: FreeSWITCH collects nothing and moves on without waiting.
    prompt_failed: bool = False


async def collect_digits(
    ch: Channel,
    prompt: str,
    *,
    max_digits: int,
    first_timeout_ms: float,
    digit_timeout_ms: float,
    terminators: str,
) -> Collected:
    """Play ``prompt`` (barge-in allowed) and collect up to ``max_digits`` like switch_ivr_read."""
    if ch.on_collect is not None:
        ch.on_collect(ch)
    digit: str | None = None
    if prompt:
        status, digit = await play_file(ch, prompt, dtmf_break=True)
        if status == "hangup":
            return Collected("", None, False, True)
        if status in ("error", "not_found"):
            return Collected("", None, False, False, prompt_failed=True)
    if ch.on_prompt_done is not None:
        ch.on_prompt_done(ch)
    digits = ""
    while True:
        if digit is None:
            wait = digit_timeout_ms if digits else first_timeout_ms
            digit = await next_digit(ch, wait)
            if digit is None:
                if not ch.is_up:
                    return Collected(digits, None, False, True)
                return Collected(digits, None, True, False)
        if terminators and digit in terminators:
            return Collected(digits, digit, False, False)
        digits += digit
        digit = None
        if len(digits) >= max_digits:
            return Collected(digits, None, False, False)
