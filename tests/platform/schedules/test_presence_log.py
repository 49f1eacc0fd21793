"""The ACD's agent-state stream, written by the ACD's own scripts on a real Redis, copied into the database once,
with the end of a timed wrap-up, the agent's user, and nothing of another tenant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import select

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.schedules.presence_log import copy_state_changes
from tests.platform.wallboard_helpers import AcdWorld
from tests.runtime.acd_helpers import REDIS_URL

from .. import factories

pytestmark = pytest.mark.redis


@pytest.fixture
def acd_world() -> Iterator[AcdWorld]:
    world = AcdWorld()
    yield world
    world.close()


def test_state_changes_are_copied_once_with_the_timed_wrap_up_end(db: Database, acd_world: AcdWorld, unique) -> None:
    extension = unique("x")[:12]
    with db.platform() as session:
        a, b = factories.tenant(session, "a"), factories.tenant(session, "b")
        agent = factories.user(session)
        session.add(m.AgentExtension(user_id=agent.id, extension=extension))
        tenants = {"a": a.id, "b": b.id, "user": agent.id}

    async def shift(acd):
        await acd.presence.login(extension, {str(tenants["a"]): {"general": 1}})
        await acd.presence.set_state(extension, "wrap_up", wrap_up_seconds=30)
        await acd.presence.set_state(extension, "break", "lunch")
        await acd.presence.logout(extension)
        await acd.presence.login("other", {str(tenants["b"]): {"general": 1}})

    acd_world.run(shift)
    client = redis.Redis.from_url(REDIS_URL)
    with db.tenant(tenants["a"]) as session:
        assert copy_state_changes(session, client, tenants["a"], acd_world.prefix) == 4
    with db.tenant(tenants["a"]) as session:  # a second copy finds nothing new
        assert copy_state_changes(session, client, tenants["a"], acd_world.prefix) == 0
        rows = session.scalars(select(m.AgentStateChange).order_by(m.AgentStateChange.id)).all()
    assert [(r.agent, r.user_id, r.state, r.reason) for r in rows] == [
        (extension, tenants["user"], "available", ""), (extension, tenants["user"], "wrap_up", ""),
        (extension, tenants["user"], "break", "lunch"), (extension, tenants["user"], "offline", "")]
    assert (rows[1].until - rows[1].at).total_seconds() == pytest.approx(30, abs=0.01)
    assert rows[0].until is None and rows[2].until is None
    assert rows[0].at <= rows[1].at <= rows[2].at <= rows[3].at

    async def back(acd):
        await acd.presence.login(extension, {str(tenants["a"]): {"general": 1}})

    acd_world.run(back)
    with db.tenant(tenants["a"]) as session:  # later changes are copied after the last one copied
        assert copy_state_changes(session, client, tenants["a"], acd_world.prefix) == 1
    with db.tenant(tenants["b"]) as session:
        assert copy_state_changes(session, client, tenants["b"], acd_world.prefix) == 1
        assert [r.agent for r in session.scalars(select(m.AgentStateChange))] == ["other"]
    client.close()


def test_the_worker_job_copies_every_tenants_changes(db: Database, acd_world: AcdWorld, queues, unique) -> None:
    from hotline.platform.jobs.attendance import copy_presence
    from tests.jobs_support import run_worker

    with db.platform() as session:
        tenant = factories.tenant(session, "j")
    extension = unique("j")[:12]

    async def login(acd):
        await acd.presence.login(extension, {str(tenant.id): {"general": 1}})
        await acd.presence.set_state(extension, "break", "meeting")

    acd_world.run(login)
    job = queues.default.enqueue(copy_presence, queues.prefix, None, acd_world.prefix)
    run_worker(queues, until=lambda: job.get_status(refresh=True) in ("finished", "failed"))
    assert job.get_status(refresh=True) == "finished", job.exc_info
    with db.tenant(tenant.id) as session:
        assert [(r.agent, r.state, r.reason) for r in session.scalars(select(m.AgentStateChange)
                                                                        .order_by(m.AgentStateChange.id))] == [
            (extension, "available", ""), (extension, "break", "meeting")]


def test_a_stream_trimmed_past_the_last_copy_is_reported(db: Database, acd_world: AcdWorld, unique, caplog) -> None:
    from hotline.platform.acd.keys import AcdKeys

    extension = unique("g")[:12]
    with db.platform() as session:
        tenant = factories.tenant(session, "g").id
    client = redis.Redis.from_url(REDIS_URL)

    async def changes(acd):
        await acd.presence.login(extension, {str(tenant): {"general": 1}})
        for _ in range(3):
            await acd.presence.set_state(extension, "break", "rest")
            await acd.presence.set_state(extension, "available")

    acd_world.run(lambda acd: acd.presence.login(extension, {str(tenant): {"general": 1}}))
    with db.tenant(tenant) as session:
        assert copy_state_changes(session, client, tenant, acd_world.prefix) == 1
    acd_world.run(changes)
    # what a busy day does to the stream between two copies
    client.xtrim(AcdKeys(acd_world.prefix).events(str(tenant)), maxlen=2, approximate=False)
    with caplog.at_level("WARNING", logger="hotline.attendance"), db.tenant(tenant) as session:
        assert copy_state_changes(session, client, tenant, acd_world.prefix) == 2
    assert "trimmed past the last copied change" in caplog.text
    client.close()
