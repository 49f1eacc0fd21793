"""`POST /api/prompts/preview` — a prompt's text spoken by the deployment's TTS engine, so an analyst hears it
while typing it in the IVR designer (issue 16: "prompts with play/upload and a TTS preview").

The same engine and cache as the publish-time rendering (`platform.prompt_tts.render`): what is heard here is
what callers hear, and a text previewed once is not rendered again at publish. Bounded: a preview is a sentence
or two (`MAX_PREVIEW_TEXT` characters) and each tenant gets `PREVIEWS_PER_MINUTE` of them (rendering runs a
process or calls a service), over which it answers 429 saying when to try again.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request, send_file
from flask.typing import ResponseReturnValue

from ...platform import prompt_tts, rate_limits
from ..auth import READ_DOCUMENTS, require_tenant
from ..quotas import QuotaExceeded
from ..redis_access import SETTINGS, redis_connections
from ..sessions import now
from .errors import json_error
from .prompts import prompt_dir

MAX_PREVIEW_TEXT = 300
PREVIEWS_PER_MINUTE = 30


def blueprint() -> Blueprint:
    bp = Blueprint("prompt_preview", __name__)

    @bp.post("/prompts/preview")
    def preview_prompt() -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        assert who.tenant is not None
        body = request.get_json(silent=True)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            return json_error(400, "/text: the text to speak is missing (a JSON object {\"text\": \"...\"})")
        spoken = prompt_tts.spoken_text(text)
        if not spoken:
            return json_error(400, "/text: nothing to speak (empty, or only stage directions in brackets)")
        if len(spoken) > MAX_PREVIEW_TEXT:
            return json_error(400, f"/text: {len(spoken)} characters; a preview speaks at most {MAX_PREVIEW_TEXT}")
        engine = prompt_tts.engine_from_settings(current_app.extensions[SETTINGS])
        if engine is None:
            return json_error(409, "no TTS engine is configured ([prompts] tts in config.toml): the text is read "
                                   "by the switch at call time and cannot be previewed here")
        namespace = str(current_app.config.get("HOTLINE_LIMITS_NAMESPACE", ""))
        verdict = rate_limits.fixed_window(redis_connections().sync, f"{namespace}tts_preview:{who.tenant.tenant_id}",
                                           PREVIEWS_PER_MINUTE, 60, now().timestamp())
        if not verdict.allowed:
            raise QuotaExceeded(f"Your organisation has used its {PREVIEWS_PER_MINUTE} prompt previews per minute; "
                                f"try again in {verdict.retry_after} seconds.", verdict.retry_after)
        try:
            path = prompt_tts.render(prompt_dir(), who.tenant.tenant_id, spoken, engine)
        except prompt_tts.TtsError as exc:
            return json_error(502, f"the TTS engine could not speak the text: {exc}")
        response = send_file(path, mimetype="audio/wav", max_age=0)
        response.cache_control.private = True
        return response

    return bp
