"""Prompt upload: text and a recording checked by its content and size, stored per tenant, served back."""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from hotline.designer.api.prompts import MAX_AUDIO_BYTES, sniff_audio
from hotline.platform.db import Database
from hotline.platform.models import Prompt
from hotline.platform.services.tenants import get_tenant
from tests.platform.test_audio_check import MP3_FRAME, ogg, wav_with

from ..conftest import Api, World
from ..test_pages import form_login, token_of


def wav(seconds: float = 0.1) -> bytes:
    frames = b"\x00\x00" * int(8000 * seconds)
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", len(frames))
    return header + frames


OGG = ogg()


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


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id


def stored_file(prompt_dir: Path, db: Database, slug: str, data: bytes, ext: str) -> Path:
    """Where a recording of a tenant is kept: its tenant's folder, named by the SHA-256 of the bytes."""
    return prompt_dir / str(tenant_id(db, slug)) / f"{hashlib.sha256(data).hexdigest()}.{ext}"


def test_an_analyst_uploads_a_recording_and_everyone_in_the_tenant_hears_it(api_as, world: World, db: Database,
                                                                           unique, prompt_dir: Path) -> None:
    analyst = api_as(world.analyst_a, world.tenant_a)
    name = unique("greet")
    recording = wav(0.11)
    created = upload(analyst, name, "您好", recording)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["name"] == name and body["text"] == "您好"
    assert body["audio_url"] == f"/api/prompts/{name}/audio"
    first = stored_file(prompt_dir, db, world.tenant_a, recording, "wav")
    assert first.is_file()
    with db.tenant(tenant_id(db, world.tenant_a)) as session:  # the row keeps a name, never a path
        assert session.scalar(select(Prompt.audio_path).where(Prompt.name == name)) == first.name
    agent = api_as(world.agent_a, world.tenant_a)
    audio = agent.get(body["audio_url"])
    assert audio.status_code == 200 and audio.mimetype == "audio/wav" and audio.data == recording
    context = agent.get("/api/designer/context").get_json()
    assert {"name": name, "text": "您好", "audio_url": body["audio_url"]} in context["prompts"]
    # Same name again: an update (200), the text kept when only a new recording comes.
    newer = ogg(name.encode())
    again = upload(analyst, name, "", newer, "b.ogg")
    assert again.status_code == 200 and again.get_json()["text"] == "您好"
    assert agent.get(body["audio_url"]).mimetype == "audio/ogg"
    assert stored_file(prompt_dir, db, world.tenant_a, newer, "ogg").is_file()
    assert not first.exists()  # the old recording is gone: no prompt refers to it any more


def test_the_same_recording_is_stored_once_and_kept_while_a_prompt_uses_it(api_as, world: World, db: Database,
                                                                          unique, prompt_dir: Path) -> None:
    analyst = api_as(world.analyst_a, world.tenant_a)
    shared = wav(0.12)
    one, two = unique("one"), unique("two")
    assert upload(analyst, one, "a", shared).status_code == 201
    assert upload(analyst, two, "b", shared).status_code == 201
    file = stored_file(prompt_dir, db, world.tenant_a, shared, "wav")
    assert file.is_file()
    assert upload(analyst, one, "", ogg(one.encode()), "c.ogg").status_code == 200
    assert file.is_file()  # prompt `two` still plays it
    assert analyst.get(f"/api/prompts/{two}/audio").data == shared


def test_one_tenant_cannot_serve_or_delete_another_tenants_recording(api_as, world: World, db: Database,
                                                                    unique, prompt_dir: Path) -> None:
    secret = wav(0.14)
    name_a = unique("secret")
    assert upload(api_as(world.analyst_a, world.tenant_a), name_a, "a", secret).status_code == 201
    file_a = stored_file(prompt_dir, db, world.tenant_a, secret, "wav")
    # Tenant B's rows pointing at A's file, by its name, by an absolute path and by '..': as an old row,
    # a forged import or a bug might. None of them reaches outside B's folder.
    forged = {unique("byname"): file_a.name, unique("abs"): str(file_a),
              unique("dots"): f"../{tenant_id(db, world.tenant_a)}/{file_a.name}"}
    with db.tenant(tenant_id(db, world.tenant_b)) as session:
        session.add_all(Prompt(name=name, text="b", audio_path=ref) for name, ref in forged.items())
    analyst_b = api_as(world.analyst_b, world.tenant_b)
    for name in forged:
        response = analyst_b.get(f"/api/prompts/{name}/audio")
        assert response.status_code == 404 and "no recording" in response.get_json()["error"], name
        # Replacing the recording releases the old reference, inside B's folder only.
        assert upload(analyst_b, name, "", ogg(name.encode()), "b.ogg").status_code == 200
    assert file_a.is_file()
    assert api_as(world.agent_a, world.tenant_a).get(f"/api/prompts/{name_a}/audio").data == secret
    # The same bytes uploaded by B are B's own copy, in B's folder.
    name_b = unique("same")
    assert upload(analyst_b, name_b, "b", secret).status_code == 201
    file_b = stored_file(prompt_dir, db, world.tenant_b, secret, "wav")
    assert file_b.is_file() and file_b != file_a


def test_the_admin_never_edits_a_recording_path_and_deletes_only_the_tenants_file(
        app: Flask, api_as, world: World, db: Database, unique, prompt_dir: Path) -> None:
    own, theirs = wav(0.15), wav(0.16)
    name_a, name_b = unique("a"), unique("b")
    assert upload(api_as(world.analyst_a, world.tenant_a), name_a, "a", own).status_code == 201
    assert upload(api_as(world.analyst_b, world.tenant_b), name_b, "b", theirs).status_code == 201
    file_a = stored_file(prompt_dir, db, world.tenant_a, own, "wav")
    file_b = stored_file(prompt_dir, db, world.tenant_b, theirs, "wav")
    admin_a = app.test_client()
    assert form_login(admin_a, world.admin_a).status_code == 302
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        prompt_id = session.scalar(select(Prompt.id).where(Prompt.name == name_a))
    form = admin_a.get(f"/admin/prompt/edit/?id={prompt_id}")
    assert form.status_code == 200 and b'name="audio_path"' not in form.data
    token = token_of(form)
    edited = admin_a.post(f"/admin/prompt/edit/?id={prompt_id}", data={
        "name": name_a, "text": "changed", "audio_path": str(file_b), "csrf_token": token})
    assert edited.status_code == 302
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        row = session.scalar(select(Prompt).where(Prompt.name == name_a))
        assert row.text == "changed" and row.audio_path == file_a.name  # a posted path is ignored
    assert "已录音" in admin_a.get("/admin/prompt/").get_data(as_text=True)
    deleted = admin_a.post("/admin/prompt/delete/", data={"id": str(prompt_id), "url": "/admin/prompt/",
                                                          "csrf_token": token})
    assert deleted.status_code == 302
    assert not file_a.exists() and file_b.is_file()


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


def test_an_upload_of_junk_behind_a_wav_header_is_a_clear_400(api_as, world: World, unique) -> None:
    api = api_as(world.analyst_a, world.tenant_a)
    refused = upload(api, unique("p"), "x", wav_with(claimed=80_000), "junk.wav")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == ("audio file 'junk.wav': the WAV file is cut short: its header "
                                           "announces 80000 frames, 800 are there")

