"""Benchmark: screen pop by calling number, ticket search by waybill, and customer import throughput at scale.

    .venv/bin/python -m bench.desk_lookups                       # 1,000,000 customers and tickets
    .venv/bin/python -m bench.desk_lookups --customers 100000 --tickets 100000 --import-rows 10000   # quick

It creates a throwaway PostgreSQL database (dropped at the end unless --keep), migrates it, clones the express
template into a tenant, bulk-loads the fixture data with COPY (fixture loading is not what is measured), then
measures the code paths the desk really uses, each call in its own tenant session as a web request would:

* screen pop: `customers.find_by_phone` for known numbers (90 %) and unknown ones (10 %);
* waybill search: `ticket_search.search(text=<waybill>)`, the whole number as an agent pastes it;
* import: a CSV file of realistic lines (a few bad, some phones already known, so merged) through
  `import_jobs.create` + `import_jobs.run`, the body of the RQ job the import page enqueues.

Goals (issue 5): pop p99 <= 10 ms, waybill p99 <= 25 ms, import >= 5,000 rows/s. It prints figures; it
passes or fails nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import Document, DocumentVersion
from hotline.platform.services import customers, import_jobs, templates, ticket_search

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FORMS = ("tracking_query", "delivery_urge", "pickup_order", "complaint", "consultation")
STATUSES = ("pending", "processing", "done")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
STREETS = ("望京SOHO", "阜通东大街", "广顺北大街", "国贸三期", "建外SOHO", "三里屯太古里", "中关村大街", "五道口",
           "团结湖", "花家地街", "方恒国际中心", "华贸中心")


def phone_of(i: int) -> str:
    return f"13{i:09d}"


def second_phone_of(i: int) -> str:
    return f"15{i:09d}"


def waybill_of(i: int) -> str:
    return f"77{i:011d}"


def name_of(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def address_of(rng: random.Random) -> str:
    return f"北京市朝阳区{rng.choice(STREETS)}{rng.randint(1, 30)}号{rng.randint(1, 30)}0{rng.randint(1, 9)}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- database and fixture data ----------------------------------------------------------------------------------


def create_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"hotline_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def next_id(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]


def reset_sequence(conn: psycopg.Connection, table: str) -> None:
    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def load_customers(conn: psycopg.Connection, tenant_id: int, count: int, rng: random.Random) -> None:
    now = datetime.now(UTC)
    first = next_id(conn, "customer")
    phone_id = next_id(conn, "customer_phone")
    with conn.cursor() as cur:
        with cur.copy("COPY customer (id, tenant_id, name, address, vip, flags, note, data, created_at, updated_at) "
                      "FROM STDIN") as copy:
            for i in range(count):
                flags = '["monthly_settlement"]' if i % 7 == 0 else "[]"
                copy.write_row((first + i, tenant_id, name_of(rng), address_of(rng), i % 50 == 0, flags, "", "{}",
                                now, now))
        with cur.copy("COPY customer_phone (id, tenant_id, customer_id, phone, label) FROM STDIN") as copy:
            for i in range(count):
                copy.write_row((phone_id, tenant_id, first + i, phone_of(i), ""))
                phone_id += 1
                if i % 5 == 0:
                    copy.write_row((phone_id, tenant_id, first + i, second_phone_of(i), ""))
                    phone_id += 1
    reset_sequence(conn, "customer")
    reset_sequence(conn, "customer_phone")
    conn.commit()


def load_tickets(conn: psycopg.Connection, tenant_id: int, count: int, customer_count: int,
                 searchable: dict[str, tuple[int, list[str]]], rng: random.Random) -> None:
    now = datetime.now(UTC)
    first = next_id(conn, "ticket")
    first_customer = conn.execute("SELECT MIN(id) FROM customer WHERE tenant_id = %s", (tenant_id,)).fetchone()[0]
    key_id = next_id(conn, "ticket_search_key")
    with conn.cursor() as cur:
        with cur.copy("COPY ticket (id, tenant_id, number, form_name, form_version, data, status, priority, "
                      "customer_id, resolution_due, revision, created_by, created_at, updated_at) FROM STDIN") as copy:
            for i in range(count):
                form = FORMS[i % len(FORMS)]
                customer = rng.randrange(customer_count) if customer_count else 0
                created = now - timedelta(minutes=count - i)
                data = {"waybill": waybill_of(i), "phone": phone_of(customer), "recipient_phone": phone_of(i + 7),
                        "courier": rng.choice(("张建国", "李卫东", "王海涛")), "address": address_of(rng),
                        "question": "快件几天没有更新物流信息，请帮忙查询"}
                copy.write_row((first + i, tenant_id, str(10_000_000 + i), form, searchable[form][0],
                                json.dumps(data, ensure_ascii=False), STATUSES[i % 3], 5,
                                first_customer + customer if customer_count else None, created + timedelta(hours=4),
                                1, "bench", created, created))
        with cur.copy("COPY ticket_search_key (id, tenant_id, ticket_id, field, value) FROM STDIN") as copy:
            for i in range(count):
                form = FORMS[i % len(FORMS)]
                values = {"waybill": waybill_of(i), "phone": phone_of(i % max(customer_count, 1)),
                          "recipient_phone": phone_of(i + 7), "courier": "张建国", "complaint_type": "delay",
                          "topic": "fees"}
                for field in searchable[form][1]:
                    copy.write_row((key_id, tenant_id, first + i, field, values.get(field, "x")))
                    key_id += 1
    reset_sequence(conn, "ticket")
    reset_sequence(conn, "ticket_search_key")
    conn.commit()


def searchable_fields(db: Database, tenant_id: int) -> dict[str, tuple[int, list[str]]]:
    with db.tenant(tenant_id) as session:
        rows = session.execute(select(Document.name, Document.published_version, DocumentVersion.body)
                               .join(DocumentVersion, (DocumentVersion.document_id == Document.id)
                                     & (DocumentVersion.number == Document.published_version))
                               .where(Document.kind == "form")).all()
    return {name: (version, list(body.get("searchable", []))) for name, version, body in rows}


# -- measurements -------------------------------------------------------------------------------------------------


def timed(samples: Iterator[Callable[[], object]], warmup: int) -> list[float]:
    times = []
    for index, call in enumerate(samples):
        start = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - start) * 1000
        if index >= warmup:
            times.append(elapsed)
    return times


def pop_samples(db: Database, tenant_id: int, customer_count: int, n: int,
                rng: random.Random) -> Iterator[Callable[[], object]]:
    for _ in range(n):
        number = phone_of(rng.randrange(customer_count)) if rng.random() < 0.9 else f"19{rng.randrange(10**9):09d}"

        def call(number: str = number) -> object:
            with db.tenant(tenant_id) as session:
                return customers.find_by_phone(session, number)

        yield call


def waybill_samples(db: Database, tenant_id: int, ticket_count: int, n: int,
                    rng: random.Random) -> Iterator[Callable[[], object]]:
    # only forms with a searchable waybill field index it (pickup orders and consultations have none)
    with_waybill = [i for i, form in enumerate(FORMS) if form in ("tracking_query", "delivery_urge", "complaint")]
    for _ in range(n):
        base = rng.randrange(ticket_count // len(FORMS)) * len(FORMS)
        waybill = waybill_of(base + rng.choice(with_waybill))

        def call(waybill: str = waybill) -> object:
            with db.tenant(tenant_id) as session:
                rows, total = ticket_search.search(session, text=waybill, per_page=20)
                assert total >= 1, waybill
                return rows

        yield call


def import_file(rows: int, customer_count: int, rng: random.Random) -> bytes:
    """A realistic file: 2 % bad lines (no name, bad phone, bad VIP), 5 % phones already known (merged)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["name", "phones", "address", "vip", "flags", "note", "company"])
    for i in range(rows):
        roll = rng.random()
        name, phone, vip = name_of(rng), f"18{i:09d}", rng.choice(("是", "否", ""))
        if roll < 0.007:
            name = ""
        elif roll < 0.014:
            phone = "not-a-phone"
        elif roll < 0.02:
            vip = "maybe"
        elif roll < 0.07 and customer_count:
            phone = phone_of(rng.randrange(customer_count))
        writer.writerow([name, phone, address_of(rng), vip, "monthly_settlement" if i % 9 == 0 else "", "",
                         "某某科技有限公司"])
    return out.getvalue().encode("utf-8")


def measure_import(db: Database, tenant_id: int, rows: int, customer_count: int,
                   rng: random.Random) -> tuple[float, dict[str, int]]:
    content = import_file(rows, customer_count, rng)
    with db.tenant(tenant_id) as session:
        job_id = import_jobs.create(session, "bench.csv", content, "bench").id
    start = time.perf_counter()
    job = import_jobs.run(db, tenant_id, job_id)
    elapsed = time.perf_counter() - start
    return rows / elapsed, {"created": job.created, "merged": job.merged, "skipped": job.skipped,
                            "errors": len(job.errors), "seconds": round(elapsed, 2)}


def report(name: str, times: list[float], goal: float | None = None) -> None:
    line = (f"{name:<28} n={len(times):>5}  p50={percentile(times, 50):7.2f} ms  p99={percentile(times, 99):7.2f} ms"
            f"  mean={statistics.fmean(times):7.2f} ms  max={max(times):7.2f} ms")
    if goal is not None:
        line += f"  (goal p99 <= {goal:g} ms: {'met' if percentile(times, 99) <= goal else 'NOT met'})"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=2000, help="lookups measured per kind")
    parser.add_argument("--url", default=DEFAULT_URL, help="an admin URL of the PostgreSQL server")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    url, drop = create_database(args.url)
    db = Database(url)
    try:
        schema_migrations.upgrade(db)
        with db.platform() as session:
            tenant_id = templates.clone(session, templates.load("express_delivery"), "bench", None, "bench").id
        with db.platform() as session:
            other_id = templates.clone(session, templates.load("express_delivery"), "other", None, "bench").id
        forms = searchable_fields(db, tenant_id)
        started = time.perf_counter()
        with psycopg.connect(libpq_url(url)) as conn:
            load_customers(conn, tenant_id, args.customers, rng)
            load_customers(conn, other_id, args.customers // 10, rng)  # another tenant shares the tables
            load_tickets(conn, tenant_id, args.tickets, args.customers, forms, rng)
            conn.execute("ANALYZE")
            conn.commit()
        print(f"loaded {args.customers:,} customers and {args.tickets:,} tickets (+10 % in another tenant's "
              f"customers) in {time.perf_counter() - started:.0f} s", flush=True)

        # Other processes on the machine inflate the tails: say how busy it was while measuring.
        print(f"load average before measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs", flush=True)
        warmup = min(200, args.samples // 5)
        report("screen pop by number", timed(pop_samples(db, tenant_id, args.customers, args.samples + warmup, rng),
                                             warmup), goal=10)
        report("ticket search by waybill", timed(waybill_samples(db, tenant_id, args.tickets, args.samples + warmup,
                                                                 rng), warmup), goal=25)
        rate, outcome = measure_import(db, tenant_id, args.import_rows, args.customers, rng)
        print(f"{'customer import':<28} {args.import_rows:,} rows at {rate:,.0f} rows/s  {outcome}  "
              f"(goal >= 5,000 rows/s: {'met' if rate >= 5000 else 'NOT met'})", flush=True)
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    finally:
        db.dispose()
        if args.keep:
            print(f"kept database {make_url(url).database}")
        else:
            drop()


if __name__ == "__main__":
    main()
