"""Text prompts rendered to audio files ahead of the call, by a configurable TTS engine.

A real switch plays files reliably; TTS at call time depends on a module and an engine being loaded on
every FreeSWITCH box, and its failure is easy to miss (issue 12). So the text of a prompt is rendered
once - when the runtime loads a newly published IVR - and the switch plays the file with `playback`.

* Engines: a command (`espeak-ng -v cmn -s 160 -w {file} {text}`, the embedded default; each argument
  is formatted on its own and run without a shell, so a prompt's text can never become shell syntax) or
  an HTTP service (`POST` JSON `{"text": ...}`, answers WAV bytes) for production voices.
* Storage: the tenant's content-addressed prompt folder (platform.prompt_storage.put), so FreeSWITCH reads
  the files where it reads recorded uploads.
* Cache: by the SHA-256 of the engine's key and the text, in `<tenant folder>/tts/<hash>` (holding the
  stored file's reference): the same text is rendered once per tenant and engine, across publishes and
  runtime processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from . import prompt_storage

#: Longest text rendered (a prompt is seconds of speech; anything longer is a mistake, not a prompt).
MAX_TEXT = 1000
DEFAULT_COMMAND = "espeak-ng -v cmn -s 160 -w {file} {text}"
#: Stage directions in a script ("（等待音乐）", "(pause)", "【...】") are for people, never read out (QA 12.6).
_STAGE_DIRECTION = re.compile(r"（[^（）]*）|\([^()]*\)|【[^【】]*】")


def stage_directions(text: str) -> list[str]:
    """The bracketed parts of a prompt text that are never read out (the lint warns about each)."""
    return _STAGE_DIRECTION.findall(text)


def spoken_text(text: str) -> str:
    """The text a TTS engine reads: stage directions dropped, blanks collapsed."""
    return " ".join(_STAGE_DIRECTION.sub(" ", text).split())


class TtsError(RuntimeError):
    """The engine could not render a text; the message says which engine and why."""


class TtsEngine(Protocol):
    #: Identifies the engine and voice: part of the cache key, so a new voice renders again.
    key: str

    def synthesize(self, text: str) -> bytes: ...


@dataclass(frozen=True)
class CommandTts:
    """A local command that writes a WAV file: `{file}` and `{text}` are replaced in its arguments."""

    command: str = DEFAULT_COMMAND
    timeout_seconds: float = 20.0

    @property
    def key(self) -> str:
        return f"command:{self.command}"

    def synthesize(self, text: str) -> bytes:
        with tempfile.TemporaryDirectory(prefix="hotline-tts-") as folder:
            out = os.path.join(folder, "prompt.wav")
            args = [part.replace("{file}", out).replace("{text}", text) for part in shlex.split(self.command)]
            try:
                done = subprocess.run(args, capture_output=True, timeout=self.timeout_seconds, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise TtsError(f"TTS command {args[0]!r} failed: {exc}") from None
            if done.returncode != 0 or not os.path.isfile(out) or os.path.getsize(out) <= 44:
                raise TtsError(f"TTS command {args[0]!r} wrote no audio (exit {done.returncode}): "
                               f"{done.stderr.decode(errors='replace')[:200]}")
            return Path(out).read_bytes()


@dataclass(frozen=True)
class HttpTts:
    """An HTTP TTS service (operator-configured, not tenant-typed): POST {"text", "voice"} → WAV bytes."""

    url: str
    voice: str = "zh"
    timeout_seconds: float = 20.0

    @property
    def key(self) -> str:
        return f"http:{self.url}:{self.voice}"

    def synthesize(self, text: str) -> bytes:
        request = urllib.request.Request(self.url, data=json.dumps({"text": text, "voice": self.voice}).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                data = response.read(20 * 1024 * 1024)
        except OSError as exc:
            raise TtsError(f"TTS service {self.url} failed: {exc}") from None
        if not data.startswith(b"RIFF"):
            raise TtsError(f"TTS service {self.url} answered something that is not WAV audio")
        return data


def engine_from_settings(settings: Any) -> TtsEngine | None:
    """The [prompts] tts engine: "command" (tts_command), "http" (tts_url) or "none"."""
    kind = getattr(settings, "prompts_tts", "none")
    if kind == "command":
        return CommandTts(settings.prompts_tts_command)
    if kind == "http":
        return HttpTts(settings.prompts_tts_url, getattr(settings, "switch_tts_voice", "zh"))
    return None


def render(root: Path, tenant_id: int, text: str, engine: TtsEngine) -> str:
    """The absolute file of `text` spoken by `engine`, rendered on first use and stored in the tenant's folder.

    Stage directions are dropped first (spoken_text): a rendered prompt must not read "（等待音乐）" aloud.
    """
    text = spoken_text(text)
    if not text or len(text) > MAX_TEXT:
        raise TtsError(f"a prompt to render must have 1 to {MAX_TEXT} characters, not {len(text)}")
    folder = prompt_storage.tenant_folder(root, tenant_id)
    index = folder / "tts" / hashlib.sha256(f"{engine.key}\0{text}".encode()).hexdigest()
    if index.is_file():
        found = prompt_storage.playable(root, tenant_id, index.read_text(encoding="utf-8").strip())
        if found is not None:
            return found
    ref = prompt_storage.put(root, tenant_id, engine.synthesize(text), "wav")
    index.parent.mkdir(parents=True, exist_ok=True)
    partial = index.with_name(f".{index.name}.{os.getpid()}")
    partial.write_text(ref, encoding="utf-8")
    partial.replace(index)
    found = prompt_storage.playable(root, tenant_id, ref)
    assert found is not None  # just stored
    return found


#: At most this many distinct texts are rendered per IVR version (a flow is bounded; this bounds the work).
MAX_RENDERED = 2000


def static_texts(node: Any) -> set[str]:
    """Every prompt text of a flow body with no template in it (those are rendered per call, live)."""
    found: set[str] = set()
    if isinstance(node, dict):
        text = node.get("text")
        if isinstance(text, str) and text.strip() and "{" not in text and len(text) <= MAX_TEXT:
            found.add(text)
        for value in node.values():
            found |= static_texts(value)
    elif isinstance(node, list):
        for value in node:
            found |= static_texts(value)
    return found
