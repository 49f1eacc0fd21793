"""Listen in, whisper, barge (监听、密语、强插) into an agent's call, for supervisors and QA.

GET /quality/live: the tenant's agents on a call now (the ACD presence), each with three buttons.
POST /quality/live/<agent>/<mode> (mode listen, whisper or barge; CSRF): the switch rings the supervisor's own
extension (Administration → Tenant → Agent extensions) and joins the call (platform/services/live_listen.py);
each use is audited as `live.<mode>` with the call, the agent and the extension. One session per supervisor per
call: a second mode on a call the supervisor is already joined (or being rung for) switches that session's mode with
eavesdrop's DTMF instead of ringing again. An agent not on a call of this tenant is a 404 saying so; the supervisor
without an extension a 400; a switch that cannot be reached a 502.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.acd.keys import DEFAULT_PREFIX, check_id
from ...platform.models import AgentExtension, Membership, Role, User
from ...platform.services import audit, live_listen
from ...platform.switch_commands import SwitchCommandError, api, bgapi
from ..i18n import current_locale, translate
from ..redis_access import SETTINGS, redis_connections
from ..wallboard.source import acd_reader
from .common import tenant_session

LIVE = frozenset({Role.SUPERVISOR, Role.QA})
#: A session claimed this recently may be an originate the switch has not created yet: wait for its leg this long.
FRESH_SECONDS = 5.0
LEG_WAIT_SECONDS = 2.0


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/live", "live", live_page, methods=["GET"])
    bp.add_url_rule("/live/<agent>/<mode>", "live_join", join, methods=["POST"])


def live_page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    with tenant_session(LIVE) as (session, who):
        assert who.tenant is not None
        snapshot = acd_reader().snapshot(str(who.tenant.tenant_id))
        ids = [a.agent_id for a in snapshot.agents if a.state == "on_call"]
        named = _names_by_extension(session, who.tenant.tenant_id, ids)
    # an agent whose ACD id is no member's extension has no phone leg to join: listed, without buttons (task E item 4)
    agents = [{"id": agent, "name": f"{named[agent]} ({agent})" if agent in named else agent,
               "extension": agent in named} for agent in ids]
    return render_template("quality/live.html", agents=agents, error=error or snapshot.error,
                           modes=list(live_listen.MODES)), status


def _names_by_extension(session: Any, tenant_id: int, extensions: list[str]) -> dict[str, str]:
    """The members of the tenant behind these extensions, by display name (else username): the page shows
    "王芳 (1001)", not the bare extension (QA of issue 15, item 8)."""
    if not extensions:
        return {}
    rows = session.execute(select(AgentExtension.extension, User.display_name, User.username)
                           .join(User, User.id == AgentExtension.user_id)
                           .join(Membership, Membership.user_id == User.id)
                           .where(Membership.tenant_id == tenant_id, AgentExtension.extension.in_(extensions))
                           .distinct())
    return {extension: display or username for extension, display, username in rows}


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else value or ""


def _existing_leg(settings: Any, redis: Any, key: str) -> str | None:
    """The supervisor's leg on this call while it is still up, else None (the key then names a session gone)."""
    value = redis.get(key)
    if not value:
        return None
    leg, _, since = _text(value).partition(" ")
    try:
        fresh = time.time() - float(since) < FRESH_SECONDS
    except ValueError:
        fresh = False
    deadline = time.monotonic() + (LEG_WAIT_SECONDS if fresh else 0.0)
    while True:
        [exists] = api(settings.esl_host, settings.esl_port, settings.esl_password, [f"uuid_exists {leg}"])
        if exists == "true":
            return leg
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def join(agent: str, mode: str) -> ResponseReturnValue:
    locale = current_locale()
    if mode not in live_listen.MODES:
        return live_page(translate("Unknown mode.", locale), 400)
    try:
        check_id("agent", agent)
    except ValueError:
        return live_page(translate("That agent is not on a call.", locale), 404)
    settings = current_app.extensions[SETTINGS]
    with tenant_session(LIVE) as (session, who):
        assert who.tenant is not None
        prefix = current_app.config.get("HOTLINE_ACD_PREFIX", DEFAULT_PREFIX)
        redis = redis_connections().sync
        call = live_listen.current_call(redis, prefix, who.tenant.tenant_id, agent)
        if call is None:
            return live_page(translate("That agent is not on a call.", locale), 404)
        extension = session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == who.user_id))
        if extension is None:
            return live_page(translate("You have no extension for the switch to ring.", locale), 400)
        key = live_listen.session_key(prefix, who.tenant.tenant_id, who.user_id, call)
        leg = str(uuid.uuid4())
        claim = f"{leg} {time.time()}"
        try:
            if not redis.set(key, claim, nx=True, ex=live_listen.SESSION_SECONDS):
                existing = _existing_leg(settings, redis, key)
                if existing is not None:
                    api(settings.esl_host, settings.esl_port, settings.esl_password,
                        live_listen.switch_commands(existing, mode))
                    audit.record(session, who.username, f"live.{mode}", "call", call,
                                 {"agent": agent, "extension": extension, "leg": existing, "switched": True})
                    flash(translate("You are already on this call: it switched to {mode}.", locale)
                          .format(mode=translate(f"live.{mode}", locale)))
                    return redirect(url_for("quality.live"))
                redis.set(key, claim, ex=live_listen.SESSION_SECONDS)
            command = live_listen.originate(settings.switch_agent_dial_string, extension, call, mode, who.username,
                                            leg)
            job = bgapi(settings.esl_host, settings.esl_port, settings.esl_password, f"originate {command}")
        except SwitchCommandError as exc:
            if _text(redis.get(key)) == claim:
                redis.delete(key)
            return live_page(str(exc), 502)
        audit.record(session, who.username, f"live.{mode}", "call", call,
                     {"agent": agent, "extension": extension, "job": job, "leg": leg})
    flash(translate("Your phone rings; answer it to join the call.", locale))
    return redirect(url_for("quality.live"))
