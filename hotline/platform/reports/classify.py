"""What one call record or one ticket adds to the report rows: the single definition of every figure.

The interval rows (intervals.py) and the from-raw-records comparison of the benchmark both go through
here, so a figure cannot mean one thing in a report and another in a rebuild.

Calls (inbound, test calls left out):

* offered: the call was handed to a queue (`queue` set); answered: an agent answered (`answered_at`, or the
  trace's queue status "answered", as the wallboard counts);
* abandoned in the queue: offered, not answered, the caller hung up (outcome `abandoned`/`no_ivr_abandoned`
  or the queue status "abandoned"); a short abandon when the wait was at most the tenant's
  `short_abandon_seconds` (default 5 s) — counted apart, not in abandoned_queue;
* timed out in the queue (排队超时): offered, not answered, not abandoned, and the queue gave up on it (the trace's
  queue status "timeout": the queue's time-out, then its overflow branch — voicemail, a message, a hang-up);
  offered = answered + abandoned_queue + abandoned_short + timed_out, less only a call cut while it waited;
* abandoned in the IVR: never queued, the caller hung up (outcome `caller_hangup`/`abandoned`) before a
  self-service result or after asking for an agent;
* self-service completion: never queued and the flow ended at a hang-up node (outcome `completed`), or the caller
  hung up after reaching a self-service result — a lookup that answered (`info.found` true) or an end (hang-up)
  node — without asking for an agent (no queue or transfer step): hanging up during the result menu or the
  goodbye is a finished self-service, not an IVR abandon (`self_served`; the funnel counts it the same way);
* wait of an answered call (ASA, answered within target): from queue entry to the agent's answer, the agent's
  ring time included — `answered_at` − (start + the last queue step's `at_ms`) when the trace has it, never less
  than the recorded `wait_seconds` (which older runtimes stopped when an agent was claimed, before the ring);
* answered within target: that wait <= the queue's `service_level_seconds` (20 s without one);
* handle time: talk (`talk_seconds`, else `ended_at - answered_at`; hold is part of the talk the switch
  reports) + the queue's wrap-up (the ACD default when the queue sets none);
* transfers: outcome `transferred`; callbacks: the call booked one (trace event "callback");
* survey: the trace's survey scores (1-5), satisfied = 4 or 5.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..acd import defaults as acd_defaults
from ..models.reports import HANDLE_BUCKETS, HANDLE_COLUMNS

INTERVAL = timedelta(minutes=15)
DEFAULT_TARGET_SECONDS = 20
DEFAULT_SHORT_ABANDON_SECONDS = 5
IVR_HANGUP_OUTCOMES = ("caller_hangup", "abandoned")
QUEUE_ABANDON_OUTCOMES = ("abandoned", "no_ivr_abandoned")

CALL_COUNTS = ("calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
               "timed_out", "answered_in_target", "wait_count", "handle_count", "transfers", "callbacks",
               "self_service",
               "survey_count", "survey_satisfied", *HANDLE_COLUMNS)
CALL_SUMS = ("wait_sum", "handle_sum", "survey_sum")
#: Columns that combine by MAX across calls and rows (never summed).
CALL_MAXES = ("handle_max",)
TICKET_COUNTS = ("created", "responded_in_time", "responded_late", "completed_in_time", "completed_late",
                 "urges", "urged_tickets", "complaints")


def floor_interval(at: datetime) -> datetime:
    """The start of the 15-minute interval holding `at` (UTC, aware)."""
    at = at.astimezone(UTC)
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)


def handle_bucket(seconds: float) -> str:
    """The histogram column counting a handle time of `seconds`."""
    for index, edge in enumerate(HANDLE_BUCKETS):
        if seconds <= edge:
            return HANDLE_COLUMNS[index]
    return HANDLE_COLUMNS[-1]


@dataclass(frozen=True, slots=True)
class QueueFacts:
    target_seconds: int
    wrap_up_seconds: float


def _events(trace: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    events = (trace or {}).get("events") or []
    return [e for e in events if isinstance(e, dict)]


#: Step types that ask for an agent: a caller who reached one did not finish in self-service.
AGENT_STEP_TYPES = ("queue", "transfer")


def self_served(trace: Mapping[str, Any] | None) -> bool:
    """Whether a call that hung up in the IVR had reached a self-service result (a lookup that answered, or an end
    node) and never asked for an agent. set_based._SELF_SERVED mirrors it."""
    steps = [s for s in ((trace or {}).get("steps") or []) if isinstance(s, dict)]
    if any(s.get("type") in AGENT_STEP_TYPES for s in steps):
        return False
    return any(s.get("type") == "hangup" or (s.get("type") == "lookup" and isinstance(s.get("info"), dict)
                                              and s["info"].get("found") is True) for s in steps)


def answer_wait(call: Mapping[str, Any]) -> float | None:
    """An answered call's wait, queue entry → agent answer (ringing included); set_based._ANSWER_WAIT mirrors it.
    Rounded to the millisecond so both rebuilds add the same sums."""
    wait = call.get("wait_seconds")
    answered, started = call.get("answered_at"), call.get("started_at")
    entry = None
    for step in ((call.get("trace") or {}).get("steps") or []):
        if isinstance(step, dict) and step.get("type") == "queue" and isinstance(step.get("at_ms"), int | float) \
                and not isinstance(step.get("at_ms"), bool):
            entry = float(step["at_ms"]) / 1000.0
    if answered is None or started is None or entry is None:
        return None if wait is None else float(wait)
    measured = max(0.0, round((answered - started).total_seconds() - entry, 3))
    return measured if wait is None else max(float(wait), measured)


def _queue_status(trace: Mapping[str, Any] | None, status: str) -> bool:
    return any(e.get("type") == "queue" and e.get("status") == status for e in _events(trace))


def call_counts(call: Mapping[str, Any], queues: Mapping[str, QueueFacts], *,
                short_abandon_seconds: float = DEFAULT_SHORT_ABANDON_SECONDS) -> dict[str, float]:
    """The counts and sums one call adds to its row (`call` holds the call record's columns)."""
    out: dict[str, float] = {"calls": 1}
    trace = call.get("trace") or {}
    outcome = call.get("outcome") or ""
    queue = call.get("queue")
    wait = call.get("wait_seconds")
    if queue:
        facts = queues.get(queue) or QueueFacts(DEFAULT_TARGET_SECONDS, float(acd_defaults.WRAP_UP_SECONDS))
        out["offered"] = 1
        answered = call.get("answered_at") is not None or _queue_status(trace, "answered")
        if answered:
            out["answered"] = 1
            wait = answer_wait(call)
            if wait is not None:
                out["wait_count"] = 1
                out["wait_sum"] = float(wait)
                if wait <= facts.target_seconds:
                    out["answered_in_target"] = 1
            talk = call.get("talk_seconds")
            if talk is None and call.get("answered_at") is not None and call.get("ended_at") is not None:
                talk = (call["ended_at"] - call["answered_at"]).total_seconds()
            if talk is not None:
                handle = max(0.0, float(talk)) + facts.wrap_up_seconds
                out["handle_count"] = 1
                out["handle_sum"] = handle
                out["handle_max"] = handle
                out[handle_bucket(handle)] = 1
        elif outcome in QUEUE_ABANDON_OUTCOMES or _queue_status(trace, "abandoned"):
            if wait is not None and wait <= short_abandon_seconds:
                out["abandoned_short"] = 1
            else:
                out["abandoned_queue"] = 1
        elif _queue_status(trace, "timeout"):
            out["timed_out"] = 1
    elif outcome == "completed" or (outcome in IVR_HANGUP_OUTCOMES and self_served(trace)):
        out["self_service"] = 1
    elif outcome in IVR_HANGUP_OUTCOMES:
        out["abandoned_ivr"] = 1
    if outcome == "transferred":
        out["transfers"] = 1
    if any(e.get("type") == "callback" for e in _events(trace)):
        out["callbacks"] = 1
    for event in _events(trace):
        if event.get("type") == "survey" and isinstance(event.get("score"), int | float):
            out["survey_count"] = out.get("survey_count", 0) + 1
            out["survey_sum"] = out.get("survey_sum", 0.0) + float(event["score"])
            if event["score"] >= 4:
                out["survey_satisfied"] = out.get("survey_satisfied", 0) + 1
    return out


def answering_extension(call: Mapping[str, Any]) -> str:
    """The extension (ACD agent id) that answered a call no user of the tenant holds, '' otherwise: the first
    queue event answered by a named agent. Such a call is its extension's in the by-agent report, not "—"."""
    if call.get("agent_id"):
        return ""
    for event in _events(call.get("trace") or {}):
        if event.get("type") == "queue" and event.get("status") == "answered":
            agent = event.get("agent")
            if isinstance(agent, str) and agent:
                return agent[:32]
    return ""


def call_key(call: Mapping[str, Any]) -> tuple[str, str, int, str]:
    """The row a call belongs to, besides tenant and interval: (queue, DID, answering agent, its extension when
    no user holds it)."""
    return (call.get("queue") or "", (call.get("did") or "")[:32], int(call.get("agent_id") or 0),
            answering_extension(call))


#: What a funnel edge says for a node's input that is not a menu key (a waybill, a phone number, an ID typed at a
#: collect node): the caller's digits are personal data and never stored in report rows (issue 14).
ENTERED = "entered"
_MENU_KEY = re.compile(r"[0-9*#]{1,2}")


def is_menu_key(digit: str) -> bool:
    """Whether `digit` can be a menu option key (one or two of 0-9 * #) — the only input a funnel edge keeps."""
    return bool(_MENU_KEY.fullmatch(digit))


def edge_digit(step: Mapping[str, Any]) -> str:
    """The digit an edge is keyed by: a menu's option key as pressed, "" when nothing was pressed, else ENTERED.

    Only a menu step's last key is kept; anything a collect (or any other) node received becomes ENTERED, so
    typed waybills and phone numbers never reach report_ivr_edge (set_based._EDGES mirrors this)."""
    digits = [d for d in (step.get("digits") or []) if d]
    if not digits:
        return ""
    last = str(digits[-1])
    return last if step.get("type") == "menu" and is_menu_key(last) else ENTERED


def funnel_counts(call: Mapping[str, Any]) -> tuple[dict[str, dict[str, int]], dict[tuple[str, str, str], int]]:
    """A call's IVR path: per node {reached, hangups, completed} (each caller once per node) and the edges
    (node, next node, digit pressed) it took (each once per caller)."""
    steps = [s for s in ((call.get("trace") or {}).get("steps") or []) if isinstance(s, dict) and s.get("node")]
    nodes: dict[str, dict[str, int]] = {}
    edges: dict[tuple[str, str, str], int] = {}
    for step in steps:
        node = str(step["node"])[:64]
        nodes.setdefault(node, {"reached": 1, "hangups": 0, "completed": 0})
        following = step.get("next")
        if following:
            edges[(node, str(following)[:64], edge_digit(step))] = 1
    if steps:
        last = str(steps[-1]["node"])[:64]
        outcome = call.get("outcome") or ""
        if not call.get("queue"):
            if outcome == "completed" or (outcome in IVR_HANGUP_OUTCOMES and self_served(call.get("trace"))):
                nodes[last]["completed"] = 1
            elif outcome in IVR_HANGUP_OUTCOMES:
                nodes[last]["hangups"] = 1
    return nodes, edges


# -- tickets ---------------------------------------------------------------------------------------------------

CATEGORY_FIELDS = ("category", "complaint_type")


def category_field(form: Mapping[str, Any]) -> str | None:
    """The field a form's tickets are categorised by: `category`, `complaint_type`, else the first field
    named *_category or *_type that offers a fixed list of options."""
    properties = ((form.get("schema") or {}).get("properties") or {})
    for name in CATEGORY_FIELDS:
        if name in properties:
            return name
    for name, spec in properties.items():
        if name.endswith(("_category", "_type")) and isinstance(spec, dict) and (spec.get("oneOf") or spec.get("enum")):
            return name
    return None


def is_complaint_form(form_name: str, form: Mapping[str, Any]) -> bool:
    """A complaint form (投诉): by its name or its title."""
    return "complaint" in form_name.lower() or "投诉" in str(form.get("title") or "")


def ticket_source(created_by: str, call_id: int | None) -> str:
    """Where a ticket came from: "ivr" (self-service in the IVR), "call" (an agent, on a call) or "desk"."""
    if created_by.startswith("ivr:") or created_by == "ivr":
        return "ivr"
    return "call" if call_id else "desk"


def ticket_counts(ticket: Mapping[str, Any], urges: int, complaint: bool) -> dict[str, int]:
    """What one ticket adds to its creation interval's row."""
    out = {"created": 1, "urges": urges, "urged_tickets": 1 if urges else 0, "complaints": 1 if complaint else 0}
    for done, due, prefix in ((ticket.get("first_responded_at"), ticket.get("first_response_due"), "responded"),
                              (ticket.get("resolved_at"), ticket.get("resolution_due"), "completed")):
        if done is not None:
            out[f"{prefix}_in_time" if due is None or done <= due else f"{prefix}_late"] = 1
    return out
