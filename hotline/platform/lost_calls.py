"""Call records of calls whose runtime process died before writing them (hangup cause ``runtime_lost``).

A runtime keeps what each call's record needs in the ACD's Redis while the call lasts (runtime/acd/live_calls.py);
when its lease expires the sweep hands those entries over as plain dicts, and this module writes them: caller,
DID, tenant, the IVR, the queue and the wait, when an agent answered and who, and when the runtime was last alive
(its last lease renewal: the best "ended" there is, since the process that knew is gone). What only the dead
process knew (the steps through the IVR) is not there, and the trace says so.

Here rather than in the runtime because the worker's sweep job writes these too, and the platform never imports
the runtime. A record the runtime managed to write first is left alone (the call's uuid is unique).

An outbound campaign call (an entry with `attempt_id`: runtime/dialer/answered.py) has no inbound call record: its
dial attempt is closed instead, as a runtime stop closes it (outbound/outcomes.record_runtime_cut, `runtime_lost`):
the agent on the line keeps the answered call and the talk to the last sign of life.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .db import Database
from .models import CallRecord
from .outbound import outcomes
from .services import ticket_desk

log = logging.getLogger("hotline.calls")
OUTCOME = "runtime_lost"
CAUSE = "runtime_lost"


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError):
        pass
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def record_fields(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The CallRecord columns of one lost call (the sweep's entry), agent_id aside."""
    lost_at = _when(entry.get("lost_at")) or datetime.now(UTC)
    started = _when(entry.get("started_at")) or lost_at
    queued = _when(entry.get("queued_at"))
    answered = _when(entry.get("answered_at"))
    # never ended before it started, queued or was answered (QA 12 #1: the last renewal came just before the answer)
    ended = max(moment for moment in (lost_at, started, queued, answered) if moment is not None)
    outlived = _when(entry.get("outlived")) is not None
    wait = None
    if queued is not None:
        wait = max(0, round(((answered or ended) - queued).total_seconds()))
    talk = round((ended - answered).total_seconds(), 3) if answered is not None and outlived else None
    events: list[dict[str, Any]] = []
    if answered is not None and entry.get("agent"):
        # the queue's "answered" event the dead runtime never wrote: the reports credit the call to the agent by it
        # (an extension no user holds has nothing else; issue 14: the talk was credited to nobody)
        events.append({"type": "queue", "queue": entry.get("queue") or None, "status": "answered",
                       "agent": str(entry["agent"]), "wait_seconds": wait, "talk_ended_by": CAUSE})
    trace = {"outcome": OUTCOME, "hangup_cause": CAUSE, "node": None, "errors": [], "steps": [], "events": events,
             "lost": {"runtime": entry.get("runtime"), "last_alive": lost_at.isoformat(),
                      "swept_at": (_when(entry.get("swept_at")) or lost_at).isoformat(),
                      "why": ("the runtime carrying the call died (its lease expired) before writing the record; "
                              + ("its bridge went on in the switch, so ended_at is the first sweep that found the "
                                 "call gone" if outlived else "ended_at is its last sign of life")
                              + " and the IVR steps died with it")}}
    return {"uuid": str(entry["uuid"]), "did": str(entry.get("did") or "")[:32],
            "caller": str(entry.get("caller") or "")[:32], "started_at": started, "ended_at": ended,
            "answered_at": answered, "talk_seconds": talk, "ivr_document": entry.get("ivr_document") or None,
            "ivr_version": _int(entry.get("ivr_version")), "queue": entry.get("queue") or None,
            "wait_seconds": wait, "outcome": OUTCOME, "hangup_cause": CAUSE, "hangup_by": "runtime",
            "test_call": entry.get("test_call") == "1", "trace": trace}


def write_lost_calls(db: Database, entries: Iterable[Mapping[str, Any]]) -> int:
    """Writes a record for each lost call not recorded yet; returns how many were written.

    An entry that cannot be written (no tenant, a tenant deleted since) is logged and skipped: the rest go on.
    """
    written = 0
    for entry in entries:
        tenant_id = _int(entry.get("tenant_id"))
        if tenant_id is None or not entry.get("uuid"):
            log.warning("lost call without tenant or uuid, not recorded: %r", dict(entry))
            continue
        attempt_id = _int(entry.get("attempt_id"))
        if attempt_id is not None:
            written += _close_attempt(db, tenant_id, attempt_id, entry)
            continue
        try:
            with db.tenant(tenant_id) as session:
                if session.scalar(select(CallRecord.id).where(CallRecord.uuid == str(entry["uuid"]))) is not None:
                    continue
                fields = record_fields(entry)
                agent = entry.get("agent")
                if agent and not fields["test_call"]:
                    fields["agent_id"] = ticket_desk.user_of_extension(session, str(agent))
                session.add(CallRecord(**fields))
            written += 1
            log.warning("call %s of tenant %s: its runtime %s died; recorded as %s", entry["uuid"], tenant_id,
                        entry.get("runtime"), OUTCOME)
        except IntegrityError:
            # The runtime was not dead but stopping: it wrote the call's own record between the check above and
            # this insert (its lease ended while it saved). Its record is the better one; nothing is lost.
            log.info("call %s of tenant %s was recorded by its runtime meanwhile; no stand-in written",
                     entry.get("uuid"), tenant_id)
        except Exception:
            log.exception("could not write the record of lost call %s", entry.get("uuid"))
    return written


def _close_attempt(db: Database, tenant_id: int, attempt_id: int, entry: Mapping[str, Any]) -> int:
    """A lost campaign call: its attempt closed at the last sign of life (1), or 0 when already ended / failed."""
    fields = record_fields({**entry, "uuid": entry["uuid"]})
    try:
        with db.tenant(tenant_id) as session:
            closed = outcomes.record_runtime_cut(session, attempt_id, fields["ended_at"], cause=CAUSE,
                                                 agent=str(entry.get("agent") or "") or None,
                                                 answered_at=fields["answered_at"])
    except Exception:
        log.exception("could not close the attempt %s of lost campaign call %s", attempt_id, entry.get("uuid"))
        return 0
    if closed:
        log.warning("campaign call %s (attempt %s) of tenant %s: its runtime %s died; attempt closed as %s",
                    entry["uuid"], attempt_id, tenant_id, entry.get("runtime"), CAUSE)
    return int(closed)
