"""The live state of a campaign call on the desk's script runner (issue 13, 13b #4): after 拨打 the agent saw the
script and nothing about the call. The state is read from the attempt the dialer writes (outcomes.py): `dialing`
until the originate has a result (the callee's phone rings), then `answered` (and `ended` once the runtime wrote
its end), or the failure (busy, no answer, failed, invalid, machine, …). Each state names what the agent can do
now; the page shows the state's label, never its code, and the parts of the page that fit it
(`GET /desk/outbound/<attempt>/state`, polled by desk/static/desk/call_state.js until the state is final).
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from ...platform.models import DialAttempt
from ..i18n import current_locale, translate
from .acd_bridge import desk_acd
from .common import agent_id_of, require_desk, tenant_session

#: Polling interval the page uses, in milliseconds, while the state is not final.
POLL_MS = 1000
#: What the agent can do in each state: the page shows the elements marked data-when with one of these.
ACTIONS = {
    "ringing": ("wait",),
    "answered": ("script", "wrap_up"),
    "ended": ("script", "wrap_up"),
    "not_connected": ("wrap_up", "next_contact"),
}


def state_of(attempt: DialAttempt) -> str:
    """ringing / answered / ended, or the outcome of a call that did not connect (busy, no_answer, …)."""
    if attempt.answered_at is not None or attempt.outcome == "answered":
        return "ended" if attempt.ended_at is not None else "answered"
    if attempt.outcome == "dialing":
        return "ringing"
    return attempt.outcome or "failed"


def describe(attempt: DialAttempt, locale: str) -> dict[str, Any]:
    """The call's state for the page: code (for the page's logic), label (for the agent), final, actions."""
    state = state_of(attempt)
    group = state if state in ACTIONS else "not_connected"
    key = {"ringing": "call.ringing", "answered": "call.answered", "ended": "call.ended"}.get(state,
                                                                                            f"outcome.{state}")
    label = translate(key, locale)
    if label == key:  # an outcome nobody labelled: say it did not connect rather than show a code
        label = translate("call.not_connected", locale)
    return {"state": state, "group": group, "label": label, "final": state != "ringing" and state != "answered",
            "actions": list(ACTIONS[group]), "poll_ms": POLL_MS}


def presence_of(who: Any) -> str | None:
    """The agent's ACD state now (ringing / on_call / wrap_up …), None when not signed in: the page's header shows
    it on each poll, as the desk's stream does for inbound calls (QA 13e #4: it stayed 空闲 during a preview call)."""
    agent = agent_id_of(who, create=False)
    found = desk_acd().agent(agent) if agent else None
    return found.state if found is not None else None


def call_state(attempt_id: int) -> ResponseReturnValue:
    """The JSON the page polls; another tenant's attempt (or one that is not a campaign call) is a 404."""
    who = require_desk()
    with tenant_session(who) as session:
        attempt = session.get(DialAttempt, attempt_id)
        if attempt is None or attempt.campaign_id is None:
            abort(404)
        described = describe(attempt, current_locale())
    return jsonify({**described, "next_url": url_for("desk.preview"), "presence": presence_of(who)})
