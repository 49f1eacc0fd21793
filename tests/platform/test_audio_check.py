"""Prompt recordings are decoded as their container says (platform/audio_check.py): junk that starts like
audio is refused with the reason, real audio of each kind is measured."""

from __future__ import annotations

import re
import struct

import pytest

from hotline.designer.api.prompts import sniff_audio
from hotline.platform.audio_check import AudioRefused, check_audio


def wav(seconds: float = 0.1) -> bytes:
    return wav_with(frames=int(8000 * seconds))


#: One MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, no padding: 417 bytes, 1,152 samples.
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413


def mp3(frames: int = 10) -> bytes:
    return MP3_FRAME * frames


def ogg_page(kind: int, granule: int, sequence: int, payload: bytes) -> bytes:
    """An Ogg page (RFC 3533): header, lacing values, payload (CRC left 0: not checked)."""
    lacing = bytes([255] * (len(payload) // 255) + [len(payload) % 255])
    return (b"OggS\x00" + bytes([kind]) + struct.pack("<qIII", granule, 1, sequence, 0) + bytes([len(lacing)])
            + lacing + payload)


def ogg(tag: bytes = b"", seconds: float = 1.0) -> bytes:
    """Ogg Vorbis in outline: identification header (8 kHz mono), a page carrying `tag`, a last page."""
    ident = b"\x01vorbis" + struct.pack("<IBIiii", 0, 1, 8000, 0, 16000, 0) + b"\xb8\x01"
    return (ogg_page(2, 0, 0, ident) + ogg_page(0, 0, 1, b"\x03vorbis" + tag)
            + ogg_page(4, int(8000 * seconds), 2, b"\x00" * 40))




def wav_with(rate: int = 8000, frames: int = 800, claimed: int | None = None, fmt: int = 1) -> bytes:
    data = b"\x00\x00" * frames
    size = len(data) if claimed is None else claimed * 2
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, fmt, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", size) + data)


@pytest.mark.parametrize(("audio", "words"), [
    (b"RIFF\x00\x00\x00\x00WAVE" + b"junk" * 50, "cannot be read"),
    (wav_with(claimed=80_000), "cut short"),
    (wav_with(rate=4000), "sample rate is 4000 Hz"),
    (wav_with(rate=96000), "sample rate is 96000 Hz"),
    (wav_with(frames=0), "no sound"),
    (wav_with(fmt=85), "cannot be read"),  # MP3 inside a WAV header: not PCM
    (wav_with(rate=8000, frames=8000 * 301), "301 seconds"),
    (MP3_FRAME + b"<html>" * 100, "no valid MPEG audio frame at byte 417"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x10" + b"\x00" * 16 + b"junk" * 200, "no valid MPEG audio frame at byte 26"),
    (MP3_FRAME[:200], "cut short"),
    (b"OggS\x00\x02" + b"\x00" * 200, "no valid page at byte 27"),
    (ogg()[:-10], "cut short"),
    (ogg() + b"junk", "no valid page"),
    (ogg_page(2, 0, 0, b"\x7fFLAC" + b"\x00" * 40) + ogg_page(4, 8000, 1, b"\x00"), "neither Vorbis nor Opus"),
])
def test_junk_dressed_as_audio_is_refused_with_the_reason(audio: bytes, words: str) -> None:
    kind = sniff_audio(audio[:16])
    assert kind is not None  # every case passes the first-bytes check: only decoding finds it out
    with pytest.raises(AudioRefused, match=re.escape(words)):
        check_audio(audio, kind)


def test_real_audio_of_each_kind_is_accepted_with_its_length() -> None:
    assert check_audio(wav(0.5), "wav").seconds == pytest.approx(0.5)
    assert check_audio(b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5 + mp3(100), "mp3").seconds == \
        pytest.approx(100 * 1152 / 44100)
    assert check_audio(mp3(3) + b"TAG" + b"\x00" * 125, "mp3").sample_rate == 44100  # ID3v1 tag at the end
    assert check_audio(ogg(seconds=2.5), "ogg").seconds == pytest.approx(2.5)
