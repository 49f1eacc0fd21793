"""Preview dialling on the desk (`/desk/preview`): the next contact of a running preview campaign the agent may
work, with the script's opening page, and two buttons — 拨打 (dial) and 跳过 (skip, with a reason from the list).

The platform decides everything (platform/outbound/preview.py: the claim under the agent's lease, the compliance
refusals, the attempt written first, the skip recorded on the attempt); this page renders and hands a dial to the
dialer process through Redis (runtime/dialer/preview_orders.py) after the transaction committed, so the dialer
never places a call whose attempt it cannot read. Dialled, the page moves on to the script runner for that call.
Agents only (the role that takes calls); another tenant's contact is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.acd import reservations
from ...platform.models import AgentSkill, Campaign, Contact, DialAttempt
from ...platform.outbound import campaigns, preview
from ...runtime.dialer import preview_orders
from ...runtime.dialer.preview_orders import reservation_seconds
from ..auth import require_tenant
from ..sessions import now
from .acd_bridge import desk_acd
from .common import CALL_ROLES, agent_id_of, tenant_session
from .script_runner import _VARIABLE


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/preview", "preview", preview_next, methods=["GET"])
    bp.add_url_rule("/preview/<int:attempt_id>/dial", "preview_dial", preview_dial, methods=["POST"])
    bp.add_url_rule("/preview/<int:attempt_id>/skip", "preview_skip", preview_skip, methods=["POST"])


def _agent() -> tuple[Any, str]:
    who = require_tenant(CALL_ROLES)
    agent = agent_id_of(who)
    if agent is None:
        abort(403, "you have no agent extension")
    return who, agent


def _view(session: Any, offer: preview.Offer) -> dict[str, Any]:
    attempt = session.get(DialAttempt, offer.attempt_id)
    campaign = session.get(Campaign, offer.campaign_id)
    contact = session.get(Contact, attempt.contact_id) if attempt.contact_id else None
    fields = {"name": contact.name if contact else "", "phone": attempt.phone_e164,
              **((contact.fields or {}) if contact else {})}
    script = campaigns.script_body(session, campaign)
    start = (script.get("pages") or {}).get(script.get("start") or "") or {}
    say = _VARIABLE.sub(lambda m: str(fields.get(m.group(1), "")), start.get("say") or "")
    return {"attempt": attempt, "campaign": campaign, "contact": fields, "page": start, "say": say,
            "script_title": script.get("title") or campaign.script}


#: Why an agent may not dial now, by their ACD state (QA 13e #2): a preview call placed while the agent is busy is
#: answered by the callee with no agent and counts as an abandon (and starts the 72-hour quiet time).
NOT_AVAILABLE = {
    "on_call": "You are on a call: finish it before dialling.",
    "ringing": "A call is ringing for you: take it before dialling.",
    "wrap_up": "Finish your wrap-up before dialling.",
}
SET_AVAILABLE = "Set yourself available (置闲) before dialling."
#: The agent is reserved for a preview callee they dialled, still ringing: a second 拨打 would give two callees one
#: agent (the ACD state stays `available` while reserved, so the state alone let it through).
STILL_RINGING = ("The preview call you dialled is still ringing: wait until it is answered or ends before "
                 "dialling again.")


def why_not_available(agent: str) -> str | None:
    """The words (catalogue key) for why the agent may not dial now, or None when their ACD state is available;
    an agent the ACD does not know (not signed in at the desk) may not dial either. What the page shows; the dial
    itself is decided by the atomic reservation (`refusal`)."""
    found = desk_acd().agent(agent)
    if found is not None and found.state == "available":
        return STILL_RINGING if found.reserved else None
    return NOT_AVAILABLE.get(found.state if found is not None else "", SET_AVAILABLE)


def refusal(reply: str) -> str:
    """The words (catalogue key) for a reservation refused by reservations.reserve_if_free's `reply`."""
    if reply == "reserved":
        return STILL_RINGING
    return NOT_AVAILABLE.get(reply, SET_AVAILABLE)


class _Refused(Exception):
    """The agent could not be reserved: the dial's transaction is rolled back (the contact stays held)."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words


def preview_next(problem: str | None = None, status: int = 200) -> ResponseReturnValue:
    who, agent = _agent()
    busy = why_not_available(agent)
    with tenant_session(who) as session:
        skills = set(session.scalars(select(AgentSkill.skill).where(AgentSkill.user_id == who.user_id)))
        offer = preview.offer(session, agent, skills, now())
        view = _view(session, offer) if offer is not None else None
        return render_template("desk/preview.html", view=view, reasons=list(preview.SKIP_REASONS),
                               problem=problem, busy=busy), status


def preview_dial(attempt_id: int) -> ResponseReturnValue:
    who, agent = _agent()
    with tenant_session(who) as session:
        if session.get(DialAttempt, attempt_id) is None:
            abort(404)
    busy = why_not_available(agent)
    if busy is not None:  # the contact stays held for the agent; the page says why and offers it again
        return preview_next(busy, 409)
    bridge = desk_acd()
    order = None
    try:
        with tenant_session(who) as session:
            order = preview.dial(session, attempt_id, agent, now())
            # The agent waits for this callee: no other call is offered to them until it answers, fails or times
            # out. Reserved before the commit, checked and written in one Lua script: of two tabs pressing 拨打 at
            # the same instant only the one whose reservation lands commits its dial; the other rolls back.
            reply = reservations.reserve_if_free(bridge.redis, bridge.prefix, agent, order.call_uuid,
                                                 reservation_seconds(order))
            if reply != reservations.RESERVED:
                order = None
                raise _Refused(refusal(reply))
    except LookupError:
        return preview_next("This contact is no longer held for you.", 409)
    except _Refused as refused:
        return preview_next(refused.words, 409)
    except BaseException:
        if order is not None:  # reserved, but the dial was not committed: the agent is free again
            reservations.release(bridge.redis, bridge.prefix, agent, order.call_uuid)
        raise
    # after the commit: the dialer reads the attempt it is told to place
    preview_orders.push(bridge.redis, f"{bridge.prefix}:dialer", order)
    return redirect(url_for("desk.outbound_script", attempt_id=attempt_id))


def preview_skip(attempt_id: int) -> ResponseReturnValue:
    who, agent = _agent()
    reason = request.form.get("reason") or ""
    if reason not in preview.SKIP_REASONS:
        return preview_next("Choose why you skip this contact.", 400)
    try:
        with tenant_session(who) as session:
            if session.get(DialAttempt, attempt_id) is None:
                abort(404)
            preview.skip(session, attempt_id, agent, reason, now())
    except LookupError:
        return preview_next("This contact is no longer held for you.", 409)
    return redirect(url_for("desk.preview"))
