"""The set-based rebuild (PostgreSQL SQL) writes the same interval rows as the Python rebuild, on the hand-seeded
calls, on odd records (no trace, events that are not a list, a queue without settings, answered only in the
trace, digits with blanks) and on the benchmark's generated calls and tickets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from bench.desk_lookups import libpq_url
from bench.reports_data import generate
from hotline.platform.db import Database
from hotline.platform.models import CallRecord, TicketUrge
from hotline.platform.reports import intervals
from hotline.platform.services import templates, tickets

from .seed import T10, add_calls, call, seeded_calls
from .test_counters import COMPLAINT, _rows

pytestmark = pytest.mark.postgres


@pytest.fixture()
def pg(postgres_database: Database) -> Iterator[Database]:
    yield postgres_database


def _tenant(db: Database) -> int:
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), f"s{uuid.uuid4().hex[:8]}", None,
                                 "test")
        return tenant.id


def _both(db: Database, tenant_id: int, start, end) -> tuple[dict, dict]:
    with db.platform() as session:
        python = intervals.rebuild(session, tenant_id, start, end, in_database=False)
    by_python = _rows(db, tenant_id)
    with db.platform() as session:
        sql = intervals.rebuild(session, tenant_id, start, end, in_database=True)
    assert sql == python  # the same records read
    return by_python, _rows(db, tenant_id)


def test_seeded_and_odd_records_give_the_same_rows(pg: Database) -> None:
    tenant_id = _tenant(pg)
    m = timedelta(minutes=1)
    odd = [
        call(T10, wait=None, talk=30),  # answered, wait unknown
        call(T10 + m, queue="nowhere", wait=7, talk=None, outcome="timeout",
             events=[{"type": "queue", "status": "answered"}]),  # answered only in the trace, talk unknown
        call(T10 + 2 * m, queue="", outcome="caller_hangup", steps=[]),  # "" is no queue
        call(T10 + 3 * m, wait=3, outcome="timeout", events=[{"type": "queue", "status": "abandoned"}]),
        call(T10 + 4 * m, queue=None, outcome="completed", ivr_document=None,
             steps=[{"node": "menu", "next": "x"}]),  # no IVR version: no funnel
        call(T10 + 5 * m, queue=None, outcome="caller_hangup",
             steps=[{"node": "menu", "digits": ["", "3", ""], "next": "track"}, "junk", {"type": "no node"},
                    {"node": "track", "next": ""}],
             events=[{"type": "survey", "score": "5"}, {"type": "survey", "score": 4.5}, "junk"]),
        call(T10 + 6 * m, wait=25, talk=4000, agent_id=None, direction="outbound"),  # outbound: not counted
        call(T10 + 7 * m, wait=25, talk=4000),  # beyond the last histogram edge
        call(T10 + 8 * m, queue=None, outcome="completed",
             steps=[{"node": "menu", "type": "menu", "digits": ["*"], "next": "c"},
                    {"node": "c", "type": "collect", "digits": ["7730012345601"], "next": "m2"},
                    {"node": "m2", "type": "menu", "digits": ["12345"], "next": "bye"}]),  # typed: "entered"
        call(T10 + 9 * m, queue=None, outcome="caller_hangup",
             steps=[{"node": "t", "type": "lookup", "info": {"found": True}, "next": "r"}, {"node": "r"}]),  # s-s
        call(T10 + 10 * m, queue=None, outcome="caller_hangup",
             steps=[{"node": "b", "type": "hangup"}, {"node": "o", "type": "transfer"}]),  # asked for an agent
        call(T10 + 12 * m, wait=None, talk=30, steps=[{"node": "q", "type": "queue", "at_ms": 1500}]),  # ring
        call(T10 + 13 * m, wait=40, talk=30, steps=[{"node": "q", "type": "queue", "at_ms": 1500}]),  # recorded
        call(T10 + 14 * m, wait=None, talk=None, outcome="abandoned", steps=[{"node": "q", "type": "queue"}]),
        call(T10 + 11 * m, queue=None, outcome="abandoned",
             steps=[{"node": "t", "type": "lookup", "info": {"found": "yes"}}]),  # not a found lookup
    ]
    odd[1]["answered_at"] = None
    add_calls(pg, tenant_id, [*seeded_calls(T10), *odd])
    with pg.tenant(tenant_id) as session:
        session.add(CallRecord(uuid=uuid.uuid4().hex, did="1", caller="2", started_at=T10, trace={"events": {}},
                               queue="general", outcome="abandoned"))
        first = tickets.create(session, "complaint", COMPLAINT, "ivr:main", now=T10)
        tickets.create(session, "tracking_query", {"phone": "13800000000", "waybill": "SF1234567890",
                                                   "question_type": "eta"}, "agent1", now=T10 + m)
        tickets.transition(session, first.number, "processing", base_revision=first.revision, actor="agent1")
        session.add(TicketUrge(ticket_id=first.id, actor="supervisor", note="", at=T10 + timedelta(hours=1)))
    by_python, by_sql = _both(pg, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1))
    assert by_python["report_interval"] and by_python["report_ticket_interval"]
    assert by_sql == by_python


def test_generated_benchmark_data_gives_the_same_rows(pg: Database) -> None:
    tenant_id = _tenant(pg)
    first = date(2026, 3, 1)
    with psycopg.connect(libpq_url(pg.url)) as conn:
        generate(conn, [tenant_id], 3000, 600, first, 3, seed=7)
    by_python, by_sql = _both(pg, tenant_id, T10 - timedelta(days=10), T10 + timedelta(days=10))
    assert len(by_python["report_interval"]) > 200 and len(by_python["report_ivr_edge"]) > 50
    assert by_sql == by_python
