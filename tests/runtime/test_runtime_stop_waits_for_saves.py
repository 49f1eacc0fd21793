"""A runtime that stops keeps its lease until the records of the calls it cut or ended are saved.

`hotline up` stopped by SIGTERM/SIGINT while a call talked to an agent: the simulator hung the call up, the runtime
began saving its record, and Runtime.stop() cancelled that save's task, then gave its lease up and swept itself
while the write still ran in its thread; the sweep (the runtime's own, another runtime's or the worker's job) found
the call's live entry and wrote a stand-in `runtime_lost` record for the same call, and the two inserts raced on
call_record.uuid (506ead8 made the sweep's loss quiet). Now stop() waits, within STOP_SAVE_SECONDS, for every save,
and only then releases the lease; a save that outlives the bound is logged and the lease is left to expire.

The save is slowed by the database itself: another connection holds the write lock on call_record (PostgreSQL
LOCK TABLE, SQLite BEGIN IMMEDIATE), so the runtime's insert waits until the test lets it go. Real simulator,
runtime, Redis and database; the concurrent sweeper is the worker job's `sweep_once`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Iterator

import pytest

from hotline.platform.db import Database
from hotline.runtime.acd import AcdKeys
from hotline.runtime.acd.lease_sweep_job import sweep_once
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from .acd.test_queues_e2e import _tenant
from .e2e_helpers import Stack, call_record, run, stack, wait_until

pytestmark = [pytest.mark.redis]


@contextlib.contextmanager
def table_locked(db: Database, table: str) -> Iterator[None]:
    """Holds the write lock on `table` in a connection of its own until the block ends: every write to it (the
    runtime's, a sweep's stand-in) waits for it. SQLite locks the whole database for writers."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            try:
                yield
            finally:
                connection.rollback()
        return
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the one writer SQLite allows; the others wait (busy timeout 30 s)
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


async def _talking_call(s: Stack, tenant_id: int, did: str, caller: str) -> str:
    """A caller who pressed 0 and talks to agent s1; returns the call's uuid."""
    await s.login("s1", tenant_id, "express_general")
    s.switch.start_call(CallerScript(did=did, caller=caller, presses=["0"], hangup_after=600_000))

    async def talking() -> str | None:
        found = await s.runtime.acd.presence.get("s1")
        return found.call_id if found is not None and found.state == "on_call" else None

    return await wait_until(talking, timeout=15, what="s1 on the call")


async def _ended_and_saving(s: Stack) -> None:
    """`hotline up`'s stop order: the simulator first (the call ends, its record is being saved), then the runtime."""
    await s.switch.stop()

    async def agent_off_the_call() -> bool:
        found = await s.runtime.acd.presence.get("s1")
        return found is None or found.state != "on_call"

    await wait_until(agent_off_the_call, timeout=10, what="the call's end")
    await asyncio.sleep(0.5)  # the record's insert is under way and waits on the lock


def test_a_stopping_runtime_keeps_its_lease_until_the_records_are_saved(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    tenant_id, did = _tenant(db)
    agents = {"s1": AgentBehavior(answer_after_ms=100, talk_ms=None)}

    async def scenario() -> tuple[str, dict[str, object]]:
        async with stack(db, agents=agents, time_scale=0.01) as s:
            uuid = await _talking_call(s, tenant_id, did, "13700000081")
            keys = AcdKeys(s.prefix)
            lease = keys.runtime(s.runtime.runtime_id)
            seen: dict[str, object] = {}
            with table_locked(db, "call_record"):
                await _ended_and_saving(s)
                stopping = asyncio.create_task(s.runtime.stop())
                await asyncio.sleep(0.5)
                seen["stopped_while_saving"] = stopping.done()
                seen["lease_while_saving"] = bool(await s.redis.exists(lease))
                seen["live_while_saving"] = bool(await s.redis.exists(keys.live(uuid)))
                if seen["lease_while_saving"]:  # a concurrent sweeper (the worker's job) finds nobody dead
                    swept = await sweep_once(s.redis, db, s.prefix)
                    seen["swept"] = (swept.runtimes, swept.lost)
            await asyncio.wait_for(stopping, 10)
            seen["lease_after"] = bool(await s.redis.exists(lease))
            seen["lost_entries"] = await s.redis.llen(keys.lost_calls)
            return uuid, seen

    with caplog.at_level(logging.INFO):
        uuid, seen = run(scenario(), timeout=60)
    assert seen["lease_while_saving"] and not seen["stopped_while_saving"], seen
    assert seen["live_while_saving"], seen
    assert seen["swept"] == ((), 0), seen
    assert not seen["lease_after"] and seen["lost_entries"] == 0, seen  # released once the record was saved
    cdr = call_record(db, tenant_id, uuid)
    assert cdr is not None and cdr.outcome != "runtime_lost" and cdr.answered_at is not None, cdr and cdr.outcome
    assert "runtime_lost" not in caplog.text and "recorded by its runtime meanwhile" not in caplog.text, caplog.text


def test_a_save_outliving_the_bound_leaves_the_lease_to_expire(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    tenant_id, did = _tenant(db)
    agents = {"s1": AgentBehavior(answer_after_ms=100, talk_ms=None)}

    async def scenario() -> tuple[str, dict[str, object]]:
        async with stack(db, agents=agents, time_scale=0.01,
                         runtime_options={"stop_save_seconds": 0.3, "lease_seconds": 3.0}) as s:
            uuid = await _talking_call(s, tenant_id, did, "13700000082")
            keys = AcdKeys(s.prefix)
            lease = keys.runtime(s.runtime.runtime_id)
            seen: dict[str, object] = {}
            with table_locked(db, "call_record"):
                await _ended_and_saving(s)
                await asyncio.wait_for(s.runtime.stop(), 5)  # returns after the bound, the save still waiting
                seen["lease_ttl_after_stop"] = await s.redis.pttl(lease)
                seen["live_after_stop"] = bool(await s.redis.exists(keys.live(uuid)))
            await wait_until(lambda: asyncio.to_thread(call_record, db, tenant_id, uuid), timeout=10,
                             what="the runtime's record, once the lock is gone")
            await wait_until(lambda: _gone(s, keys.live(uuid)),
                             timeout=5, what="the live entry's end")
            return uuid, seen

    with caplog.at_level(logging.INFO):
        uuid, seen = run(scenario(), timeout=60)
    assert isinstance(seen["lease_ttl_after_stop"], int) and seen["lease_ttl_after_stop"] > 0, seen  # not released
    assert seen["live_after_stop"], seen
    assert "still saving" in caplog.text, caplog.text
    cdr = call_record(db, tenant_id, uuid)
    assert cdr is not None and cdr.outcome != "runtime_lost", cdr and cdr.outcome


async def _gone(s: Stack, key: str) -> bool:
    return not await s.redis.exists(key)
