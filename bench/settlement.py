"""Benchmark: settling a month of a 500-seat site (seed 003's "按500座席设计") and comparing its vendors.

    .venv/bin/python -m bench.settlement                  # SQLite file in a temporary folder
    .venv/bin/python -m bench.settlement --agents 1200    # a bigger site
    .venv/bin/python -m bench.settlement --url postgresql+psycopg://postgres@127.0.0.1:5432/<an empty database>

One tenant, three vendors (one self-operated) sharing --agents agents; each agent has 22 shifts of 8 h in March
(a fifth with two more, so overtime seats exist), four QA evaluations, and the month's entries. Measured, each
the median of --repeat runs in a fresh tenant session as a web request would: the statement computed now (what
the statement page does), its Excel workbook, a sign-off (one more version each run), and the vendor comparison
of the month. It prints figures; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import (
    Evaluation,
    Membership,
    Role,
    Shift,
    User,
    Vendor,
    VendorAgent,
    VendorContract,
    VendorMonth,
)
from hotline.platform.services.tenants import create_tenant
from hotline.platform.settlement import assessment, statements, workbook
from hotline.platform.settlement.inputs import parse_month
from hotline.platform.settlement.terms import EXAMPLE

START = datetime(2026, 3, 2, 1, tzinfo=UTC)


def load(db: Database, agents: int) -> tuple[int, list[int]]:
    with db.platform() as session:
        tenant = create_tenant(session, "benchsettle", "Bench", actor="bench").id
    vendors = []
    with db.tenant(tenant) as session:
        for n in range(3):
            row = Vendor(name=f"v{n}", title=f"Vendor {n}", self_operated=n == 0, queues=[])
            session.add(row)
            session.flush()
            session.add(VendorContract(vendor_id=row.id, title="2026", valid_from=START.date().replace(day=1),
                                       terms=EXAMPLE))
            session.add(VendorMonth(vendor_id=row.id, month="2026-03", business_score=Decimal("91"),
                                    overall_score=Decimal("93"), achieved={"answered_calls": "31000"}))
            vendors.append(row.id)
        users = [User(username=f"bench{n}", display_name=f"Agent {n}") for n in range(agents)]
        session.add_all(users)
        session.flush()
        rows: list[object] = []
        for n, user in enumerate(users):
            seat = "team_lead" if n % 20 == 5 else ("trainee" if n % 7 == 0 else "agent")
            rows.append(Membership(user_id=user.id, role=Role.AGENT))
            rows.append(VendorAgent(vendor_id=vendors[n % 3], user_id=user.id,
                                    joined_on=START.date().replace(year=2025)))
            for day in range(24 if n % 5 == 0 else 22):
                begins = START + timedelta(days=day)
                rows.append(Shift(user_id=user.id, seat_type=seat, starts_at=begins,
                                  ends_at=begins + timedelta(hours=8)))
            for k in range(4):
                rows.append(Evaluation(call_uuid=f"c{n}-{k}", agent_id=user.id, reviewer="qa", sheet_name="s",
                                       total=80.0 + (n + k) % 20, created_at=START + timedelta(days=k)))
        session.add_all(rows)
    return tenant, vendors


def timed(repeat: int, work: Callable[[], object]) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="an empty database to use instead of a temporary SQLite file")
    parser.add_argument("--profile", action="store_true", help="print where one statement's time goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        db.use_secret_key("bench-secret-key-0123456789-abcdefghijklmnop")
        schema_migrations.upgrade(db)
        began = time.perf_counter()
        tenant, vendors = load(db, args.agents)
        print(f"loaded {args.agents} agents, {args.agents * 22 + args.agents // 5 * 2} shifts in "
              f"{time.perf_counter() - began:.1f} s ({db.dialect})")
        month = parse_month("2026-03", ZoneInfo("UTC"))

        def preview() -> object:
            with db.tenant(tenant) as session:
                found = statements.preview(session, tenant, statements.vendor(session, vendors[1]), month)
                assert found.result is not None, found.missing
                return found

        def excel() -> object:
            with db.tenant(tenant) as session:
                found = statements.preview(session, tenant, statements.vendor(session, vendors[1]), month)
                assert found.record is not None and found.result is not None
                return workbook.to_xlsx(["bench"], workbook.rows(found.record, found.result, str), "2026-03")

        def sign() -> object:
            with db.tenant(tenant) as session:
                return statements.sign(session, tenant, statements.vendor(session, vendors[1]), month, "bench")

        def compare() -> object:
            with db.tenant(tenant) as session:
                return assessment.figures(session, tenant, month)

        result = preview().result  # type: ignore[attr-defined]
        if args.profile:
            import cProfile

            cProfile.runctx("preview()", globals(), locals(), sort="cumtime")
        print(f"vendor 1: {len(result['seats'])} seat lines, total {result['total']}")
        for name, work in (("statement computed now", preview), ("statement + Excel", excel),
                           ("sign-off (one more version)", sign), ("vendor comparison (3 vendors)", compare)):
            print(f"{name:32s} median {timed(args.repeat, work):8.1f} ms over {args.repeat} runs")
        db.dispose()


if __name__ == "__main__":
    main()
