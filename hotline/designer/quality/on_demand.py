"""Recording on demand (按需录音) from the agent desk: POST /quality/api/calls/<uuid>/record.

Only the agent on that call (their extension's ACD presence names the call, for this tenant) may start it, and
only where the policy of the call's queue (else the tenant's) is `on_demand`. The web app sends
`uuid_record <uuid> start <[switch] recordings>/calls/<tenant>/<date>/<uuid>.wav` through the switch's inbound
socket; the runtime learns the file from RECORD_START and links it to the call record when the call ends
(runtime/call/recording.py). Audited as `recording.start`. Answers: 202 {"recording": path} when the switch
started it; a refusal is {"error": the reason in the request's language, "code": a stable code for scripts}
(task 15a item 6: the desk showed the English reason on a Chinese page) — 403 no_tenant and not_allowed (task 15c
item 2: the role refusal was the app's English sentence without a code), 400 no_extension, 404 not_your_call,
409 not_on_demand (the reason names the policy by its label), 502 switch_unreachable.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.acd.keys import DEFAULT_PREFIX
from ...platform.models import AgentExtension, RecordingPolicy, Role
from ...platform.services import audit, live_listen
from ...platform.switch_commands import SwitchCommandError, bgapi
from ..auth import require_user
from ..i18n import current_locale, translate
from ..redis_access import SETTINGS, redis_connections
from .common import tenant_session

RECORD = frozenset({Role.AGENT})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/calls/<uuid>/record", "api_record", start, methods=["POST"])


def start(uuid: str) -> ResponseReturnValue:
    settings = current_app.extensions[SETTINGS]
    who = require_user()  # signed out: the app's 401; a refused role is worded and coded like the other refusals
    if who.tenant is None:
        return _refused(403, "no_tenant", "choose a tenant to work in first")
    if not who.may(RECORD):
        return _refused(403, "not_allowed", "your role in this tenant does not allow this")
    with tenant_session(RECORD) as (session, who):
        assert who.tenant is not None
        tenant = who.tenant.tenant_id
        extension = session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == who.user_id))
        if extension is None:
            return _refused(400, "no_extension", "You have no extension, so you are on no call.")
        prefix = current_app.config.get("HOTLINE_ACD_PREFIX", DEFAULT_PREFIX)
        fields = live_listen.on_call(redis_connections().sync, prefix, tenant, extension)
        if fields is None or fields["call"] != uuid:
            return _refused(404, "not_your_call", "Call {call} is not your call in progress.", call=uuid[:64])
        policies = {p.queue: p.mode for p in session.scalars(select(RecordingPolicy))}
        mode = policies.get(fields.get("queue") or "") or policies.get("") or "never"
        if mode != "on_demand":
            return _refused(409, "not_on_demand", "This call's recording is set to “{mode}”, not on demand.",
                            mode=translate(mode, current_locale()))
        relative = f"calls/{tenant}/{datetime.now(UTC):%Y-%m-%d}/{uuid}.wav"
        path = f"{settings.switch_recordings.rstrip('/')}/{relative}"
        try:
            job = bgapi(settings.esl_host, settings.esl_port, settings.esl_password, f"uuid_record {uuid} start {path}")
        except SwitchCommandError as exc:
            return _refused(502, "switch_unreachable", "The switch did not start the recording: {why}",
                            why=str(exc))
        audit.record(session, who.username, "recording.start", "call", uuid, {"recording": relative, "job": job})
        return jsonify({"recording": relative}), 202


def _refused(status: int, code: str, sentence: str, **values: str) -> ResponseReturnValue:
    """A refusal the desk shows as it is: the sentence in the request's language with its values, and the code."""
    return jsonify({"error": translate(sentence, current_locale()).format(**values), "code": code}), status
