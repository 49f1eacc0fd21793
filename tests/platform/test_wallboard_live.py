"""Live figures from a real ACD in Redis: calls waiting, longest wait, agents by state, per queue and tenant.

The ACD state is built through the ACD's own API (Presence.login/set_state, Queues.enqueue/try_claim and the
Distributor's answered/ended), exactly as the runtime does, then read back through the wallboard.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis

from hotline.platform.db import Database
from hotline.platform.wallboard import AcdReader, tenant_figures
from hotline.platform.wallboard import thresholds as th
from hotline.runtime.acd import Acd

from .wallboard_helpers import AcdWorld, add_call, make_tenant, redis_now, waiting

pytestmark = pytest.mark.redis


@pytest.fixture
def acd_world() -> Iterator[AcdWorld]:
    world = AcdWorld()
    yield world
    world.close()


def build_tenant_a(acd_world: AcdWorld, a: int, b: int) -> None:
    """Six agents of A in the six states, three calls waiting in A, and B's own agent and call."""
    ta, tb = str(a), str(b)

    async def work(acd: Acd) -> None:
        general = {ta: {"general": 1}}
        for agent in ("a3", "a4", "a2"):  # each one takes one call, in this order
            await acd.presence.login(agent, general)
            call = waiting(a, "general", f"c-{agent}")
            await acd.queues.enqueue(call)
            claimed = await acd.queues.try_claim(call)
            assert claimed.agent_id == agent
            if agent != "a2":  # a2 stays ringing
                await acd.distributor.agent_answered(call, agent)
            if agent == "a4":
                await acd.distributor.call_ended(agent, 600)  # wrap-up for ten minutes
        await acd.presence.login("a5", general)
        await acd.presence.set_state("a5", "break", "lunch")
        await acd.presence.login("a6", general, state="offline")
        now = await redis_now(acd)
        await acd.queues.enqueue(waiting(a, "general", "w1", waited=42, now=now))
        await acd.queues.enqueue(waiting(a, "general", "w2", waited=10, now=now, priority=9))
        await acd.queues.enqueue(waiting(a, "vip", "w3", waited=5, now=now))
        await acd.presence.login("a1", {ta: {"vip": 2}})  # logs in after the calls queued: nobody claimed
        await acd.presence.login("b1", {tb: {"general": 1}})
        await acd.queues.enqueue(waiting(b, "general", "wb", waited=300, now=now))

    acd_world.run(work)


def test_live_queues_and_agents_by_state(db: Database, acd_world: AcdWorld) -> None:
    a, b = make_tenant(db), make_tenant(db)
    build_tenant_a(acd_world, a, b)
    figures = tenant_figures(db, a, acd_world.reader())
    assert figures["live"] == {"available": True, "error": None}
    queues = {q["name"]: q for q in figures["queues"]}
    assert queues["general"]["waiting"] == 2
    # w1 waited longest although w2, of higher priority, is the head of the queue
    assert queues["general"]["longest_wait"] == pytest.approx(42, abs=1.5)
    assert queues["vip"]["waiting"] == 1
    assert queues["vip"]["longest_wait"] == pytest.approx(5, abs=1.5)
    totals = figures["totals"]
    assert totals["waiting"] == 3
    assert totals["longest_wait"] == pytest.approx(42, abs=1.5)
    assert totals["agents"] == {"available": 1, "reserved": 0, "ringing": 1, "on_call": 1, "wrap_up": 1, "break": 1,
                                "offline": 1}
    assert queues["general"]["agents"] == {"available": 0, "reserved": 0, "ringing": 1, "on_call": 1, "wrap_up": 1,
                                           "break": 1, "offline": 1}
    assert queues["vip"]["agents"]["available"] == 1 and sum(queues["vip"]["agents"].values()) == 1
    agents = {row["id"]: row for row in figures["agents"]}
    assert set(agents) == {"a1", "a2", "a3", "a4", "a5", "a6"}
    assert agents["a5"]["state"] == "break" and agents["a5"]["reason"] == "lunch"
    assert [row["state"] for row in figures["agents"]] == [s for s in figures["states"] if s != "reserved"]
    # default thresholds: waiting amber at 3, longest wait amber at 30 s
    assert totals["colours"]["waiting"] == "amber"
    assert queues["general"]["colours"]["waiting"] == "green"
    assert queues["general"]["colours"]["longest_wait"] == "amber"
    assert queues["vip"]["colours"]["longest_wait"] == "green"


def test_another_tenants_agents_and_calls_never_show(db: Database, acd_world: AcdWorld) -> None:
    a, b = make_tenant(db), make_tenant(db)
    build_tenant_a(acd_world, a, b)
    figures_b = tenant_figures(db, b, acd_world.reader())
    assert [row["id"] for row in figures_b["agents"]] == ["b1"]
    assert figures_b["totals"]["waiting"] == 1
    assert figures_b["totals"]["longest_wait"] == pytest.approx(300, abs=1.5)
    figures_a = tenant_figures(db, a, acd_world.reader())
    assert "b1" not in {row["id"] for row in figures_a["agents"]}
    assert figures_a["totals"]["longest_wait"] < 100


def test_a_timed_wrap_up_that_ended_reads_as_available(db: Database, acd_world: AcdWorld) -> None:
    a = make_tenant(db)

    async def work(acd: Acd) -> None:
        await acd.presence.login("x1", {str(a): {"general": 1}})
        call = waiting(a, "general", "cx")
        await acd.queues.enqueue(call)
        assert (await acd.queues.try_claim(call)).agent_id == "x1"
        await acd.distributor.agent_answered(call, "x1")
        await acd.distributor.call_ended("x1", 0.3)

    acd_world.run(work)
    reader = acd_world.reader()
    assert tenant_figures(db, a, reader)["totals"]["agents"]["wrap_up"] == 1
    asyncio.run(asyncio.sleep(0.4))
    assert tenant_figures(db, a, reader)["totals"]["agents"]["available"] == 1


def test_thresholds_colour_the_live_figures(db: Database, acd_world: AcdWorld) -> None:
    a, b = make_tenant(db), make_tenant(db)
    build_tenant_a(acd_world, a, b)
    with db.tenant(a) as session:
        th.save(session, a, None, {"waiting": th.Levels(1, 3)}, "sup")
        th.save(session, a, "vip", {"waiting": th.Levels(None, 1)}, "sup")
    figures = tenant_figures(db, a, acd_world.reader())
    queues = {q["name"]: q for q in figures["queues"]}
    assert figures["totals"]["colours"]["waiting"] == "red"
    assert queues["general"]["colours"]["waiting"] == "amber"
    assert queues["vip"]["colours"]["waiting"] == "red"


def test_an_unreachable_redis_still_gives_todays_figures(db: Database, frozen_clock: datetime) -> None:
    a = make_tenant(db)
    add_call(db, a, datetime.now(UTC) - timedelta(seconds=30))
    reader = AcdReader(redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    figures = tenant_figures(db, a, reader)
    assert figures["live"]["available"] is False and "ConnectionError" in figures["live"]["error"]
    assert figures["totals"]["offered"] == 1 and figures["totals"]["waiting"] == 0


def test_the_wallboard_reads_agents_exactly_as_the_acds_presence_does(db: Database, acd_world: AcdWorld) -> None:
    """The board reads Redis with its own script: it must agree with Presence.agents_in on every agent."""
    a, b = make_tenant(db), make_tenant(db)
    build_tenant_a(acd_world, a, b)

    async def official(acd: Acd) -> list[tuple[str, str, str | None, dict[str, int]]]:
        return [(p.agent_id, p.state, p.reason, dict(p.skills[str(a)])) for p in await acd.presence.agents_in(str(a))]

    expected = acd_world.run(official)
    snapshot = acd_world.reader().snapshot(str(a))
    assert [(x.agent_id, x.state, x.reason, dict(x.skills)) for x in snapshot.agents] == expected


def test_the_wallboard_counts_waiting_calls_as_the_acds_queues_do(db: Database, acd_world: AcdWorld) -> None:
    a, b = make_tenant(db), make_tenant(db)
    build_tenant_a(acd_world, a, b)

    async def official(acd: Acd) -> dict[str, int]:
        return {q: len(await acd.queues.waiting(str(a), q)) for q in await acd.queues.queue_names(str(a))}

    snapshot = acd_world.reader().snapshot(str(a))
    assert {q.name: q.waiting for q in snapshot.queues.values() if q.waiting} == \
        {q: n for q, n in acd_world.run(official).items() if n}


def test_agents_show_their_names_by_desk_extension_user_id_or_username(db: Database, acd_world: AcdWorld) -> None:
    from hotline.platform import models
    from hotline.platform.models import Role
    from hotline.platform.services import users
    from hotline.platform.services.tenants import get_tenant

    a = make_tenant(db)
    with db.platform() as session:
        tenant = session.get(models.Tenant, a)
        made = []
        for display in ("王芳", "李娜", "张伟"):
            user = users.create_user(session, f"n{uuid.uuid4().hex[:8]}", "correct horse battery", "test",
                                     display_name=display)
            users.grant(session, user, get_tenant(session, tenant.slug), Role.AGENT, "test")
            made.append(user)
        ids = [made[1].username, str(made[2].id)]
        extension_model = getattr(models, "AgentExtension", None)
        if extension_model is not None:
            session.add(extension_model(user_id=made[0].id, extension=f"8{made[0].id}"))
            ids.insert(0, f"8{made[0].id}")

    async def work(acd: Acd) -> None:
        for agent in ids:
            await acd.presence.login(agent, {str(a): {"general": 1}})

    acd_world.run(work)
    rows = tenant_figures(db, a, acd_world.reader())["agents"]
    names = {row["id"]: row["name"] for row in rows}
    expected = {made[1].username: "李娜", str(made[2].id): "张伟"}
    if len(ids) == 3:
        expected[ids[0]] = "王芳"
    assert names == expected
    # task E item 4: only an extension is a phone the switch can ring (the board offers live tools on it only)
    assert {row["id"]: row["extension"] for row in rows} == {i: i == ids[0] and len(ids) == 3 for i in ids}


def test_an_agent_reserved_for_a_preview_call_shows_reserved_not_available(db: Database,
                                                                            acd_world: AcdWorld) -> None:
    """Issue 13 (13b #5): an agent who pressed 拨打 in preview waits for that callee (acd/reservations.py) but read
    as 空闲 and counted as available; until the reservation ends they read 预留 and are not available."""
    from hotline.platform.acd import reservations

    a = make_tenant(db)

    async def work(acd: Acd) -> None:
        for agent in ("r1", "r2", "r3"):
            await acd.presence.login(agent, {str(a): {"general": 1}})
        assert await reservations.reserve(acd.redis, acd.keys.prefix, "r1", "pv-1", 60) == 1
        assert await reservations.reserve(acd.redis, acd.keys.prefix, "r3", "pv-3", 0.3) == 1

    acd_world.run(work)
    reader = acd_world.reader()
    figures = tenant_figures(db, a, reader)
    assert {row["id"]: row["state"] for row in figures["agents"]} == {"r1": "reserved", "r2": "available",
                                                                    "r3": "reserved"}
    assert figures["totals"]["agents"]["available"] == 1 and figures["totals"]["agents"]["reserved"] == 2
    assert "reserved" in figures["states"]
    asyncio.run(asyncio.sleep(0.4))  # a reservation nobody released ends at its deadline
    assert tenant_figures(db, a, reader)["totals"]["agents"]["reserved"] == 1
    acd_world.run(lambda acd: reservations.release(acd.redis, acd.keys.prefix, "r1", "pv-1"))
    assert tenant_figures(db, a, reader)["totals"]["agents"] == {**dict.fromkeys(figures["states"], 0),
                                                                 "available": 3}
