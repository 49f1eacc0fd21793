"""Publishing while calls run (DESIGN §2): a call in progress keeps the version it started with; the next
call runs the new one, because the publish reaches every runtime's route cache over Redis pub/sub."""

from __future__ import annotations

import asyncio

import pytest

from hotline.platform.db import Database
from hotline.runtime.simswitch import HANGUP, AgentBehavior, CallerScript

from .e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record, wait_until

pytestmark = [pytest.mark.redis]
DID = "4008005001"
V1_SURVEY = "请您对刚才客服代表的服务进行评价"  # the template's catalogue prompt "survey"
V2_WELCOME = "第二版欢迎语：速达快递热线已升级。"
V2_SURVEY = "第二版满意度调查：满意请按1。"


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    require_redis()
    return clone(db, "express_delivery", "publish-express", [DID])


def version_two(body: dict) -> None:
    body["nodes"]["welcome"]["prompt"] = {"text": V2_WELCOME}
    body["nodes"]["survey"]["prompt"] = {"text": V2_SURVEY}


def test_a_publish_during_a_call_applies_to_the_next_call_only(db: Database, express: int) -> None:
    agents = {"p1": AgentBehavior(answer_after_ms=500, talk_ms=10_000)}

    async def scenario():
        async with stack(db, agents=agents, runtimes=2) as s:
            # Call A waits in the agent queue (nobody is logged in yet) while version 2 is published.
            call_a = s.switch.start_call(CallerScript(did=DID, caller="13700000020", presses=["0"]))
            await wait_until(lambda: _enqueued(s, express), what="call A in the queue")
            # Both processes hold version 1 in their cache (the second one never had a call: load it there).
            # (Other test runs share the Redis channel, so a foreign publish may drop an entry any time; that
            # only costs a reload.)
            for runtime in s.runtimes:
                assert (await runtime.routes.route(DID)).version == 1
            version = await asyncio.to_thread(publish_ivr, db, express, version_two)
            # Every runtime process drops the tenant's route on the platform event (Redis pub/sub).
            await wait_until(lambda: all(DID not in r.routes._routes for r in s.runtimes), what="invalidation")
            await s.login("p1", express, "express_general")
            record_a = await call_a
            record_b = await s.switch.place_call(CallerScript(did=DID, caller="13700000021", presses=[HANGUP]))
            cdr_a = await wait_for_record(db, express, record_a.uuid)
            cdr_b = await wait_for_record(db, express, record_b.uuid)
            return version, record_a, record_b, cdr_a, cdr_b

    version, record_a, record_b, cdr_a, cdr_b = run(scenario())
    assert version == 2
    # A started on version 1 and finished on it: after the agent it heard version 1's survey prompt.
    assert cdr_a.ivr_version == 1 and cdr_a.outcome == "completed"
    assert record_a.bridges and record_a.bridges[0]["target"].endswith("user/p1"), record_a.summary()
    heard_a = "\n".join(record_a.prompts)
    assert V1_SURVEY in heard_a and V2_SURVEY not in heard_a and V2_WELCOME not in heard_a, heard_a
    # B started after the publish: version 2 from its first prompt.
    assert cdr_b.ivr_version == 2 and cdr_b.outcome == "caller_hangup"
    assert record_b.prompts[0] == V2_WELCOME, record_b.prompts


async def _enqueued(s, tenant_id: int) -> bool:
    return any(e.kind == "call_enqueued" for e in await s.events(tenant_id))


def test_a_publish_whose_event_never_arrives_reaches_new_calls_after_revalidation(
        db: Database, express: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded queue stand-in lives inside `hotline up`; a `hotline publish` from another process cannot reach
    it. The route cache reloads a route older than REVALIDATE_SECONDS in the background (QA of issue 11: a CLI
    publish never reached the running stack)."""
    from hotline.runtime.call import routing

    cache = routing.RouteCache(db)

    async def scenario() -> tuple[int, int, int]:
        first = (await cache.route(DID)).version
        await asyncio.to_thread(publish_ivr, db, express, version_two)  # no event reaches this cache
        monkeypatch.setattr(routing, "REVALIDATE_SECONDS", 0.0)
        stale = (await cache.route(DID)).version  # this call keeps the cached route and starts the reload
        await asyncio.gather(*cache._warming)
        return first, stale, (await cache.route(DID)).version

    first, stale, fresh = run(scenario())
    assert fresh == first + 1 and stale == first
