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
import statistics
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Integer, func, select, text
from sqlalchemy.engine import make_url

from bench.desk_lookups import DEFAULT_URL, create_database, libpq_url
from bench.reports_data import generate
from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue, Tenant, Ticket
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


def median_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(max(repeat, 1) + (1 if repeat else 0)):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[1:] if repeat else times)  # the first run warms caches (repeat 0: one cold run)


def _call(busy: datetime) -> CallRecord:
    return CallRecord(uuid=f"bench-{uuid.uuid4().hex}", did="4008000000", caller="13800000000",
                      started_at=busy + timedelta(minutes=3), answered_at=busy + timedelta(minutes=3, seconds=20),
                      ended_at=busy + timedelta(minutes=6), queue="general", wait_seconds=20, outcome="completed",
                      ivr_document="main", ivr_version=1, talk_seconds=160.0,
                      trace={"steps": [{"node": "menu", "digits": ["0"], "next": "to_agent"}, {"node": "to_agent"}],
                             "events": [{"type": "queue", "status": "answered"}]})


def write_costs(db: Database, tenant_id: int, busy: datetime, runs: int) -> dict[str, float]:
    """Medians (ms) of writing one call: with the counter delta, with no report hook, with the former hook's
    recompute of the call's interval."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from hotline.platform.reports import counters

    hooks = (("before_flush", counters._before_flush), ("after_flush", counters._after_flush))

    def write(recompute: bool) -> None:
        with db.tenant(tenant_id) as session:
            session.add(_call(busy))
            if recompute:
                session.flush()
                intervals.rebuild_calls(session, tenant_id, busy, busy + timedelta(minutes=15))

    names = ("one call written (delta)", "  … with no report hook", "  … with interval recompute")
    times: dict[str, list[float]] = {name: [] for name in names}
    write(False)
    for _ in range(runs):
        for name in names:
            hooked = name == names[0]
            if not hooked:
                for hook in hooks:
                    event.remove(Session, *hook)
            try:
                started = time.perf_counter()
                write(recompute=name == names[2])
                times[name].append((time.perf_counter() - started) * 1000)
            finally:
                if not hooked:
                    for hook in hooks:
                        event.listen(Session, *hook)
    return {name: statistics.median(values) for name, values in times.items()}


def raw_month_sql(db: Database, tenant_id: int, period: Period) -> None:
    """The same monthly report and funnel, aggregated from the raw records by the set-based SQL of the month
    (the fastest from-raw path we have), in a transaction that is rolled back."""
    from sqlalchemy.orm import Session

    with Session(db.engine) as session, session.begin():
        intervals.rebuild(session, tenant_id, period.start, period.end, in_database=True)
        call_report(session, tenant_id, period)
        ticket_report(session, tenant_id, Period(period.first, period.last, "total", SHANGHAI), "form")
        funnel(session, tenant_id, "main", 1, period)
        session.rollback()


def raw_month(db: Database, tenant_id: int, period: Period) -> None:
    """The monthly report (calls per day, tickets per form) and the funnel straight from the raw records."""
    with db.tenant(tenant_id) as session:
        facts = intervals.queue_facts(session, tenant_id)
        rows = session.execute(select(*intervals.CALL_COLUMNS).where(
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


def _create_database(admin_url: str, name: str) -> tuple[str, Callable[[], None]]:
    """A database of the given name (a throwaway of one's own on a shared server) and its drop."""
    from sqlalchemy import create_engine

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


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
    parser.add_argument("--database", default=None,
                        help="name of the database to create (default: a random hotline_bench_… name)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure on the kept --database as loaded and rebuilt by an earlier run (implies --keep)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="connections that load and rebuild tenants at once (the rows are the same for any)")
    parser.add_argument("--measured-scale", type=float, default=None,
                        help="scale of the measured tenant alone (1: the full 200,000 calls a tenant has in the "
                             "issue's 10 M over 50 tenants), the others at --scale: full per-tenant density when "
                             "the whole load does not fit the time")
    parser.add_argument("--raw-python", action="store_true",
                        help="also time the month from the raw records classified in Python (one run)")
    parser.add_argument("--python-rebuild", action="store_true",
                        help="build the interval rows with the Python rebuild (slow) instead of set-based SQL")
    args = parser.parse_args()
    calls, tickets_n = int(args.calls * args.scale), int(args.tickets * args.scale)
    print(f"scale {args.scale:g}: {calls:,} calls and {tickets_n:,} tickets over {args.tenants} tenants, "
          f"{args.days} days")
    if args.reuse:
        url, drop = make_url(args.url).set(database=args.database).render_as_string(hide_password=False), None
    else:
        url, drop = _create_database(args.url, args.database) if args.database else create_database(args.url)
    print(f"database {make_url(url).database}")
    db = Database(url)
    try:
        if args.reuse:
            with db.platform() as session:
                tenant_ids = list(session.scalars(select(Tenant.id).where(Tenant.slug.like("bench%"))
                                                  .order_by(Tenant.id)))
            today = datetime.now(UTC).astimezone(SHANGHAI).date()
            measure(db, url, tenant_ids[0], today, args)
            return
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
            dense = args.measured_scale if args.measured_scale is not None else args.scale
            call_counts = [int(args.calls * dense) // args.tenants] + [calls // args.tenants] * (args.tenants - 1)
            ticket_counts = [int(args.tickets * dense) // args.tenants] + [tickets_n // args.tenants] * (
                args.tenants - 1)
            calls, tickets_n = sum(call_counts), sum(ticket_counts)
            print(f"measured tenant: {call_counts[0]:,} calls and {ticket_counts[0]:,} tickets (scale {dense:g}); "
                  f"{calls:,} calls and {tickets_n:,} tickets in all")
            generate(conn, tenant_ids, call_counts, ticket_counts, first, args.days, args.seed, progress=True,
                     jobs=args.jobs)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # as autovacuum would have by now: the visibility map for index-only scans
        loaded = time.perf_counter() - started
        print(f"loaded in {loaded:.1f} s ({(calls + tickets_n) / loaded:,.0f} records/s, generate_series on "
              f"{args.jobs} connections; indexes built after)")
        with psycopg.connect(libpq_url(url)) as conn:
            size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('call_record')), "
                                "pg_size_pretty(pg_total_relation_size('ticket'))").fetchone()
        print(f"call_record {size[0]}, ticket {size[1]} (with indexes)")
        started = time.perf_counter()

        def rebuild(share: list[int]) -> int:
            read = 0
            for tenant_id in share:
                with db.platform() as session:
                    session.execute(text("SET LOCAL work_mem = '64MB'"))  # the GROUP BYs sort in memory
                    c, t = intervals.rebuild(session, tenant_id,
                                             datetime.combine(first, dtime.min, tzinfo=SHANGHAI),
                                             datetime.combine(today, dtime.min, tzinfo=SHANGHAI),
                                             in_database=not args.python_rebuild)
                    read += c + t
            return read

        with ThreadPoolExecutor(max(args.jobs, 1)) as pool:  # one tenant per connection at a time
            read = sum(pool.map(rebuild, [tenant_ids[j::max(args.jobs, 1)] for j in range(max(args.jobs, 1))]))
        rebuilt = time.perf_counter() - started
        print(f"interval rows rebuilt ({'Python' if args.python_rebuild else 'set-based SQL'}, {args.jobs} "
              f"connections): {read:,} records in {rebuilt:.1f} s ({read / rebuilt:,.0f} records/s)")
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute("ANALYZE")
            rows = conn.execute("SELECT count(*) FROM report_interval").fetchone()[0]
            ticket_rows = conn.execute("SELECT count(*) FROM report_ticket_interval").fetchone()[0]
        print(f"report_interval rows: {rows:,}; report_ticket_interval rows: {ticket_rows:,}")
        measure(db, url, tenant_ids[0], today, args)
    finally:
        db.dispose()
        if drop is not None and not args.keep:
            drop()


def measure(db: Database, url: str, tenant: int, today: date, args: argparse.Namespace) -> None:
    """The figures of the measured tenant (the first): each report, the writes, and the same from raw records."""
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

    # The busy 11:00 interval of the day measured above: a call ending there, written as the runtime writes it
    # (ORM add + commit) with the counter delta (now), with no report hook, and with the former hook's work
    # (the interval recomputed from its calls in the same transaction); interleaved, as the machine's load varies.
    busy = datetime.combine(day.first, dtime(11, 0), tzinfo=SHANGHAI).astimezone(UTC)
    writes = write_costs(db, tenant, busy, max(args.repeat, 3) * 3)

    figures = {"monthly report": median_ms(monthly, args.repeat),
               "15-minute interval day": median_ms(interval_day, args.repeat),
               "funnel of the month": median_ms(month_funnel, args.repeat),
               "today's dashboard": median_ms(dashboard, args.repeat), **writes}
    # the month from the raw records takes seconds to minutes at full density: one cold run past 20,000 calls
    raw_sql = median_ms(lambda: raw_month_sql(db, tenant, month), max(1, args.repeat // 2) if n_month < 20_000
                        else 0)
    # classify.py over every call of the month in Python: minutes at full scale, so once and only when asked
    raw = median_ms(lambda: raw_month(db, tenant, month), 0) if args.raw_python else None
    print(f"measured tenant: {n_month:,} calls in {month.first:%Y-%m}")
    for name, ms in figures.items():
        print(f"  {name:24} {ms:8.1f} ms")
    both = figures["monthly report"] + figures["funnel of the month"]
    print(f"  {'raw (SQL): month+funnel':24} {raw_sql:8.1f} ms  (interval rows {raw_sql / both:.1f}x faster)")
    if raw is not None:
        print(f"  {'raw (Python): month+funnel':24} {raw:8.1f} ms  (interval rows {raw / both:.1f}x faster)")


if __name__ == "__main__":
    main()
