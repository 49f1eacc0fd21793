"""Interactive test calls of an IVR: `/api/test-calls` (start), `/<id>` (state, hang up), `/<id>/digits`.

The call itself runs in runtime/trial/session.py (the real flow engine against the ESL simulator,
waiting for each key press). This module only checks who may do what, reads the request, and turns the
session's state into JSON: a prompt with a recording gets the URL of its audio. Any tenant role may run a
test call (it changes nothing: no call record, no ticket, no SMS); another tenant's call id is 404.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, jsonify, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform.findings import has_errors
from ...platform.kinds.validation import validate_schema
from ...platform.models import Tenant
from ...platform.services.documents import DRAFT, DocumentService
from ...platform.tenant_zone import zone_of
from ...runtime.trial.entry import EntryRefused
from ...runtime.trial.errors import CallEnded, TestCallError, TooManyTestCalls
from .. import quotas
from ..auth import READ_DOCUMENTS, Principal, database, require_tenant
from ..i18n import current_locale
from ..redis_access import SETTINGS, redis_connections
from .documents import _field, json_body
from .errors import json_error
from .prompts import prompt_dir
from .test_call_mocks import read_mocks
from .test_call_words import draft_findings, entry_refusal, not_keys, refusal

if TYPE_CHECKING:
    from ...runtime.trial.session import TestCallManager

EXTENSION = "hotline.test_calls"
PHONE = re.compile(r"\+?[0-9]{3,20}")


def manager(app: Flask | None = None) -> TestCallManager:
    """The app's test-call manager, made on first use (Redis from the app config or the settings file).

    The runtime is imported here, not at module level: the web app starts and serves every other page
    even where the telephony stack cannot be imported.
    """
    from ...runtime.trial.session import TestCallManager

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(EXTENSION)
    if found is None:
        settings = app.extensions[SETTINGS]
        found = app.extensions.setdefault(EXTENSION, TestCallManager(
            database(), redis_connections(app), per_tenant=settings.limits_test_calls_per_tenant))
    return found


def _state(state: dict[str, Any]) -> dict[str, Any]:
    for prompt in state["prompts"]:
        name = prompt.pop("prompt", None)
        prompt["audio_url"] = url_for("api.prompts.prompt_audio", name=name) if name else None
    return state


def _tenant() -> tuple[Principal, int]:
    who = require_tenant(READ_DOCUMENTS)
    assert who.tenant is not None
    return who, who.tenant.tenant_id


#: The simulated time's refusal, in the reader's language: the field, the text, an example and the zone it is read in.
_BAD_TIME = {
    "en": "field 'at' must be a date and time such as 2026-11-23 10:00 (read in {zone}), not {text!r}",
    "zh_CN": "模拟来电时间应为日期和时间，例如 2026-11-23 10:00（按 {zone} 时间），您输入的是「{text}」",
}


def _moment(text: str | None, zone: ZoneInfo) -> datetime | None:
    """The optional `at` (pretend the call starts then, for business hours): "2026-11-23 10:00" is read in the
    tenant's zone, as every time the analyst sees is; a time with its own offset keeps it."""
    if text is None or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        message = _BAD_TIME.get(current_locale(), _BAD_TIME["en"])
        raise BadRequest(message.format(zone=zone.key, text=text)) from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _clock(moment: datetime | None, zone: ZoneInfo) -> dict[str, str]:
    """When the call pretends to start, in the tenant's zone and naming it: "2026-11-23 10:00", "UTC+08:00"."""
    local = (moment or datetime.now(UTC)).astimezone(zone)
    offset = local.strftime("%z")
    return {"at": local.strftime("%Y-%m-%d %H:%M"), "zone": zone.key, "offset": f"UTC{offset[:3]}:{offset[3:]}"}


def _errors(exc: TestCallError) -> ResponseReturnValue:
    if isinstance(exc, TooManyTestCalls):
        response, status = json_error(429, str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response, status
    if isinstance(exc, EntryRefused):
        return json_error(400, entry_refusal(exc, current_locale()))
    if isinstance(exc, CallEnded):
        return json_error(409, str(exc))
    return json_error(400, str(exc))


def blueprint() -> Blueprint:
    bp = Blueprint("test_calls", __name__)
    bp.register_error_handler(TestCallError, _errors)

    @bp.post("/test-calls")
    def start_test_call() -> ResponseReturnValue:
        who, tenant_id = _tenant()
        quotas.enforce("test_call", tenant_id)
        body = json_body()
        name = _field(body, "name", str)
        version = body.get("version", DRAFT)
        if version != DRAFT and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
            raise BadRequest(f"field 'version' must be 'draft' or a version number, not {version!r}")
        caller = _field(body, "caller", str, required=False, default="13800138000")
        did = _field(body, "did", str, required=False)
        with database().platform() as session:
            tenant = session.get(Tenant, tenant_id)
            zone = zone_of(tenant.settings if tenant is not None else None)
        at = _moment(_field(body, "at", str, required=False), zone)
        for field, value in (("caller", caller), ("did", did)):
            if value is not None and not PHONE.fullmatch(value):
                raise BadRequest(f"field {field!r} must be a phone number (3–20 digits), not {value!r}")
        with database().tenant(tenant_id) as session:
            ivr = DocumentService(session, who.username).body("ivr", name, version)
        findings = validate_schema("ivr", ivr)
        if has_errors(findings):
            worded = draft_findings(findings, ivr, current_locale())
            return json_error(422, refusal(worded, current_locale()), worded)
        mocks = read_mocks(body.get("mocks"), ivr, current_locale())  # this call only, never stored
        state = manager().start(tenant_id, who.username, name, version, caller, did, at, prompt_root=prompt_dir(),
                                mocks=mocks)
        return jsonify({**_state(state), "clock": _clock(at, zone)}), 201

    @bp.get("/test-calls/<call_id>")
    def get_test_call(call_id: str) -> ResponseReturnValue:
        _, tenant_id = _tenant()
        return jsonify(_state(manager().state(tenant_id, call_id)))

    @bp.post("/test-calls/<call_id>/digits")
    def press_digits(call_id: str) -> ResponseReturnValue:
        _, tenant_id = _tenant()
        digits = _field(json_body(), "digits", str)
        refused = not_keys(digits, current_locale())
        if refused:
            raise BadRequest(refused)
        return jsonify(_state(manager().press(tenant_id, call_id, digits)))

    @bp.post("/test-calls/<call_id>/no-input")
    def no_input(call_id: str) -> ResponseReturnValue:
        """The caller presses nothing: the waiting node times out now."""
        _, tenant_id = _tenant()
        return jsonify(_state(manager().no_input(tenant_id, call_id)))

    @bp.delete("/test-calls/<call_id>")
    def hang_up_test_call(call_id: str) -> ResponseReturnValue:
        _, tenant_id = _tenant()
        return jsonify(_state(manager().hangup(tenant_id, call_id)))

    return bp
