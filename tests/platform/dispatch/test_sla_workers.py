"""SLA events fired by RQ's scheduler with two real worker processes on real Redis: each exactly once.

Both workers run `rq worker --with-scheduler` (SimpleWorker: no fork per job, so the job context's engine
is reused and the test stays quick) on the same prefixed queues, against the test database
(SQLite or PostgreSQL). Every alarm is also enqueued ten more times (a ticket updated again re-arms its
alarms), so the two workers race on the same alarm; the unique SlaEvent row decides.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.jobs.dispatch_jobs import enqueue_alarm, sla_alarm, sweep
from hotline.platform.models import Notification, RuleFiring, SlaEvent, utcnow
from hotline.platform.services import sla, templates, tickets
from tests.conftest import REDIS_URL

pytestmark = [pytest.mark.redis, pytest.mark.slow]
Unique = Callable[[str], str]
ROOT = Path(__file__).resolve().parents[3]
RQ = Path(sys.executable).with_name("rq")
TICKETS = 3


@pytest.fixture
def tenant_id(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("slaw"), None, "test").id


@pytest.fixture
def two_workers(db: Database, queues: Queues, tmp_path: Path) -> Iterator[list[subprocess.Popen]]:
    if db.dialect == "sqlite":
        pytest.skip("several worker processes need PostgreSQL: SQLite refuses concurrent writers from other "
                    "processes (the embedded SQLite mode runs one in-process worker)")
    env = {**os.environ, "HOTLINE_DATABASE_URL": db.url, "PYTHONPATH": str(ROOT)}
    names = [queue.name for queue in queues.all()]
    workers = [subprocess.Popen([str(RQ), "worker", "--url", REDIS_URL, "--with-scheduler", "--worker-class",
                                 "rq.worker.SimpleWorker", "--logging_level",
                                 "WARNING", "--name", f"{queues.prefix}w{i}", *names], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=(tmp_path / f"worker{i}.log").open("wb"))
               for i in range(2)]  # a file, not a pipe: a full pipe would block a worker that logs
    yield workers
    for worker in workers:  # only the processes this fixture started
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def _complaint(db: Database, tenant_id: int, now) -> str:
    with db.tenant(tenant_id) as session:
        return tickets.create(session, "complaint", {"phone": "13900000003", "complaint_type": "attitude",
                                                     "severity": "normal", "details": "快递员态度差"}, "agent1",
                              now=now).number


def _stuck(db: Database, tenant_id: int, queues: Queues) -> str:
    failed = [queues.default.fetch_job(i) for i in queues.default.failed_job_registry.get_job_ids()]
    return (f"the workers did not fire the SLA events in time: {_count(db, tenant_id, SlaEvent)} events, "
            f"{queues.default.count} waiting, {queues.default.scheduled_job_registry.count} scheduled, "
            f"failed: {[j.exc_info[-600:] for j in failed[:2] if j]}")


def _count(db: Database, tenant_id: int, model, *where) -> int:
    with db.tenant(tenant_id) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_each_sla_event_fires_once_across_two_workers(dispatching_db: Database, tenant_id: int, queues: Queues,
                                                     two_workers: list[subprocess.Popen]) -> None:
    db = dispatching_db
    # complaint: first response 30 clock minutes, warning at 75%: created 29m54s ago, the warning is past and
    # the breach comes in about 6 seconds
    created = utcnow() - timedelta(minutes=30) + timedelta(seconds=6)
    numbers = [_complaint(db, tenant_id, created) for _ in range(TICKETS)]
    with db.tenant(tenant_id) as session:
        armed = [(t.id, a) for t in (tickets.get(session, n) for n in numbers)
                 for a in sla.alarms(session, t) if a.clock == "first_response"]
    for ticket_id, alarm in armed:
        for _ in range(5):
            enqueue_alarm(queues, tenant_id, ticket_id, alarm.payload())
            queues.default.enqueue(sla_alarm, tenant_id, ticket_id, alarm.clock, alarm.kind, alarm.due.isoformat(),
                                   queues.prefix)
    started = time.monotonic()
    deadline = started + 120
    while _count(db, tenant_id, SlaEvent) < 2 * TICKETS or queues.default.count or \
            queues.default.started_job_registry.count:
        assert time.monotonic() < deadline, _stuck(db, tenant_id, queues)
        assert all(w.poll() is None for w in two_workers), "a worker died (see worker*.log in the tmp_path)"
        time.sleep(0.3)
    time.sleep(2)  # stragglers (a late duplicate) would show now
    print(f"\n{2 * TICKETS} SLA events from {len(armed) * 11} alarm jobs on two workers in "
          f"{time.monotonic() - started:.1f} s")
    with db.tenant(tenant_id) as session:
        events = session.scalars(select(SlaEvent)).all()
        assert sorted((e.ticket_id, e.clock, e.kind) for e in events) == sorted(
            (ticket_id, alarm.clock, alarm.kind) for ticket_id, alarm in armed)
    for number in numbers:
        with db.tenant(tenant_id) as session:
            fired = session.scalars(select(RuleFiring.rule).where(
                RuleFiring.ticket_number == number, RuleFiring.event.like("ticket.sla%")).order_by(RuleFiring.id))
            assert sorted(fired) == ["complaint_sla_breach", "sla_breach", "sla_warning"]
            history = [e.action for e in tickets.history(session, number)]
            assert (history.count("sla_warning"), history.count("sla_breach")) == (1, 1)
    assert _count(db, tenant_id, Notification, Notification.origin["rule"].as_string() == "sla_warning") == TICKETS
    finished = [queues.default.fetch_job(i) for i in queues.default.finished_job_registry.get_job_ids()]
    print("jobs per worker:", {w: sum(1 for j in finished if j and j.worker_name == w) for w in
                               {j.worker_name for j in finished if j}})


def test_the_sweep_fires_alarms_whose_timers_were_lost(db: Database, tenant_id: int, job_database: Database) -> None:
    number = _complaint(db, tenant_id, utcnow() - timedelta(hours=2))  # no dispatch sink: no timers at all
    first = sweep()
    assert first["sla"] >= 2  # the first-response warning and breach of this ticket (others' may be due too)
    assert sweep()["sla"] == 0
    with db.tenant(tenant_id) as session:
        ticket = tickets.get(session, number)
        assert _count(db, tenant_id, SlaEvent, SlaEvent.ticket_id == ticket.id) == 2


def test_the_sweep_dispatches_a_ticket_whose_created_job_was_lost(db: Database, tenant_id: int,
                                                                  job_database: Database) -> None:
    # QA of issue 11, item 10: the ticket.created job lost (no dispatch sink here: no job at all), the pickup
    # stayed 待派单 off the manual list and nobody heard of it. The sweep runs its dispatch once.
    from hotline.platform.models import ManualDispatch, TicketHistory

    address = "上海市浦东新区陆家嘴环路1000号"  # nobody covers it: the rule puts it on the list and alerts
    with db.tenant(tenant_id) as session:
        recent = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": address,
                                                          "pickup_time": "今天18:00前"}, "agent1").number
        lost = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": address,
                                                        "pickup_time": "今天18:00前"}, "agent1",
                              now=utcnow() - timedelta(minutes=10)).number
    assert sweep()["redispatched"] == 1
    assert sweep()["redispatched"] == 0  # once: the recheck is in the history
    with db.tenant(tenant_id) as session:
        listed = {tickets.get(session, n).id: n for n in (lost, recent)}
        rows = list(session.scalars(select(ManualDispatch).where(ManualDispatch.ticket_id.in_(listed))))
        assert [listed[r.ticket_id] for r in rows] == [lost]  # the recent one still has its job to come
        assert rows[0].alerted and "没有覆盖该地址的人员" in rows[0].reason
        assert tickets.get(session, lost).status == "pending"
        [recheck] = session.scalars(select(TicketHistory).where(TicketHistory.action == "dispatch_recheck"))
        assert recheck.changes["firings"] >= 1
