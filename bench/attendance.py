"""Benchmark: schedules and attendance of a month at a site of --agents agents.

    .venv/bin/python -m bench.attendance                  # SQLite file in a temporary folder
    .venv/bin/python -m bench.attendance --agents 500
    .venv/bin/python -m bench.attendance --url postgresql+psycopg://postgres@127.0.0.1:5432/<an empty database>

One tenant; each agent has 22 day shifts of 9 h with 1 h break in March 2026 (Shanghai) and, on each of those
days, --changes agent-state changes (log in, calls and wrap-ups, a break, log out). Measured, each the median of
--repeat runs in a fresh tenant session as a web request would: the month's scheduled hours per agent and seat
type (what the settlement reads), one day's attendance, one day's adherence in 15-minute intervals, and the
month's overtime (the attendance page draws the last three). It prints figures; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.models import AgentStateChange, Membership, Role, Shift, User
from hotline.platform.schedules.attendance import adherence, day_attendance, month_overtime
from hotline.platform.schedules.hours import month_range, scheduled_hours
from hotline.platform.services.tenants import create_tenant

ZONE = ZoneInfo("Asia/Shanghai")
CYCLE = ("on_call", "wrap_up", "available")


def load(db: Database, agents: int, changes: int) -> int:
    with db.platform() as session:
        tenant = create_tenant(session, "benchattend", "Bench", actor="bench").id
        users = []
        for n in range(agents):
            user = User(username=f"bench{n}", display_name=f"Agent {n}")
            session.add(user)
            session.flush()
            session.add(Membership(tenant_id=tenant, user_id=user.id, role=Role.AGENT))
            users.append(user.id)
    days = [date(2026, 3, d) for d in range(1, 32) if date(2026, 3, d).weekday() < 6][:22]
    with db.tenant(tenant) as session:
        shifts, states = [], []
        for user_id in users:
            for day in days:
                start = datetime(day.year, day.month, day.day, 9, tzinfo=ZONE).astimezone(UTC)
                shifts.append({"tenant_id": tenant, "user_id": user_id, "seat_type": "agent", "starts_at": start,
                               "ends_at": start + timedelta(hours=9), "break_minutes": 60, "note": "",
                               "updated_by": "bench", "updated_at": start})
                step = timedelta(hours=9) / changes
                for k in range(changes):
                    state = "available" if k == 0 else "offline" if k == changes - 1 else \
                        "break" if k == changes // 2 else CYCLE[k % 3]
                    states.append({"tenant_id": tenant, "agent": f"e{user_id}", "user_id": user_id, "state": state,
                                   "reason": "", "at": start - timedelta(minutes=5) + k * step, "until": None,
                                   "stream_id": f"{user_id}-{day.isoformat()}-{k}"})
        session.execute(insert(Shift), shifts)
        for offset in range(0, len(states), 20_000):
            session.execute(insert(AgentStateChange), states[offset:offset + 20_000])
    return tenant


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        work()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--changes", type=int, default=40, help="state changes per agent and working day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        schema_migrations.upgrade(db)
        begin = time.perf_counter()
        tenant = load(db, args.agents, args.changes)
        print(f"{db.dialect}: {args.agents} agents, {args.agents * 22} shifts, "
              f"{args.agents * 22 * args.changes} state changes loaded in {time.perf_counter() - begin:.1f} s")
        month = month_range(ZONE, 2026, 3)
        day = date(2026, 3, 11)

        def run(work: Callable[..., object]) -> Callable[[], object]:
            def once() -> object:
                with db.tenant(tenant) as session:
                    return work(session)
            return once

        figures = {
            "scheduled hours, month": run(lambda s: scheduled_hours(s, tenant, *month)),
            "day attendance": run(lambda s: day_attendance(s, tenant, ZONE, day, now=month[1])),
            "day adherence, 15 min": run(lambda s: adherence(s, tenant, ZONE, day, 15, now=month[1])),
            "month overtime": run(lambda s: month_overtime(s, tenant, ZONE, 2026, 3, now=month[1])),
        }
        for name, work in figures.items():
            print(f"  {name:<24} {median_ms(work, args.repeat):9.1f} ms (median of {args.repeat})")
        db.dispose()


if __name__ == "__main__":
    main()
