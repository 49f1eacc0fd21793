"""The workspace page, presence changes, and the live state (SSE stream and its JSON twin).

`/desk/events` streams `presence` and `call` updates (live.py); `/desk/api/state` answers the same
snapshot as JSON, for scripts, tests, and a page that cannot keep a stream open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Queue, RecordingPolicy
from ...platform.services import customers as customer_service
from ...platform.services import ticket_desk
from ...runtime.acd import AgentBusy, UnknownAgent
from .. import sse
from ..api.errors import json_error
from ..auth import Principal, database
from ..i18n import current_locale, translate
from .acd_bridge import desk_acd
from .common import CALL_ROLES, agent_id_of, require_desk, tenant_id
from .live import LiveDesk
from .script_runner import pending_disposition

BREAK_REASONS = ("rest", "lunch", "meeting", "training")
MAX_REASON = 64
#: An agent in these states has a call; the desk refuses every presence change but "available" (docs/desk.md).
BUSY_STATES = ("ringing", "on_call")
MAX_WRAP_UP_SECONDS = 3600


def _t(text: str) -> str:
    """A message for the page's script, in the request's language (the script shows it as is)."""
    return translate(text, current_locale())


def _served(who: Principal) -> list[ticket_desk.ServedTenant]:
    with database().platform() as session:
        return ticket_desk.served_tenants(session, who.user_id)


def _takes_calls(who: Principal) -> bool:
    return who.tenant is not None and bool(who.tenant.roles & CALL_ROLES)


def _pop_summary(who: Principal) -> Any:
    """For call updates: the names of the customers with the calling number (the page shows them at once)."""
    def summary(caller: str | None, call: str) -> dict[str, Any]:
        context = desk_acd().call_context(call) or {}
        with database().tenant(tenant_id(who)) as session:
            path = ticket_desk.path_labels(session, context.get("ivr"), context.get("ivr_version"),
                                           context.get("path") or [])  # node labels, not ids
            if not caller:
                return {"customers": [], "path": path}
            found = customer_service.find_by_phone(session, caller)
            return {"customers": [{"id": c.id, "name": c.name, "vip": c.vip} for c in found], "path": path}
    return summary


def _queue_labels(who: Principal) -> Callable[[str], str]:
    """The tenant's queue labels, read once per desk stream (a call update names the queue by its code)."""
    with database().tenant(tenant_id(who)) as session:
        labels = {name: label for name, label in session.execute(select(Queue.name, Queue.label))}
    return lambda name: labels.get(name) or name


def live_desk(who: Principal) -> LiveDesk | None:
    if not _takes_calls(who):
        return None
    agent = agent_id_of(who)
    assert agent is not None
    return LiveDesk(desk_acd(), agent, str(tenant_id(who)), _pop_summary(who), queue_label=_queue_labels(who))


def register(bp: Blueprint) -> None:
    @bp.get("/")
    def workspace() -> ResponseReturnValue:
        who = require_desk()
        with database().tenant(tenant_id(who)) as session:
            forms = ticket_desk.published_forms(session)
            # The recording mode per queue ("" = the tenant's default): the 录音 button shows on a call whose
            # queue records on demand (POST /quality/api/calls/<uuid>/record, quality/on_demand.py).
            record_modes = dict(session.execute(select(RecordingPolicy.queue, RecordingPolicy.mode)).all())
        agent = agent_id_of(who) if _takes_calls(who) else None
        return render_template("desk/workspace.html", served=_served(who), agent_id=agent, forms=forms,
                               takes_calls=agent is not None, break_reasons=BREAK_REASONS,
                               current_tenant=tenant_id(who), record_modes=record_modes)

    @bp.get("/api/state")
    def state() -> ResponseReturnValue:
        who = require_desk()
        desk = live_desk(who)
        served = [{"tenant": t.slug, "title": t.title, "roles": sorted(t.roles), "skills": t.skills,
                   "skill_labels": t.skill_labels,
                   "takes_calls": t.takes_calls} for t in _served(who)]
        if desk is None:
            return jsonify(agent=None, presence=None, call=None, served=served)
        return jsonify(agent=desk.agent_id, served=served, **desk.snapshot())

    @bp.post("/api/presence")
    def presence() -> ResponseReturnValue:
        who = require_desk()
        if not _takes_calls(who):
            return json_error(403, _t("You have no agent role in this tenant."))
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return json_error(400, "send a JSON object: {state, reason?, wrap_up_seconds?}")
        target = body.get("state")
        reason = body.get("reason") or None
        seconds = body.get("wrap_up_seconds")
        if target not in ("available", "break", "wrap_up", "offline"):
            return json_error(400, f"state must be available, break, wrap_up or offline, not {target!r}")
        if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_REASON):
            return json_error(400, f"reason is a text of at most {MAX_REASON} characters")
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)
                                    or not 0 < seconds <= MAX_WRAP_UP_SECONDS):
            return json_error(400, f"wrap_up_seconds is a number of seconds from 1 to {MAX_WRAP_UP_SECONDS}")
        agent = agent_id_of(who)
        assert agent is not None
        if target == "available":  # an outbound call's wrap-up ends with its disposition (script_runner.py)
            with database().tenant(tenant_id(who)) as session:
                waiting = pending_disposition(session, agent)
                if waiting is not None:
                    return json_error(409, _t("Finish the outbound call's disposition first."),
                                      outbound=f"/desk/outbound/{waiting.id}")
        acd = desk_acd()
        try:
            current = acd.agent(agent)
            if current is not None and current.state in BUSY_STATES and target != "available":
                # docs/desk.md: 409 while ringing or on a call. The ACD itself lets an agent go offline while
                # busy (a runtime-side logout: the ringing call comes back to the queue), but from the desk
                # that left the call going on with no call on the page (QA of issue 11, item 3).
                raise AgentBusy(f"agent {agent} is {current.state}")
            if current is None or current.state == "offline":
                # Signing in (again): tenants and skills are read now, so an admin's change applies. The
                # agent signs in offline and then makes its one change: signing in as available and then
                # setting the state let a waiting call be offered in between, and the change was refused.
                acd.login(agent, ticket_desk.acd_skills(_served(who)), state="offline")
            now = acd.set_state(agent, target, reason if target == "break" else None,
                                wrap_up_seconds=seconds if target == "wrap_up" else None)
        except AgentBusy:
            ringing = acd.agent(agent)
            if target == "available" and ringing is not None and ringing.state in BUSY_STATES:
                # Asked to take calls and a call is already offered: that is what was asked for.
                desk = LiveDesk(acd, agent, str(tenant_id(who)))
                return jsonify(presence=desk.snapshot()["presence"], agent=agent)
            return json_error(409, _t("Your presence cannot change while a call rings or is connected."))
        except UnknownAgent:  # pragma: no cover - the login above makes it known
            return json_error(409, "the ACD does not know this agent; reload the page")
        desk = LiveDesk(acd, agent, str(tenant_id(who)))
        return jsonify(presence=desk.snapshot()["presence"], agent=now.agent_id)

    @bp.get("/events")
    def events() -> ResponseReturnValue:
        who = require_desk()
        desk = live_desk(who)
        try:  # how long one stream lasts before the browser reconnects (tests ask for less)
            seconds = min(max(float(request.args.get("max_seconds") or 300), 0.5), 300.0)
        except ValueError:
            seconds = 300.0
        if desk is None:
            return sse.stream(lambda: [], max_seconds=seconds)
        first = desk.snapshot()
        pending: list[tuple[str, Any]] = [("presence", first["presence"]), ("call", first["call"])]

        def poll() -> list[tuple[str, Any]]:
            if pending:
                out = list(pending)
                pending.clear()
                return out
            return desk.poll()

        return sse.stream(poll, interval=0.3, max_seconds=seconds)
