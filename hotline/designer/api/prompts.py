"""Prompts: `POST /api/prompts` (multipart: name, text, optional audio) and `GET /api/prompts/<name>/audio`.

A prompt is text read by TTS, optionally with a recording; the text doubles as the transcript the test
call and the trace show. Audio is checked by its content, not by the name or the browser's content type
(WAVE in a RIFF container, MP3 with an ID3 tag or an MPEG audio frame, Ogg), then decoded as that
container (`platform.audio_check`: every frame or page present, 8–48 kHz, at most 5 minutes), and is at
most 5 MB: a prompt is seconds of speech, anything larger is a mistake. The file is stored by
`platform.prompt_storage` under the prompt folder (setting HOTLINE_PROMPT_DIR in the app config, default
`var/prompts` next to config.toml): in the tenant's own sub-folder, named by the SHA-256 of its bytes. The
Prompt row keeps only that name (a reference, never a path), and audio is served only from the caller's
tenant folder, whatever a row says.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ...platform import audio_check, prompt_storage
from ...platform.models import Prompt
from ...platform.services import audit
from ..auth import READ_DOCUMENTS, WRITE_DOCUMENTS, database, require_tenant
from .context import prompt_entry
from .errors import json_error

MAX_AUDIO_BYTES = 5 * 1024 * 1024
#: Room for the other form fields and the multipart framing around the file.
MAX_UPLOAD_BYTES = MAX_AUDIO_BYTES + 256 * 1024
MAX_TEXT = 2000
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
MIME = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg"}
UPLOAD_ENDPOINT = "api.prompts.create_prompt"


def prompt_dir() -> Path:
    configured = current_app.config.get("HOTLINE_PROMPT_DIR")
    return Path(configured) if configured else prompt_storage.default_root()


def sniff_audio(head: bytes) -> str | None:
    """The audio format by its first bytes: 'wav', 'mp3', 'ogg', or None for anything else."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3":
        return "mp3"
    # An MPEG audio frame header: 11 sync bits, then a version other than 'reserved' and a layer.
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x18) != 0x08 \
            and (head[1] & 0x06) != 0:
        return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    return None


def _raise_upload_limit() -> ResponseReturnValue | None:
    """Before every other hook (the CSRF check reads the form): the upload may be larger than the app's
    JSON limit, up to MAX_UPLOAD_BYTES; beyond that, a clear 413 without reading the body."""
    if request.endpoint != UPLOAD_ENDPOINT:
        return None
    if request.content_length is not None and request.content_length > MAX_UPLOAD_BYTES:
        return json_error(413, f"the upload is {request.content_length / 1024 / 1024:.1f} MB; a prompt recording "
                               f"may be at most {MAX_AUDIO_BYTES // 1024 // 1024} MB")
    request.max_content_length = MAX_UPLOAD_BYTES
    return None


def _read_audio(upload: FileStorage) -> tuple[bytes, str]:
    data = upload.stream.read(MAX_AUDIO_BYTES + 1)
    if len(data) > MAX_AUDIO_BYTES:
        abort(413, f"audio file {upload.filename!r} is larger than {MAX_AUDIO_BYTES // 1024 // 1024} MB")
    if not data:
        abort(400, f"audio file {upload.filename!r} is empty")
    kind = sniff_audio(data[:16])
    if kind is None:
        abort(400, f"audio file {upload.filename!r} is not WAV, MP3 or Ogg audio (checked by its content)")
    try:
        audio_check.check_audio(data, kind)
    except audio_check.AudioRefused as exc:
        abort(400, f"audio file {upload.filename!r}: {exc}")
    return data, kind


def blueprint() -> Blueprint:
    bp = Blueprint("prompts", __name__)

    @bp.record_once
    def _install_limit(state: Any) -> None:
        state.app.before_request_funcs.setdefault(None, []).insert(0, _raise_upload_limit)

    @bp.post("/prompts")
    def create_prompt() -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        assert who.tenant is not None
        name = (request.form.get("name") or "").strip()
        text = (request.form.get("text") or "").strip()
        upload = request.files.get("audio")
        if not NAME.fullmatch(name):
            abort(400, f"prompt name {name!r} must start with a letter or '_' and use only letters, digits, "
                       "'_' and '-' (at most 64)")
        if len(text) > MAX_TEXT:
            abort(400, f"prompt text is {len(text)} characters; at most {MAX_TEXT}")
        audio = _read_audio(upload) if upload is not None and upload.filename else None
        if not text and audio is None:
            abort(400, "a prompt needs its text (read by TTS, and the transcript of a recording) or an audio file")
        tenant_id = who.tenant.tenant_id
        replaced = None
        with database().tenant(tenant_id) as session:
            prompt = session.scalar(select(Prompt).where(Prompt.name == name))
            created = prompt is None
            if prompt is None:
                prompt = Prompt(name=name, text=text)
                session.add(prompt)
            elif text:
                prompt.text = text
            if audio is not None:
                replaced = prompt.audio_path
                prompt.audio_path = prompt_storage.put(prompt_dir(), tenant_id, *audio)
            session.flush()
            in_use = set(session.scalars(select(Prompt.audio_path).where(Prompt.audio_path.is_not(None))))
            audit.record(session, who.username, "prompt.create" if created else "prompt.update", "prompt", name,
                         {"audio": audio[1] if audio else None, "bytes": len(audio[0]) if audio else 0})
            body = prompt_entry(prompt)
        if replaced is not None:  # after the commit: no prompt of the tenant points at it any more
            prompt_storage.release(prompt_dir(), tenant_id, replaced, in_use)
        return jsonify(body), 201 if created else 200

    @bp.get("/prompts/<name>/audio")
    def prompt_audio(name: str) -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        assert who.tenant is not None
        with database().tenant(who.tenant.tenant_id) as session:
            prompt = session.scalar(select(Prompt).where(Prompt.name == name))
            if prompt is None:
                return json_error(404, f"prompt {name!r} not found")
            stored = prompt.audio_path
        path = prompt_storage.path_for(prompt_dir(), who.tenant.tenant_id, stored)
        if path is None:
            return json_error(404, f"prompt {name!r} has no recording")
        kind = path.suffix.lstrip(".")
        response = send_file(path, mimetype=MIME.get(kind, "application/octet-stream"), conditional=True,
                             max_age=3600)
        response.cache_control.private = True
        return response

    return bp
