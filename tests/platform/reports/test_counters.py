"""Interval rows kept up by counter deltas: a change touches only the rows of the changed records, the rows
the deltas build equal a recompute of the range (calls, IVR nodes and edges, tickets), replaying a write
changes nothing, and a failing counter update loses no record."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from hotline.platform.db import Database
from hotline.platform.models import (
    CallRecord,
    ReportInterval,
    ReportIvrEdge,
    ReportIvrNode,
    ReportTicketInterval,
    TicketUrge,
)
from hotline.platform.reports import counters, intervals
from hotline.platform.services import templates, tickets

from .seed import T10, add_calls, call, seeded_calls

TABLES = (ReportInterval, ReportIvrNode, ReportIvrEdge, ReportTicketInterval)
COMPLAINT = {"phone": "13800000000", "complaint_type": "delay", "severity": "normal", "details": "派送延误三天"}


@pytest.fixture()
def express(db: Database) -> int:
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), f"c{uuid.uuid4().hex[:8]}", None,
                                 "test")
        return tenant.id


def _rows(db: Database, tenant_id: int) -> dict[str, set[tuple[Any, ...]]]:
    """Every interval row of the tenant without its id, sums rounded (a delta may leave 1e-13 behind)."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    with db.tenant(tenant_id) as session:
        for model in TABLES:
            columns = [c for c in model.__table__.columns if c.name != "id"]
            out[model.__tablename__] = {
                tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                for row in session.execute(select(*columns))}
    return out


def _rebuild(db: Database, tenant_id: int) -> None:
    with db.platform() as session:
        intervals.rebuild(session, tenant_id, T10 - timedelta(days=2), T10 + timedelta(days=2))


def test_a_new_call_adds_to_its_own_row_and_leaves_the_others_alone(db: Database, express: int) -> None:
    add_calls(db, express, seeded_calls(T10))
    with db.tenant(express) as session:
        before = dict(session.execute(select(ReportInterval.queue, ReportInterval.id)
                                      .where(ReportInterval.interval_start == T10, ReportInterval.did == "4008000001",
                                             ReportInterval.agent_id == 0)).all())
    add_calls(db, express, [call(T10 + timedelta(minutes=2), queue="vip", wait=2, talk=30)])
    with db.tenant(express) as session:
        after = dict(session.execute(select(ReportInterval.queue, ReportInterval.id)
                                     .where(ReportInterval.interval_start == T10, ReportInterval.did == "4008000001",
                                            ReportInterval.agent_id == 0)).all())
        vip = session.scalar(select(ReportInterval.offered).where(
            ReportInterval.interval_start == T10, ReportInterval.queue == "vip", ReportInterval.did == "4008000001"))
    # the rows of the other calls were not rewritten (the former hook deleted and re-inserted the interval)
    assert {q: i for q, i in after.items() if q != "vip"} == before
    assert vip == 1


def test_incremental_rows_equal_a_recompute_after_calls_and_tickets_change(db: Database, express: int) -> None:
    add_calls(db, express, [*seeded_calls(T10), call(T10 + timedelta(minutes=11), direction="outbound", talk=20,
                                                      wait=1)])  # an outbound call is never counted
    with db.tenant(express) as session:  # changes through the ORM: a flag, a moved call, a deleted call
        records = list(session.scalars(select(CallRecord).order_by(CallRecord.started_at)))
        records[4].test_call = True
        records[0].queue, records[0].wait_seconds = "vip", 15
        records[5].started_at = T10 + timedelta(minutes=40)
        session.delete(records[8])
    with db.tenant(express) as session:  # an ORM-enabled bulk UPDATE
        session.execute(update(CallRecord).where(CallRecord.outcome == "transferred").values(outcome="completed"))
    with db.tenant(express) as session:  # tickets through the services: create, transition, urge, edit
        first = tickets.create(session, "complaint", COMPLAINT, "agent1", now=T10)
        second = tickets.create(session, "complaint", {**COMPLAINT, "complaint_type": "lost"}, "agent1",
                                now=T10 + timedelta(minutes=3))
        third = tickets.create(session, "complaint", COMPLAINT, "agent1", now=T10 + timedelta(minutes=20))
        tickets.transition(session, first.number, "processing", base_revision=first.revision, actor="agent1")
        session.add(TicketUrge(ticket_id=second.id, actor="supervisor", note="", at=T10 + timedelta(hours=1)))
        session.add(TicketUrge(ticket_id=second.id, actor="supervisor", note="", at=T10 + timedelta(hours=2)))
        tickets.update(session, second.number, {"complaint_type": "damaged"}, base_revision=second.revision,
                       actor="agent1")
        numbers = (first.number, third.number)
    with db.tenant(express) as session:
        first = tickets.get(session, numbers[0])
        tickets.transition(session, first.number, "done", base_revision=first.revision, actor="agent1")
        session.execute(delete(TicketUrge).where(TicketUrge.id == session.scalar(select(func.min(TicketUrge.id)))))
        session.delete(tickets.get(session, numbers[1]))
    incremental = _rows(db, express)
    assert incremental["report_ticket_interval"] and incremental["report_ivr_edge"]
    with db.tenant(express) as session:
        urged = session.execute(select(ReportTicketInterval.category, ReportTicketInterval.urges,
                                       ReportTicketInterval.urged_tickets)
                                .where(ReportTicketInterval.urges > 0)).all()
    assert urged == [("damaged", 1, 1)]
    _rebuild(db, express)
    assert _rows(db, express) == incremental


def test_replaying_a_write_changes_no_row(db: Database, express: int) -> None:
    calls = seeded_calls(T10)
    add_calls(db, express, calls)
    once = _rows(db, express)
    with db.tenant(express) as session:  # the runtime writes the same CDR again (a retried end-of-call save)
        for values in calls[:3]:
            record = session.scalar(select(CallRecord).where(CallRecord.uuid == values["uuid"]))
            for name, value in values.items():
                setattr(record, name, value)
    assert _rows(db, express) == once
    for _ in range(2):  # and a recompute of the range, twice, gives the same rows again
        _rebuild(db, express)
        assert _rows(db, express) == once


def test_a_failing_counter_update_loses_no_record(db: Database, express: int, monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("counter table unavailable")

    monkeypatch.setattr(counters, "apply", broken)
    with caplog.at_level(logging.ERROR, logger="hotline.reports"):
        add_calls(db, express, [call(T10, wait=3, talk=20)])
    with db.tenant(express) as session:
        assert session.scalar(select(CallRecord.id)) is not None
        assert session.scalar(select(ReportInterval.id)) is None
    assert "hotline reports rebuild" in caplog.text
    monkeypatch.undo()
    _rebuild(db, express)
    with db.tenant(express) as session:
        assert session.scalar(select(ReportInterval.offered)) == 1
