"""Benchmark: reports from the interval rows against the same reports computed from the raw records.

    .venv/bin/python -m bench.reports                    # 10,000,000 calls and 2,000,000 tickets, 50 tenants
    .venv/bin/python -m bench.reports --scale 0.1        # a tenth of that (prints the scale used)

A throwaway PostgreSQL database (dropped at the end unless --keep) is migrated; 50 tenants are made (the measured
one cloned from the express template, so its forms, queues and labels are real), and the call records (with IVR
traces and queue events) and tickets (with due, response and resolution times and some urges) are loaded with
COPY, seeded, spread over --days days ending yesterday. The interval rows are then built by the same code as
`hotline reports rebuild` (timed as the rebuild throughput). Measured, each the median of --repeat runs in a
fresh tenant session as a web request would:

* the monthly report: the last full month's call figures per day + ticket figures per form;
* a 15-minute interval day: the call figures of one day in 96 rows;
* the funnel of the month: nodes and edges of the published IVR version;
* today's dashboard: the wallboard's calls beside the business figures (the last loaded day as "today");
* the same monthly report and funnel computed from the raw records (classify.py over the month's call rows and
  a GROUP BY over its tickets), and the ratio.

Goals (issue 14): monthly report <= 300 ms, funnel <= 500 ms, dashboard <= 50 ms. It prints figures; it passes or
fails nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Integer, func, select

from bench.desk_lookups import DEFAULT_URL, create_database, libpq_url
from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue, Ticket
from hotline.platform.reports import intervals
from hotline.platform.reports.dashboard import site_dashboard
from hotline.platform.reports.funnel import funnel
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import call_report, ticket_report
from hotline.platform.services import templates
from hotline.platform.services.tenants import create_tenant

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUEUES = ("general", "vip")
#: Share of the day's calls by local hour (busier 9-12 and 14-17).
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 14, 16, 16, 14, 10, 8, 6, 5, 4, 2, 1]
FORMS = (("tracking_query", "question_type", ("no_update", "signed_not_received", "wrong_route", "eta", "other")),
         ("complaint", "complaint_type", ("attitude", "delay", "lost", "damaged", "overcharge", "other")),
         ("pickup_order", None, ()), ("delivery_urge", None, ()), ("consultation", "topic", ("fees", "other")))
COMPLAINT_TEXTS = ("快递员态度恶劣", "包裹破损严重", "派送延误三天", "快件丢失要求赔偿", "虚假签收没有收到", "乱收费")


def _steps(kind: str, rng: random.Random) -> list[dict]:
    menu = {"node": "welcome", "type": "play", "next": "menu"}
    if kind == "queue":
        return [menu, {"node": "menu", "type": "menu", "digits": ["0"], "next": "to_agent"},
                {"node": "to_agent", "type": "queue"}]
    if kind == "self":
        return [menu, {"node": "menu", "type": "menu", "digits": ["1"], "next": "collect_waybill"},
                {"node": "collect_waybill", "type": "collect", "digits": ["7712345678901"], "next": "lookup_status"},
                {"node": "lookup_status", "type": "lookup", "next": "bye"}, {"node": "bye", "type": "hangup"}]
    if kind == "ivr_hangup":
        at = rng.choice(("menu", "collect_waybill"))
        steps = [menu, {"node": "menu", "type": "menu"}]
        if at == "collect_waybill":
            steps = [menu, {"node": "menu", "type": "menu", "digits": ["1"], "next": "collect_waybill"},
                     {"node": "collect_waybill", "type": "collect"}]
        return steps
    return [menu, {"node": "menu", "type": "menu", "digits": ["9"], "next": "transfer_out"},
            {"node": "transfer_out", "type": "transfer"}]


def load_calls(conn: psycopg.Connection, tenant_ids: list[int], per_tenant: int, first: date, days: int,
               rng: random.Random) -> None:
    weights = [h / sum(HOURS) for h in HOURS]
    cols = ("tenant_id, uuid, direction, did, caller, started_at, answered_at, ended_at, ivr_document, ivr_version, "
            "trace, outcome, queue, wait_seconds, test_call, talk_seconds")
    with conn.cursor() as cur, cur.copy(f"COPY call_record ({cols}) FROM STDIN") as copy:
        for tenant_id in tenant_ids:
            for i in range(per_tenant):
                day = first + timedelta(days=rng.randrange(days))
                hour = rng.choices(range(24), weights)[0]
                started = datetime.combine(day, dtime(hour, rng.randrange(60), rng.randrange(60)),
                                           tzinfo=SHANGHAI).astimezone(UTC)
                r = rng.random()
                kind = "queue" if r < 0.6 else "self" if r < 0.85 else "ivr_hangup" if r < 0.95 else "transfer"
                queue = wait = answered = talk = None
                events: list[dict] = []
                outcome = {"self": "completed", "ivr_hangup": "caller_hangup", "transfer": "transferred"}.get(kind)
                ended = started + timedelta(seconds=rng.randint(20, 90))
                if kind == "queue":
                    queue = QUEUES[0] if rng.random() < 0.8 else QUEUES[1]
                    q = rng.random()
                    wait = int(rng.expovariate(1 / 15))
                    if q < 0.85:
                        talk = rng.lognormvariate(5.0, 0.5)
                        answered = started + timedelta(seconds=30 + wait)
                        ended = answered + timedelta(seconds=talk)
                        outcome = "completed"
                        events.append({"type": "queue", "queue": queue, "status": "answered", "wait_seconds": wait})
                        if rng.random() < 0.3:
                            events.append({"type": "survey", "variable": "score", "score": rng.randint(1, 5)})
                    else:
                        outcome = "abandoned"
                        wait = rng.randint(1, 4) if q < 0.88 else wait + 6
                        events.append({"type": "queue", "queue": queue, "status": "abandoned", "wait_seconds": wait})
                        if rng.random() < 0.2:
                            events.append({"type": "callback", "queue": queue, "number": "13800000000"})
                trace = {"steps": _steps(kind, rng), "events": events, "outcome": outcome}
                copy.write_row((tenant_id, uuid.UUID(int=rng.getrandbits(128)).hex, "inbound", "4008000000",
                                f"13{rng.randrange(10**9):09d}", started, answered, ended, "main", 1,
                                json.dumps(trace), outcome, queue, wait, i % 997 == 0, talk))
    conn.commit()


def load_tickets(conn: psycopg.Connection, tenant_ids: list[int], per_tenant: int, first: date, days: int,
                 rng: random.Random) -> None:
    cols = ("tenant_id, number, form_name, form_version, data, status, priority, revision, created_by, created_at, "
            "updated_at, first_response_due, resolution_due, first_responded_at, resolved_at, call_id")
    with conn.cursor() as cur, cur.copy(f"COPY ticket ({cols}) FROM STDIN") as copy:
        for tenant_id in tenant_ids:
            for i in range(per_tenant):
                form, field, options = FORMS[i % len(FORMS)]
                created = datetime.combine(first + timedelta(days=rng.randrange(days)),
                                           dtime(rng.randrange(8, 21), rng.randrange(60)), tzinfo=SHANGHAI
                                           ).astimezone(UTC)
                data = {"phone": "13800000000"}
                if field:
                    data[field] = rng.choice(options)
                if form == "complaint":
                    data["details"] = rng.choice(COMPLAINT_TEXTS) + "，" + rng.choice(COMPLAINT_TEXTS)
                responded = created + timedelta(minutes=rng.expovariate(1 / 20)) if rng.random() < 0.9 else None
                resolved = created + timedelta(minutes=rng.expovariate(1 / 200)) if responded and rng.random() < 0.8 \
                    else None
                status = "done" if resolved else "processing" if responded else "pending"
                copy.write_row((tenant_id, f"{tenant_id:03d}{i:08d}", form, 1,
                                json.dumps(data, ensure_ascii=False), status, 5, 1, "bench", created, created,
                                created + timedelta(minutes=30), created + timedelta(minutes=240), responded,
                                resolved, None))
    conn.commit()
    conn.execute("INSERT INTO ticket_urge (tenant_id, ticket_id, at, actor, note, notified) "
                 "SELECT tenant_id, id, created_at + interval '1 hour', 'bench', '', '[]' FROM ticket "
                 "WHERE id % 20 = 0")
    conn.commit()


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[1:])  # the first run warms caches


def raw_month(db: Database, tenant_id: int, period: Period) -> None:
    """The monthly report (calls per day, tickets per form) and the funnel straight from the raw records."""
    with db.tenant(tenant_id) as session:
        facts = intervals.queue_facts(session, tenant_id)
        rows = session.execute(select(*intervals._CALL_COLUMNS).where(
            CallRecord.tenant_id == tenant_id, CallRecord.started_at >= period.start,
            CallRecord.started_at < period.end, CallRecord.test_call.is_(False))
            .execution_options(yield_per=5000)).mappings()
        intervals.aggregate_calls(rows, facts, 5.0)
        session.execute(select(Ticket.form_name, func.count(),
                               func.sum((Ticket.first_responded_at <= Ticket.first_response_due).cast(
                                   Integer)),
                               func.sum((Ticket.resolved_at <= Ticket.resolution_due).cast(Integer)))
                        .where(Ticket.tenant_id == tenant_id, Ticket.created_at >= period.start,
                               Ticket.created_at < period.end).group_by(Ticket.form_name)).all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="PostgreSQL admin URL (a database is created in it)")
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--tickets", type=int, default=2_000_000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--days", type=int, default=92)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --calls and --tickets (0.1: a tenth)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    calls, tickets_n = int(args.calls * args.scale), int(args.tickets * args.scale)
    print(f"scale {args.scale:g}: {calls:,} calls and {tickets_n:,} tickets over {args.tenants} tenants, "
          f"{args.days} days")
    rng = random.Random(args.seed)
    url, drop = create_database(args.url)
    db = Database(url)
    try:
        schema_migrations.upgrade(db)
        tenant_ids = []
        with db.platform() as session:  # cloning scopes its session to the new tenant
            tenant_ids.append(templates.clone(session, templates.load("express_delivery"), "bench0", None,
                                              "bench").id)
        with db.tenant(tenant_ids[0]) as session:
            existing = set(session.scalars(select(Queue.name)))
            for name in QUEUES:
                if name not in existing:
                    session.add(Queue(tenant_id=tenant_ids[0], name=name, label=name, skills=[name]))
        with db.platform() as session:
            for n in range(1, args.tenants):
                tenant = create_tenant(session, f"bench{n}", f"Bench {n}", "bench",
                                       settings={"timezone": "Asia/Shanghai"})
                for name in QUEUES:
                    session.add(Queue(tenant_id=tenant.id, name=name, label=name, skills=[name]))
                tenant_ids.append(tenant.id)
        today = datetime.now(UTC).astimezone(SHANGHAI).date()
        first = today - timedelta(days=args.days)
        started = time.perf_counter()
        with psycopg.connect(libpq_url(url)) as conn:
            load_calls(conn, tenant_ids, calls // args.tenants, first, args.days, rng)
            load_tickets(conn, tenant_ids, tickets_n // args.tenants, first, args.days, rng)
            conn.execute("ANALYZE")
        print(f"loaded in {time.perf_counter() - started:.1f} s (COPY; not measured)")
        started = time.perf_counter()
        read = 0
        for tenant_id in tenant_ids:
            with db.platform() as session:
                c, t = intervals.rebuild(session, tenant_id, datetime.combine(first, dtime.min, tzinfo=SHANGHAI),
                                         datetime.combine(today, dtime.min, tzinfo=SHANGHAI))
                read += c + t
        rebuilt = time.perf_counter() - started
        print(f"interval rows rebuilt: {read:,} records in {rebuilt:.1f} s ({read / rebuilt:,.0f} records/s)")
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute("ANALYZE")
            rows = conn.execute("SELECT count(*) FROM report_interval").fetchone()[0]
            ticket_rows = conn.execute("SELECT count(*) FROM report_ticket_interval").fetchone()[0]
        print(f"report_interval rows: {rows:,}; report_ticket_interval rows: {ticket_rows:,}")

        tenant = tenant_ids[0]
        last_month_end = today.replace(day=1) - timedelta(days=1)
        month = Period(last_month_end.replace(day=1), last_month_end, "day", SHANGHAI)
        day = Period(today - timedelta(days=2), today - timedelta(days=2), "15min", SHANGHAI)
        with db.tenant(tenant) as session:
            n_month = session.scalar(select(func.count()).select_from(CallRecord).where(
                CallRecord.started_at >= month.start, CallRecord.started_at < month.end))

        def monthly() -> None:
            with db.tenant(tenant) as session:
                call_report(session, tenant, month)
                ticket_report(session, tenant, Period(month.first, month.last, "total", SHANGHAI), "form")

        def interval_day() -> None:
            with db.tenant(tenant) as session:
                call_report(session, tenant, day)

        def month_funnel() -> None:
            with db.tenant(tenant) as session:
                funnel(session, tenant, "main", 1, month)

        now = datetime.combine(today - timedelta(days=1), dtime(15, 0), tzinfo=SHANGHAI).astimezone(UTC)

        def dashboard() -> None:
            site_dashboard(db, tenant, None, now=now)

        figures = {"monthly report": median_ms(monthly, args.repeat),
                   "15-minute interval day": median_ms(interval_day, args.repeat),
                   "funnel of the month": median_ms(month_funnel, args.repeat),
                   "today's dashboard": median_ms(dashboard, args.repeat)}
        raw = median_ms(lambda: raw_month(db, tenant, month), max(1, args.repeat // 2))
        print(f"measured tenant: {n_month:,} calls in {month.first:%Y-%m}")
        for name, ms in figures.items():
            print(f"  {name:24} {ms:8.1f} ms")
        both = figures["monthly report"] + figures["funnel of the month"]
        print(f"  {'raw: month + funnel':24} {raw:8.1f} ms  (interval rows {raw / both:.0f}x faster)")
    finally:
        db.dispose()
        if not args.keep:
            drop()


if __name__ == "__main__":
    main()
