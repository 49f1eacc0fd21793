"""The workspace: who may open it, presence changes reaching the real ACD, and live call state (JSON and SSE)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import redis

from hotline.designer.desk.acd_bridge import EXTENSION_KEY, DeskAcd
from hotline.platform.db import Database
from hotline.runtime.acd import Acd, WaitingCall
from hotline.runtime.acd.live_calls import LiveCalls
from hotline.runtime.call import context as call_context
from tests.designer.conftest import World

from .conftest import Browser, DeskWorld, run_acd, tenant_id

pytestmark = [pytest.mark.redis]


def agent_hash(client: redis.Redis, prefix: str, agent: str) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in client.hgetall(f"{prefix}:agent:{agent}").items()}


def test_the_workspace_needs_a_signed_in_desk_role(desk_app, desk_world: DeskWorld,
                                                   browser_as: Callable[..., Browser]) -> None:
    world = desk_world.world
    anonymous = desk_app.test_client().get("/desk/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert browser_as(world.analyst_a, world.tenant_a).get("/desk/").status_code == 403
    page = browser_as(desk_world.agent, world.tenant_a).get("/desk/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "快递综合 (2)" in html and "complaint (1)" in html  # the skills the agent serves
    assert f'data-agent="{desk_world.agent_id}"' in html  # the ACD agent id: the user's extension
    assert "/assets/desk/desk." in html
    assert "座席工作台" in html
    english = browser_as(desk_world.agent, world.tenant_a).get("/desk/?lang=en").get_data(as_text=True)
    assert "Agent desk" in english and "Tenants and skills you serve" in english


def test_presence_changes_reach_the_acd_with_the_agents_tenants_and_skills(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], redis_client: redis.Redis, acd_prefix: str,
        db: Database) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.shared, world.tenant_a)
    agent = str(desk_world.shared_id)
    response = desk.post_json("/desk/api/presence", {"state": "available"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["presence"]["state"] == "available"
    assert agent_hash(redis_client, acd_prefix, agent)["state"] == "available"
    # A shared agent logs in for every tenant it takes calls in, with that tenant's skills.
    a, b = str(tenant_id(db, world.tenant_a)), str(tenant_id(db, world.tenant_b))
    assert {t.decode() for t in redis_client.smembers(f"{acd_prefix}:agent:{agent}:tenants")} == {a, b}
    assert redis_client.hget(f"{acd_prefix}:agent:{agent}:skills:{b}", "express_general") == b"3"

    assert desk.post_json("/desk/api/presence", {"state": "break", "reason": "lunch"}).status_code == 200
    assert agent_hash(redis_client, acd_prefix, agent)["reason"] == "lunch"
    wrap = desk.post_json("/desk/api/presence", {"state": "wrap_up", "wrap_up_seconds": 30}).get_json()["presence"]
    assert wrap["state"] == "wrap_up" and 25 < wrap["wrap_up_left"] <= 30
    assert desk.post_json("/desk/api/presence", {"state": "offline"}).get_json()["presence"]["state"] == "offline"


def test_presence_refuses_bad_input_missing_csrf_and_non_agents(
        desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}, csrf=False).status_code == 400
    assert desk.post_json("/desk/api/presence", {"state": "on_call"}).status_code == 400
    assert desk.post_json("/desk/api/presence", {"state": "wrap_up", "wrap_up_seconds": -1}).status_code == 400
    assert desk.post_json("/desk/api/presence", {"state": "break", "reason": "x" * 65}).status_code == 400
    assert desk.post_json("/desk/api/presence", ["available"]).status_code == 400
    supervisor = browser_as(world.supervisor_a, world.tenant_a)
    assert supervisor.post_json("/desk/api/presence", {"state": "available"}).status_code == 403
    assert supervisor.get("/desk/api/state").get_json()["agent"] is None


def offer_call(prefix: str, tenant: int, call: str, agent: str, caller: str, answered: bool = False) -> None:
    """What the runtime does: leave the call's context, enqueue, claim the agent (and answer)."""

    async def work(acd: Acd) -> None:
        context = {"tenant_id": tenant, "caller": caller, "did": "4008001234", "path": ["welcome", "main_menu"],
                   "variables": {"waybill": "YT1234567890"},
                   "entered": [{"name": "waybill", "label": "运单号", "value": "YT1234567890"}]}
        await call_context.publish(acd.redis, prefix, call, lambda: context)
        waiting = WaitingCall(str(tenant), "general", call, priority=5, skills=("express_general",))
        await acd.queues.enqueue(waiting)
        outcome = await acd.distributor.wait_for_agent(waiting, 2)
        assert getattr(outcome, "agent_id", None) == agent, outcome
        if answered:
            await acd.distributor.agent_answered(waiting, agent)

    run_acd(prefix, work)


def test_a_call_offered_to_the_agent_shows_ringing_then_talking_with_the_callers_context(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    agent = str(desk_world.agent_id)
    tenant = tenant_id(db, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    offer_call(acd_prefix, tenant, "call-1", agent, "13800001111")
    state = desk.get("/desk/api/state").get_json()
    assert state["presence"]["state"] == "ringing"
    assert state["call"]["state"] == "ringing" and state["call"]["caller"] == "13800001111"
    assert state["call"]["variables"] == {"waybill": "YT1234567890"}
    assert state["call"]["entered"] == [{"name": "waybill", "label": "运单号", "value": "YT1234567890"}]
    assert state["call"]["pop_url"] == "/desk/pop?phone=13800001111&call=call-1"
    # A desk opened (or reloaded) mid-call names the queue by its label too (QA of issue 11, item 2).
    assert (state["call"]["queue"], state["call"]["queue_name"]) == ("综合服务", "general")
    # Busy agents cannot pick a state, not even offline (docs/desk.md: 409 while ringing or on a call;
    # QA of issue 11, item 3: offline was accepted and the page lost the call that went on).
    for target in ("break", "offline", "wrap_up"):
        refused = desk.post_json("/desk/api/presence", {"state": target})
        assert refused.status_code == 409, (target, refused.get_json())
    assert desk.get("/desk/api/state").get_json()["call"]["state"] == "ringing"
    run_acd(acd_prefix, lambda acd: acd.distributor.agent_answered(
        WaitingCall(str(tenant), "general", "call-1", priority=5, skills=()), agent))
    assert desk.get("/desk/api/state").get_json()["presence"]["state"] == "on_call"
    for target in ("break", "offline"):
        assert desk.post_json("/desk/api/presence", {"state": target}).status_code == 409, target
    assert desk.get("/desk/api/state").get_json()["call"]["state"] == "talking"


def test_the_event_stream_pushes_presence_and_call_transitions(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    agent = str(desk_world.agent_id)
    tenant = tenant_id(db, world.tenant_a)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    response = desk.get("/desk/events?max_seconds=3", buffered=False)
    assert response.mimetype == "text/event-stream"
    chunks = iter(response.response)
    events: list[tuple[str, object]] = []

    def read_until(predicate: Callable[[], bool]) -> None:
        for chunk in chunks:
            text = chunk.decode() if isinstance(chunk, bytes) else chunk
            for block in text.split("\n\n"):
                lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line
                             and not line.startswith(":"))
                if "event" in lines:
                    events.append((lines["event"], json.loads(lines["data"])))
            if predicate():
                return

    read_until(lambda: any(name == "call" for name, _ in events))
    assert events[0][0] == "presence" and events[0][1]["state"] == "available"
    offer_call(acd_prefix, tenant, "call-2", agent, "13800002222", answered=True)
    read_until(lambda: any(name == "call" and data and data["state"] == "talking" for name, data in events))
    calls = [data["state"] for name, data in events if name == "call" and data]
    assert calls == ["ringing", "talking"]
    talking = next(data for name, data in events if name == "call" and data and data["state"] == "talking")
    assert talking["caller"] == "13800002222" and talking["call"] == "call-2"
    # The call panel reads the queue's label, not its code (QA of issue 11, item 2).
    assert (talking["queue"], talking["queue_name"]) == ("综合服务", "general")
    response.close()


def test_a_shared_agents_call_of_another_tenant_is_not_disclosed(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database,
        world: World) -> None:
    desk_a = browser_as(desk_world.shared, world.tenant_a)
    agent = str(desk_world.shared_id)
    assert desk_a.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    offer_call(acd_prefix, tenant_id(db, world.tenant_b), "call-b", agent, "13900003333")
    state = desk_a.get("/desk/api/state").get_json()
    assert state["presence"]["other_tenant_call"] is True
    assert state["presence"]["call"] is None and state["call"] is None
    # The pop of tenant A does not show B's call context either.
    pop = desk_a.get("/desk/api/pop?phone=13900003333&call=call-b").get_json()
    assert pop["call"] is None


def test_supervisors_and_tenant_admins_open_the_workspace_with_their_roles_as_labels(
        desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    # docs/desk.md: they may open the desk (the navigation offers it); it used to answer 500.
    world = desk_world.world
    for user in (world.supervisor_a, world.admin_a):
        page = browser_as(user, world.tenant_a).get("/desk/")
        assert page.status_code == 200, user
    html = browser_as(world.admin_a, world.tenant_a).get("/desk/").get_data(as_text=True)
    assert "租户管理员" in html and "tenant_admin" not in html.split("desk-served", 1)[1]


class _DistributorWinsTheRace(DeskAcd):
    """A DeskAcd whose login is followed, at once, by the distributor offering a waiting call (as the runtime
    does when it wakes up first): the window the desk's presence change must not fall into."""

    def __init__(self, base: DeskAcd, offer: Callable[[], None]) -> None:
        super().__init__(base.redis, base.async_client, base.prefix)
        self.offer = offer

    def login(self, agent_id: str, skills, state: str = "available"):  # type: ignore[no-untyped-def]
        found = super().login(agent_id, skills, state)
        self.offer()
        return found


def test_going_available_from_offline_while_a_call_waits_succeeds_and_the_offer_follows(
        desk_app, desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    agent = str(desk_world.agent_id)
    tenant = str(tenant_id(db, world.tenant_a))
    waiting = WaitingCall(tenant, "general", "call-waiting", priority=5, skills=("express_general",))
    run_acd(acd_prefix, lambda acd: acd.queues.enqueue(waiting))

    def offer() -> None:
        async def claim(acd: Acd) -> object:
            return await acd.queues.try_claim(waiting)
        run_acd(acd_prefix, claim)

    base = desk_app.extensions[EXTENSION_KEY]
    desk_app.extensions[EXTENSION_KEY] = _DistributorWinsTheRace(base, offer)
    try:
        response = desk.post_json("/desk/api/presence", {"state": "available"})
        assert response.status_code == 200, response.get_json()
        offer()  # the distributor's next look: the agent is available now and gets the waiting call
        state = desk.get("/desk/api/state").get_json()
        assert state["presence"]["state"] == "ringing" and state["presence"]["call"] == "call-waiting"
        assert state["presence"]["agent"] == agent
    finally:
        desk_app.extensions[EXTENSION_KEY] = base


def test_a_desk_reloaded_during_a_call_shows_the_queues_label(
        desk_world: DeskWorld, browser_as: Callable[..., Browser], acd_prefix: str, db: Database) -> None:
    world = desk_world.world
    desk = browser_as(desk_world.agent, world.tenant_a)
    agent = str(desk_world.agent_id)
    assert desk.post_json("/desk/api/presence", {"state": "available"}).status_code == 200
    tenant = tenant_id(db, world.tenant_a)

    async def runtime_carries(acd: Acd) -> None:  # what the runtime's call handling leaves while it carries a call
        live = LiveCalls(acd.redis, acd.keys, "runtime-1")
        await live.start("call-reload", {"tenant_id": tenant, "caller": "13800003333"})
        await live.update("call-reload", queue="general")

    run_acd(acd_prefix, runtime_carries)
    offer_call(acd_prefix, tenant, "call-reload", agent, "13800003333", answered=True)
    talking = desk.get("/desk/api/state").get_json()["call"]  # a new page: no event of the call is read
    assert talking["state"] == "talking" and (talking["queue"], talking["queue_name"]) == ("综合服务", "general")

