"""TTS preview of a prompt text (issue 16): spoken by the configured engine (here a stand-in command that writes a
WAV whose length follows the text), bounded in size and rate (each tenant its own allowance), explained when no
engine is configured."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from flask import Flask

from hotline.designer.api.prompt_preview import MAX_PREVIEW_TEXT, PREVIEWS_PER_MINUTE
from hotline.designer.redis_access import SETTINGS

from ..conftest import World

pytestmark = [pytest.mark.redis]

#: A TTS "engine" for tests: writes a valid 8 kHz WAV, 10 ms of silence per character of the text.
FAKE_ENGINE = """
import struct, sys
out, text = sys.argv[1], sys.argv[2]
frames = b"\\x00\\x00" * (80 * len(text))
header = (b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt "
          + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", len(frames)))
open(out, "wb").write(header + frames)
"""


@pytest.fixture
def tts_app(calls_app: Flask, tmp_path: Path) -> Flask:
    """The app with the stand-in engine and a prompt folder of its own."""
    script = tmp_path / "fake_tts.py"
    script.write_text(FAKE_ENGINE)
    calls_app.config["HOTLINE_PROMPT_DIR"] = str(tmp_path / "prompts")
    settings = calls_app.extensions[SETTINGS]
    calls_app.extensions[SETTINGS] = dataclasses.replace(
        settings, prompts_tts="command", prompts_tts_command=f"{sys.executable} {script} {{file}} {{text}}")
    return calls_app


def test_a_text_is_spoken_and_stage_directions_are_not(tts_app: Flask, api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    response = api.post("/api/prompts/preview", {"text": "您好（等待音乐）欢迎"})
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "audio/wav"
    assert response.data.startswith(b"RIFF")
    assert len(response.data) == 44 + 2 * 80 * len("您好 欢迎")  # the stage direction was not read out
    # A reader may listen too (agents hear what callers hear); the text is what is checked, not the role.
    assert api_as(world.agent_a).post("/api/prompts/preview", {"text": "再见"}).status_code == 200


def test_bad_texts_are_refused_saying_where_and_why(tts_app: Flask, api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    missing = api.post("/api/prompts/preview", {"words": "x"})
    assert missing.status_code == 400 and missing.get_json()["error"].startswith("/text: the text to speak is missing")
    empty = api.post("/api/prompts/preview", {"text": "（等待音乐）"})
    assert empty.status_code == 400 and "nothing to speak" in empty.get_json()["error"]
    long = api.post("/api/prompts/preview", {"text": "长" * (MAX_PREVIEW_TEXT + 1)})
    assert long.status_code == 400
    assert long.get_json()["error"] == (
        f"/text: {MAX_PREVIEW_TEXT + 1} characters; a preview speaks at most {MAX_PREVIEW_TEXT}")


def test_previews_are_rate_limited_per_tenant(tts_app: Flask, api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    for n in range(PREVIEWS_PER_MINUTE):
        assert api.post("/api/prompts/preview", {"text": f"第{n}句"}).status_code == 200
    refused = api.post("/api/prompts/preview", {"text": "再来一句"})
    assert refused.status_code == 429
    assert "prompt previews per minute" in refused.get_json()["error"]
    # Another tenant has its own allowance.
    assert api_as(world.analyst_b, world.tenant_b).post("/api/prompts/preview", {"text": "你好"}).status_code == 200


def test_without_an_engine_the_preview_says_why(calls_app: Flask, api_as, world: World) -> None:
    calls_app.extensions[SETTINGS] = dataclasses.replace(calls_app.extensions[SETTINGS], prompts_tts="none")
    refused = api_as(world.analyst_a).post("/api/prompts/preview", {"text": "您好"})
    assert refused.status_code == 409
    assert "no TTS engine is configured" in refused.get_json()["error"]


def test_a_signed_out_request_is_refused(tts_app: Flask, api) -> None:
    assert api.post("/api/prompts/preview", {"text": "您好"}).status_code in (401, 400)
