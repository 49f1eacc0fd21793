"""Listen in, whisper, barge (监听、密语、强插) into an agent's call, for supervisors and QA.

GET /quality/live: the tenant's agents on a call now (the ACD presence), each with three buttons.
POST /quality/live/<agent>/<mode> (mode listen, whisper or barge; CSRF): the switch rings the supervisor's own
extension (Administration → Tenant → Agent extensions) and joins the call (platform/services/live_listen.py);
each use is audited as `live.<mode>` with the call, the agent and the extension. An agent not on a call of this tenant
is a 404 saying so; the supervisor without an extension a 400; a switch that cannot be reached a 502.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.acd.keys import DEFAULT_PREFIX, check_id
from ...platform.models import AgentExtension, Membership, Role, User
from ...platform.services import audit, live_listen
from ...platform.switch_commands import SwitchCommandError, bgapi
from ..i18n import current_locale, translate
from ..redis_access import SETTINGS, redis_connections
from ..wallboard.source import acd_reader
from .common import tenant_session

LIVE = frozenset({Role.SUPERVISOR, Role.QA})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/live", "live", live_page, methods=["GET"])
    bp.add_url_rule("/live/<agent>/<mode>", "live_join", join, methods=["POST"])


def live_page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    with tenant_session(LIVE) as (session, who):
        assert who.tenant is not None
        snapshot = acd_reader().snapshot(str(who.tenant.tenant_id))
        ids = [a.agent_id for a in snapshot.agents if a.state == "on_call"]
        named = _names_by_extension(session, who.tenant.tenant_id, ids)
    agents = [{"id": agent, "name": f"{named[agent]} ({agent})" if agent in named else agent} for agent in ids]
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
        call = live_listen.current_call(redis_connections().sync, prefix, who.tenant.tenant_id, agent)
        if call is None:
            return live_page(translate("That agent is not on a call.", locale), 404)
        extension = session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == who.user_id))
        if extension is None:
            return live_page(translate("You have no extension for the switch to ring.", locale), 400)
        command = live_listen.originate(settings.switch_agent_dial_string, extension, call, mode, who.username)
        try:
            job = bgapi(settings.esl_host, settings.esl_port, settings.esl_password, f"originate {command}")
        except SwitchCommandError as exc:
            return live_page(str(exc), 502)
        audit.record(session, who.username, f"live.{mode}", "call", call,
                     {"agent": agent, "extension": extension, "job": job})
    flash(translate("Your phone rings; answer it to join the call.", locale))
    return redirect(url_for("quality.live"))
