"""Prompt upload: text and a recording checked by its content and size, stored per tenant, served back."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from flask import Flask

from hotline.designer.api.prompts import MAX_AUDIO_BYTES, sniff_audio

from ..conftest import Api, World


def wav(seconds: float = 0.1) -> bytes:
    frames = b"\x00\x00" * int(8000 * seconds)
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", len(frames))
    return header + frames


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 400
OGG = b"OggS\x00\x02" + b"\x00" * 200


@pytest.fixture(autouse=True)
def prompt_dir(app: Flask, tmp_path: Path) -> Path:
    app.config["HOTLINE_PROMPT_DIR"] = str(tmp_path / "prompts")
    return tmp_path / "prompts"


def upload(api: Api, name: str, text: str = "", audio: bytes | None = None, filename: str = "a.wav",
           csrf: bool = True):
    data: dict = {"name": name, "text": text}
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), filename)
    headers = {"X-CSRFToken": api.token or api.refresh_token()} if csrf else {}
    return api.client.post("/api/prompts", data=data, headers=headers, content_type="multipart/form-data")


@pytest.mark.parametrize(("head", "kind"), [(wav(), "wav"), (b"ID3\x04" + b"\x00" * 20, "mp3"), (MP3_FRAME, "mp3"),
                                            (OGG, "ogg"), (b"<html>", None), (b"RIFF\x00\x00\x00\x00AVI ", None)])
def test_audio_is_recognised_by_its_content(head: bytes, kind: str | None) -> None:
    assert sniff_audio(head[:16]) == kind


def test_an_analyst_uploads_a_recording_and_everyone_in_the_tenant_hears_it(api_as, world: World,
                                                                           unique, prompt_dir: Path) -> None:
    analyst = api_as(world.analyst_a, world.tenant_a)
    name = unique("greet")
    created = upload(analyst, name, "您好", wav())
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["name"] == name and body["text"] == "您好"
    assert body["audio_url"] == f"/api/prompts/{name}/audio"
    stored = list(prompt_dir.rglob(f"{name}-*.wav"))
    assert len(stored) == 1
    agent = api_as(world.agent_a, world.tenant_a)
    audio = agent.get(body["audio_url"])
    assert audio.status_code == 200 and audio.mimetype == "audio/wav" and audio.data == wav()
    context = agent.get("/api/designer/context").get_json()
    assert {"name": name, "text": "您好", "audio_url": body["audio_url"]} in context["prompts"]
    # Same name again: an update (200), the text kept when only a new recording comes.
    again = upload(analyst, name, "", OGG, "b.ogg")
    assert again.status_code == 200 and again.get_json()["text"] == "您好"
    assert agent.get(body["audio_url"]).mimetype == "audio/ogg"
    assert [p.suffix for p in prompt_dir.rglob(f"{name}-*")] == [".ogg"]  # the old recording is gone


def test_a_text_only_prompt_has_no_audio(api_as, world: World, unique) -> None:
    api = api_as(world.admin_a, world.tenant_a)
    name = unique("tts")
    assert upload(api, name, "请稍候").get_json()["audio_url"] is None
    missing = api.get(f"/api/prompts/{name}/audio")
    assert missing.status_code == 404 and "no recording" in missing.get_json()["error"]


def test_bad_uploads_get_clear_errors(api_as, world: World, unique) -> None:
    api = api_as(world.analyst_a, world.tenant_a)
    not_audio = upload(api, unique("p"), "x", b"<html>hello</html>", "evil.wav")
    assert not_audio.status_code == 400 and "not WAV, MP3 or Ogg" in not_audio.get_json()["error"]
    too_big = upload(api, unique("p"), "x", wav() + b"\x00" * MAX_AUDIO_BYTES, "big.wav")
    assert too_big.status_code == 413 and "5 MB" in too_big.get_json()["error"]
    far_too_big = upload(api, unique("p"), "x", b"\x00" * (MAX_AUDIO_BYTES + 1024 * 1024), "huge.wav")
    assert far_too_big.status_code == 413 and "MB" in far_too_big.get_json()["error"]
    bad_name = upload(api, "no spaces allowed", "x")
    assert bad_name.status_code == 400 and "prompt name" in bad_name.get_json()["error"]
    empty = upload(api, unique("p"), "")
    assert empty.status_code == 400 and "needs its text" in empty.get_json()["error"]
    assert upload(api, unique("p"), "x", csrf=False).status_code == 400


def test_an_agent_may_not_upload(api_as, world: World, unique) -> None:
    assert upload(api_as(world.agent_a, world.tenant_a), unique("p"), "x").status_code == 403


def test_another_tenants_prompt_is_not_found(api_as, world: World, unique) -> None:
    name = unique("only_a")
    assert upload(api_as(world.analyst_a, world.tenant_a), name, "a", wav()).status_code == 201
    response = api_as(world.analyst_b, world.tenant_b).get(f"/api/prompts/{name}/audio")
    assert response.status_code == 404
