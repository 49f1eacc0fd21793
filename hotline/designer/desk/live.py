"""Live call state of one open desk: the agent's presence and its calls in the current tenant.

Two sources, each for what it is exact about:

* the tenant's ACD event stream gives the call transitions in order — offered (ringing), answered
  (talking), ended, and an offer withdrawn or not answered (ended, with why) — so a short call is never
  missed between two polls;
* the agent's presence hash gives the agent's own state (available, break, wrap-up with its deadline…)
  and shows a call of *another* tenant the shared agent serves, which this tenant's stream never names.

The runtime's call context (runtime/call/context.py) adds the caller, the IVR path and the variables. Held
is shown when the stream says so (kinds call_held / call_resumed); today's runtime has no hold, so it never
does yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ...runtime.acd import AcdEvent
from .acd_bridge import AgentNow, DeskAcd, wrap_up_left

#: ACD event kind → the call state the desk shows (for events naming this agent).
CALL_STATES = {"call_offered": "ringing", "call_answered": "talking", "call_held": "held",
               "call_resumed": "talking", "call_ended": "ended", "call_left": "ended", "call_requeued": "ended"}
Update = tuple[str, Any]


def names_agent(event: AcdEvent, agent_id: str) -> bool:
    """Whether the event is about this agent (a ring-all offer names several agents joined by ':')."""
    named = event.get("agent")
    return named is not None and agent_id in named.split(":")


def presence_view(agent: AgentNow | None, tenant_id: str) -> dict[str, Any]:
    if agent is None:
        return {"state": "offline", "logged_in": False}
    view = agent.as_dict()
    view["logged_in"] = True
    view["wrap_up_left"] = wrap_up_left(agent)
    view["other_tenant_call"] = bool(agent.call_tenant and agent.call_tenant != tenant_id
                                     and agent.state in ("ringing", "on_call"))
    if view["other_tenant_call"]:
        view["call"] = None  # another tenant's call id is not this tenant's business
    return view


@dataclass
class LiveDesk:
    """The state one SSE stream (or one JSON poll) reports for an agent working in a tenant."""

    acd: DeskAcd
    agent_id: str
    tenant_id: str
    #: How the desk opens a pop for a call: (caller, call uuid) → extra data for the page (customer names).
    pop_summary: Callable[[str | None, str], dict[str, Any]] = lambda caller, call: {}
    #: A queue's code → the label the agent reads ("vip" → "VIP专线"); the code itself when unknown.
    queue_label: Callable[[str], str] = lambda name: name
    after: str = "0-0"
    _presence: dict[str, Any] | None = None
    _calls: dict[str, dict[str, Any]] = field(default_factory=dict)

    def call_view(self, call_id: str, state: str, event: AcdEvent | None = None) -> dict[str, Any]:
        known = self._calls.get(call_id)
        if known is None:
            context = self.acd.call_context(call_id) or {}
            caller = context.get("caller")
            known = {"call": call_id, "caller": caller, "did": context.get("did"),
                     "path": context.get("path", []), "variables": context.get("variables", {}),
                     "entered": context.get("entered", []),
                     "customer_id": context.get("customer_id"),
                     "pop_url": "/desk/pop?" + urlencode({"phone": caller or "", "call": call_id})}
            outbound = context.get("outbound") or {}
            if (outbound.get("attempt") or {}).get("id"):  # a campaign call: the script runner is its pop
                known["pop_url"] = f"/desk/outbound/{int(outbound['attempt']['id'])}"
                known["campaign"] = (outbound.get("campaign") or {}).get("name")
            known.update(self.pop_summary(caller, call_id))
            self._calls[call_id] = known
        view = {**known, "state": state}
        # The agent reads the queue's label, never its code (QA of issue 11, item 2); the code stays beside it
        # for scripts. A desk opened mid-call (a reload) has no event: the ACD still knows the queue.
        code = event.get("queue") if event is not None else self.acd.call_queue(call_id)
        view["queue"], view["queue_name"] = (self.queue_label(code) if code else None), code
        if event is not None:
            view["at"] = event.at
            if event.kind in ("call_left", "call_requeued"):
                view["reason"] = event.get("reason") or ("no_answer" if event.kind == "call_requeued" else None)
        if state == "ended":
            self._calls.pop(call_id, None)
        return view

    def snapshot(self) -> dict[str, Any]:
        """Presence and the call in progress now (where a new stream or a JSON poll starts)."""
        self.after = self.acd.last_event_id(self.tenant_id)
        agent = self.acd.agent(self.agent_id)
        presence = presence_view(agent, self.tenant_id)
        self._presence = presence
        call = None
        if agent is not None and agent.call_id and not presence["other_tenant_call"]:
            state = {"ringing": "ringing", "on_call": "talking"}.get(agent.state)
            if state:
                call = self.call_view(agent.call_id, state)
        return {"presence": presence, "call": call}

    def poll(self) -> list[Update]:
        """What changed since the last snapshot or poll, as SSE updates (presence, call)."""
        updates: list[Update] = []
        for event in self.acd.events(self.tenant_id, self.after):
            self.after = event.id
            state = CALL_STATES.get(event.kind)
            call_id = event.get("call")
            if state is None or call_id is None:
                continue
            if names_agent(event, self.agent_id):
                updates.append(("call", self.call_view(call_id, state, event)))
            elif event.kind == "call_answered" and call_id in self._calls:  # a ring-all taken by someone else
                updates.append(("call", self.call_view(call_id, "ended", event) | {"reason": "taken"}))
        presence = presence_view(self.acd.agent(self.agent_id), self.tenant_id)
        if _changed(self._presence, presence):
            self._presence = presence
            updates.append(("presence", presence))
        return updates


def _changed(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    keys = ("state", "since", "reason", "call", "wrap_until", "other_tenant_call", "logged_in")
    return old is None or any(old.get(k) != new.get(k) for k in keys)
