"""Which calls QA listens to: a reproducible random sample per agent per week, or filters (long calls,
complaints, low survey scores).

The sample is drawn per agent with `random.Random(f"{seed}:{week}:{agent}")` over the agent's calls sorted by
uuid, so the same seed, week and data give the same calls on any machine, and adding one agent's calls does
not change another agent's sample. Only answered, recorded, real (not test) calls count; with `playable`
(the recording store's check) a call whose file the switch never wrote, or that was deleted, is left out
before drawing — QA cannot score what it cannot hear (QA of issue 15, item 15).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CallRecord, Ticket, TicketCall

MAX_PER_AGENT = 50
#: Calls a filter scans at most (a week of a large tenant); the page says when it stopped there.
SCAN_LIMIT = 20_000
MAX_RESULTS = 500


def week_bounds(week_start: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The tenant-local week [Monday 00:00, next Monday 00:00) as UTC instants."""
    monday = week_start - timedelta(days=week_start.weekday())
    start = datetime.combine(monday, time(), zone)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


def _scorable(start: datetime, end: datetime) -> Any:
    return (select(CallRecord)
            .where(CallRecord.started_at >= start, CallRecord.started_at < end, CallRecord.agent_id.is_not(None),
                   CallRecord.test_call.is_(False), CallRecord.recording.is_not(None))
            .order_by(CallRecord.started_at).limit(SCAN_LIMIT))


#: Whether a call's recording (CallRecord.recording, relative to the store) can be played.
Playable = Callable[[str], bool]


def sample(session: Session, week_start: date, zone: ZoneInfo, per_agent: int, seed: str,
           playable: Playable | None = None) -> list[CallRecord]:
    """Up to `per_agent` recorded calls of each agent in the week, drawn with the seed."""
    per_agent = max(1, min(per_agent, MAX_PER_AGENT))
    start, end = week_bounds(week_start, zone)
    by_agent: dict[int, list[CallRecord]] = defaultdict(list)
    for call in session.scalars(_scorable(start, end)):
        if playable is not None and not playable(call.recording or ""):
            continue
        by_agent[call.agent_id].append(call)  # type: ignore[index]
    monday = week_bounds(week_start, zone)[0].astimezone(zone).date()
    picked: list[CallRecord] = []
    for agent_id in sorted(by_agent):
        calls = sorted(by_agent[agent_id], key=lambda c: c.uuid)
        rng = random.Random(f"{seed}:{monday.isoformat()}:{agent_id}")
        picked += sorted(rng.sample(calls, min(per_agent, len(calls))), key=lambda c: c.started_at)
    return picked


def survey_score(call: CallRecord) -> int | None:
    scores = [e.get("score") for e in (call.trace or {}).get("events", ()) if e.get("type") == "survey"]
    return scores[-1] if scores and isinstance(scores[-1], int) else None


def find(session: Session, start: datetime, end: datetime, *, min_talk_seconds: float | None = None,
         max_survey: int | None = None, complaints: bool = False,
         playable: Playable | None = None) -> list[CallRecord]:
    """Recorded calls of the period matching every filter given: at least `min_talk_seconds` of talk, a
    survey score of at most `max_survey`, linked to a ticket of a complaint form."""
    query = _scorable(start, end)
    if min_talk_seconds is not None:
        query = query.where(CallRecord.talk_seconds >= min_talk_seconds)
    if complaints:
        linked = (select(TicketCall.call_uuid).join(Ticket, Ticket.id == TicketCall.ticket_id)
                  .where(Ticket.form_name.like("%complaint%")))
        query = query.where(CallRecord.uuid.in_(linked))
    found = []
    for call in session.scalars(query):
        if playable is not None and not playable(call.recording or ""):
            continue
        if max_survey is not None:
            score = survey_score(call)
            if score is None or score > max_survey:
                continue
        found.append(call)
        if len(found) >= MAX_RESULTS:
            break
    return found
