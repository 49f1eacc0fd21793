"""What a prompt recording really is: decoded far enough to know its format, sample rate and duration.

The first bytes say what a file claims to be; a file that starts like a WAV and goes on as anything else
would reach FreeSWITCH and the browser as "audio". So an upload is read as its container says: WAV with
the standard library's `wave` module (PCM only, every frame present), MP3 by walking its frame headers
from the first to the last byte (after an ID3v2 tag, before an ID3v1 tag), Ogg by walking its pages and
reading the Vorbis/Opus identification header. A prompt is seconds of speech: at most MAX_SECONDS long,
sample rates from 8 to 48 kHz. No third-party decoder: the frame and page layouts are short, fixed
specifications (ISO 11172-3 / 13818-3 headers, RFC 3533 pages, RFC 7845 OpusHead, Vorbis I §4.2.2), and
the well-known metadata library (mutagen) is GPL-licensed.
"""

from __future__ import annotations

import io
import struct
import wave
from dataclasses import dataclass

MAX_SECONDS = 300
MIN_RATE, MAX_RATE = 8000, 48000


class AudioRefused(ValueError):
    """The file is not playable audio of the accepted kinds and bounds; the message says why."""


@dataclass(frozen=True, slots=True)
class AudioInfo:
    kind: str  # wav, mp3, ogg
    sample_rate: int
    seconds: float


def check_audio(data: bytes, kind: str) -> AudioInfo:
    """Decodes the container of `data` (sniffed as `kind`); raises AudioRefused with the reason."""
    info = {"wav": _wav, "mp3": _mp3, "ogg": _ogg}[kind](data)
    if not MIN_RATE <= info.sample_rate <= MAX_RATE:
        raise AudioRefused(f"the sample rate is {info.sample_rate} Hz; {MIN_RATE}–{MAX_RATE} Hz are accepted")
    if info.seconds <= 0:
        raise AudioRefused("the recording holds no sound (zero length)")
    if info.seconds > MAX_SECONDS:
        raise AudioRefused(f"the recording is {info.seconds:.0f} seconds long; a prompt may be at most "
                           f"{MAX_SECONDS} seconds")
    return info


def _wav(data: bytes) -> AudioInfo:
    try:
        with wave.open(io.BytesIO(data)) as reader:
            rate, frames = reader.getframerate(), reader.getnframes()
            width, channels = reader.getsampwidth(), reader.getnchannels()
            if channels not in (1, 2):
                raise AudioRefused(f"the WAV file has {channels} channels; mono or stereo are accepted")
            if rate <= 0:
                raise AudioRefused("the WAV header gives no sample rate")
            present = len(reader.readframes(min(frames, MAX_SECONDS * MAX_RATE + 1)))
    except (wave.Error, EOFError, struct.error) as exc:
        raise AudioRefused(f"the WAV file cannot be read ({exc}); PCM WAV is accepted") from None
    if frames > MAX_SECONDS * MAX_RATE:
        return AudioInfo("wav", rate, frames / rate)
    if present < frames * width * channels:
        raise AudioRefused(f"the WAV file is cut short: its header announces {frames} frames, "
                           f"{present // max(1, width * channels)} are there")
    return AudioInfo("wav", rate, frames / rate)


# MPEG audio: bitrates (kbit/s) by (version is MPEG-1, layer) and index; sample rates by version and index.
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def _mpeg_frame(header: bytes) -> tuple[int, int, int] | None:
    """(frame length in bytes, samples in the frame, sample rate) of a valid frame header, else None."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved values; free-format bitrate (0) is not accepted
    layer, mpeg1 = 4 - layer_bits, version == 3
    bitrate, rate = _BITRATES[mpeg1, layer][bitrate_index] * 1000, _RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4, 384, rate
    samples = 1152 if layer == 2 or mpeg1 else 576
    return samples // 8 * bitrate // rate + padding, samples, rate


def _mp3(data: bytes) -> AudioInfo:
    at = 0
    if data[:3] == b"ID3":  # ID3v2: 10-byte header, size as four 7-bit bytes (+10 with a footer)
        if len(data) < 10:
            raise AudioRefused("the MP3 file ends inside its ID3 tag")
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        at = 10 + size + (10 if data[5] & 0x10 else 0)
    end = len(data) - 128 if data[-128:-125] == b"TAG" else len(data)
    frames = samples = 0
    rate = None
    while at < end:
        frame = _mpeg_frame(data[at:at + 4])
        if frame is None:
            raise AudioRefused(f"the MP3 file has no valid MPEG audio frame at byte {at} "
                               f"(after {frames} frames)")
        length, count, frame_rate = frame
        if at + length > end:
            if frames >= 2:
                break  # a last frame cut short is common (encoders, editors) and harmless
            raise AudioRefused(f"the MP3 file is cut short inside frame {frames + 1}")
        if rate is not None and frame_rate != rate:
            raise AudioRefused(f"the MP3 file changes its sample rate at byte {at}")
        rate, frames, samples, at = frame_rate, frames + 1, samples + count, at + length
        if samples > MAX_SECONDS * MAX_RATE * 2:
            break  # already too long: no need to walk on
    if rate is None:
        raise AudioRefused("the MP3 file holds no audio frames")
    return AudioInfo("mp3", rate, samples / rate)


def _ogg(data: bytes) -> AudioInfo:
    at, first, granule, pages = 0, b"", 0, 0
    while at < len(data):
        if data[at:at + 4] != b"OggS" or len(data) < at + 27 or data[at + 4] != 0:
            raise AudioRefused(f"the Ogg file has no valid page at byte {at} (after {pages} pages)")
        count = data[at + 26]
        lacing = data[at + 27:at + 27 + count]
        body = at + 27 + count
        size = sum(lacing)
        if len(lacing) < count or body + size > len(data):
            raise AudioRefused(f"the Ogg file is cut short inside page {pages + 1}")
        if pages == 0:
            first = data[body:body + size]
        page_granule = struct.unpack_from("<q", data, at + 6)[0]
        if page_granule > 0:
            granule = page_granule
        pages, at = pages + 1, body + size
    if first[:8] == b"OpusHead" and len(first) >= 19:
        # Opus always runs at 48 kHz (granule positions count 48 kHz samples); pre-skip comes first.
        pre_skip, input_rate = struct.unpack_from("<HI", first, 10)
        return AudioInfo("ogg", input_rate or 48000, max(0, granule - pre_skip) / 48000)
    if first[:7] == b"\x01vorbis" and len(first) >= 16:
        rate = struct.unpack_from("<I", first, 12)[0]
        if rate <= 0:
            raise AudioRefused("the Ogg Vorbis header gives no sample rate")
        return AudioInfo("ogg", rate, granule / rate)
    raise AudioRefused("the Ogg file holds neither Vorbis nor Opus audio")
