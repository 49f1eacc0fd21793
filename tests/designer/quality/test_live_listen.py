"""Listen in / whisper / barge: the web app sends `bgapi originate … &eavesdrop(<call>)` (or `&three_way`) over the
simulator's inbound Event Socket, the simulator rings the supervisor's extension and joins the call; role-checked,
tenant-checked through the ACD presence in Redis, audited."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, AuditEntry, Role, User
from hotline.platform.services.live_listen import originate
from hotline.platform.switch_commands import SwitchCommandError, api, bgapi
from hotline.runtime.simswitch import AgentBehavior, SimSwitch, SimSwitchConfig
from tests.conftest import REDIS_URL

from ..conftest import World, make_user
from .helpers import acd_app, tenant_id, user_id

pytestmark = [pytest.mark.redis]


@pytest.fixture
def sim() -> Iterator[tuple[SimSwitch, asyncio.AbstractEventLoop]]:
    """The simulator in a thread of its own (the web app under test is synchronous)."""
    loop = asyncio.new_event_loop()
    # any user/<extension> answers after 50 ms: the supervisor's phone
    switch = SimSwitch(SimSwitchConfig(default_agent=AgentBehavior(answer_after_ms=50), time_scale=1.0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(switch.start(), loop).result(10)
    yield switch, loop
    asyncio.run_coroutine_threadsafe(switch.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture
def app(db: Database, sim, prefix: str) -> Flask:
    switch, _loop = sim
    return acd_app(db, prefix, esl_host="127.0.0.1", esl_port=switch.esl_port, esl_password="ClueCon")


def _on_call(prefix: str, tenant: int, agent: str, call: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    client.sadd(f"{prefix}:tenant:{tenant}:agents", agent)
    client.hset(f"{prefix}:agent:{agent}", mapping={"state": "on_call", "call": call, "call_tenant": str(tenant)})


def _live_call(sim: Any) -> str:
    """A call in progress on the simulator: extension 5000 answers and plays ~3 s of tone; its A leg's uuid."""
    switch, _loop = sim
    before = set(switch.switch.channels)
    bgapi("127.0.0.1", switch.esl_port, "ClueCon", "originate loopback/5000/default &park()")
    return _wait(lambda: next((c.uuid for c in list(switch.switch.channels.values())
                               if c.uuid not in before and c.name.endswith("-a") and c.is_up), None))


def _wait(predicate: Any, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def _sessions(sim: Any, call: str) -> list[dict[str, Any]]:
    return [s for s in getattr(sim[0].switch, "eavesdrops", []) if s["target"] == call]


@pytest.fixture
def supervisor(db: Database, world: World) -> str:
    name = make_user(db, {world.tenant_a: [Role.SUPERVISOR]})
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, name), extension=f"s{uuid.uuid4().hex[:8]}"))
    return name


@pytest.mark.parametrize(("mode", "app_name", "joined_as"), [
    ("listen", "eavesdrop", "listen"), ("whisper", "eavesdrop", "speak_other"), ("barge", "eavesdrop", "three_way")])
def test_a_supervisor_joins_an_agents_call_in_each_mode(db: Database, world: World, sim, prefix: str, api_as,
                                                        supervisor: str, mode: str, app_name: str,
                                                        joined_as: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = _live_call(sim)
    _on_call(prefix, tenant, "a7", call)
    client = api_as(supervisor, world.tenant_a)
    page = client.client.get("/quality/live").get_data(as_text=True)
    assert 'data-agent="a7"' in page
    response = client.client.post(f"/quality/live/a7/{mode}", data={"csrf_token": client.refresh_token()})
    assert response.status_code == 302
    joined = _wait(lambda: _sessions(sim, call))
    assert joined[0]["found"] and joined[0]["app"] == app_name and joined[0]["mode"] == joined_as
    with db.tenant(tenant) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == f"live.{mode}",
                                                        AuditEntry.object_id == call))
    assert entry is not None and entry.actor == supervisor and entry.detail["agent"] == "a7"


def test_the_live_page_names_the_agent_with_the_extension(db: Database, world: World, sim, prefix: str, api_as,
                                                          supervisor: str) -> None:
    """QA of issue 15, item 8: the page showed bare extensions ("1001"); now the member's name with it."""
    tenant = tenant_id(db, world.tenant_a)
    extension = f"e{uuid.uuid4().hex[:8]}"
    agent = make_user(db, {world.tenant_a: [Role.AGENT]})
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, agent), extension=extension))
        session.get(User, user_id(db, agent)).display_name = "王芳"
    _on_call(prefix, tenant, extension, "no-such-call")
    page = api_as(supervisor, world.tenant_a).client.get("/quality/live").get_data(as_text=True)
    assert f"<td>王芳 ({extension})</td>" in page


def test_another_tenant_or_a_role_without_listen_in_gets_nothing(db: Database, world: World, sim, prefix: str,
                                                                 api_as, supervisor: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = _live_call(sim)
    _on_call(prefix, tenant, "a8", call)
    other = make_user(db, {world.tenant_b: [Role.SUPERVISOR]})
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, other), extension=f"s{uuid.uuid4().hex[:8]}"))
    b = api_as(other, world.tenant_b)
    refused = b.client.post("/quality/live/a8/barge", data={"csrf_token": b.refresh_token()})
    assert refused.status_code == 404
    assert 'data-agent="a8"' not in b.client.get("/quality/live").get_data(as_text=True)
    agent = api_as(world.agent_a, world.tenant_a)
    assert agent.client.post("/quality/live/a8/listen", data={"csrf_token": agent.refresh_token()}).status_code == 403
    time.sleep(0.2)
    assert _sessions(sim, call) == []


def test_the_originate_command_and_a_switch_that_refuses() -> None:
    # whisper_aleg is ED_MUX_READ: the supervisor is mixed into what the caller's channel sends on, to the agent
    assert originate("user/{extension}", "s100", "abcdef12-3456", "whisper", "班长 li") == (
        "{eavesdrop_enable_dtmf=true,eavesdrop_whisper_aleg=true,origination_caller_id_name=li}"
        "user/s100 &eavesdrop(abcdef12-3456)")
    # barge is eavesdrop with both flags (three_way would ignore the keys that switch modes later)
    assert originate("user/{extension}", "s100", "abcdef12-3456", "barge", "li", "0000aaaa-1111") == (
        "{origination_uuid=0000aaaa-1111,eavesdrop_enable_dtmf=true,eavesdrop_whisper_aleg=true,"
        "eavesdrop_whisper_bleg=true,origination_caller_id_name=li}user/s100 &eavesdrop(abcdef12-3456)")
    with pytest.raises(ValueError):
        originate("user/{extension}", "s1", "x;hangup", "listen", "a")
    with pytest.raises(SwitchCommandError):
        bgapi("127.0.0.1", 1, "ClueCon", "status", timeout=1)


def test_listen_whisper_and_barge_on_one_call_are_one_session_switching_mode(
        db: Database, world: World, sim, prefix: str, api_as, supervisor: str) -> None:
    """Task E item 3: the three buttons fired at once rang the supervisor three times and joined three eavesdrops on
    one call; now the first rings, the others switch that session with eavesdrop's DTMF (0/1/3)."""
    tenant = tenant_id(db, world.tenant_a)
    call = _live_call(sim)
    _on_call(prefix, tenant, "a9", call)
    client = api_as(supervisor, world.tenant_a)
    for mode in ("listen", "whisper", "barge"):  # back to back: the second may find the leg still ringing
        response = client.client.post(f"/quality/live/a9/{mode}", data={"csrf_token": client.refresh_token()})
        assert response.status_code == 302
    _wait(lambda: [s for s in _sessions(sim, call) if s["mode"] == "three_way"])
    time.sleep(0.3)
    joined = _sessions(sim, call)
    assert len(joined) == 1 and joined[0]["active"]
    assert joined[0]["modes"][-1] == "three_way"
    response = client.client.post("/quality/live/a9/listen", data={"csrf_token": client.refresh_token()})
    assert response.status_code == 302
    _wait(lambda: _sessions(sim, call)[0]["mode"] == "listen")
    with db.tenant(tenant) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.object_id == call)
                                  .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["live.listen", "live.whisper", "live.barge", "live.listen"]
    assert [bool(e.detail.get("switched")) for e in entries] == [False, True, True, True]
    assert len({e.detail["leg"] for e in entries}) == 1


def test_another_supervisor_on_the_same_call_gets_a_session_of_their_own(
        db: Database, world: World, sim, prefix: str, api_as, supervisor: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = _live_call(sim)
    _on_call(prefix, tenant, "a10", call)
    second = make_user(db, {world.tenant_a: [Role.QA]})
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, second), extension=f"s{uuid.uuid4().hex[:8]}"))
    for name, mode in ((supervisor, "listen"), (second, "whisper")):
        client = api_as(name, world.tenant_a)
        assert client.client.post(f"/quality/live/a10/{mode}",
                                  data={"csrf_token": client.refresh_token()}).status_code == 302
    joined = _wait(lambda: (found := _sessions(sim, call)) and len(found) == 2 and found)
    assert sorted(s["mode"] for s in joined) == ["listen", "speak_other"]


def test_the_simulator_eavesdrop_keys_behave_like_the_switch(sim) -> None:
    """switch_ivr_eavesdrop_session: whisper_aleg is MUX_READ (1, the other half hears), whisper_bleg MUX_WRITE
    (2, the uuid's party hears); keys work only with eavesdrop_enable_dtmf and never in three_way; * leaves."""
    switch, _loop = sim
    call = _live_call(sim)

    def join(spec: str, app: str) -> str:
        leg = str(uuid.uuid4())
        bgapi("127.0.0.1", switch.esl_port, "ClueCon",
              f"originate {{origination_uuid={leg},{spec}}}user/s1 &{app}({call})")
        _wait(lambda: [s for s in _sessions(sim, call) if s["uuid"] == leg])
        return leg

    def session(leg: str) -> dict[str, Any]:
        return next(s for s in _sessions(sim, call) if s["uuid"] == leg)

    def keys(leg: str, digits: str) -> None:
        api("127.0.0.1", switch.esl_port, "ClueCon", [f"uuid_recv_dtmf {leg} {d}" for d in digits])
        time.sleep(0.2)

    aleg = join("eavesdrop_whisper_aleg=true", "eavesdrop")
    assert session(aleg)["mode"] == "speak_other"
    keys(aleg, "2")  # no eavesdrop_enable_dtmf: ignored
    assert session(aleg)["modes"] == ["speak_other"]
    bleg = join("eavesdrop_enable_dtmf=true,eavesdrop_whisper_bleg=true", "eavesdrop")
    assert session(bleg)["mode"] == "speak_uuid"
    keys(bleg, "1309")
    assert session(bleg)["modes"] == ["speak_uuid", "speak_other", "three_way", "listen"]
    keys(bleg, "*")
    assert not session(bleg)["active"]
    barge = join("eavesdrop_enable_dtmf=true", "three_way")
    keys(barge, "0")
    assert session(barge)["modes"] == ["three_way"] and session(barge)["active"]


def test_an_agent_without_an_extension_is_listed_without_live_buttons(db: Database, world: World, sim, prefix: str,
                                                                      api_as, supervisor: str) -> None:
    """Task E item 4: an ACD id that is no member's extension has no phone leg the switch could join."""
    tenant = tenant_id(db, world.tenant_a)
    extension = f"e{uuid.uuid4().hex[:8]}"
    agent = make_user(db, {world.tenant_a: [Role.AGENT]})
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, agent), extension=extension))
    _on_call(prefix, tenant, extension, "call-with-phone")
    _on_call(prefix, tenant, "nophone7", "call-without-phone")
    page = api_as(supervisor, world.tenant_a).client.get("/quality/live").get_data(as_text=True)
    assert f'data-testid="listen-{extension}"' in page
    assert 'data-testid="listen-nophone7"' not in page and 'data-testid="no-extension-nophone7"' in page
    assert "无分机：没有可监听的话机通话。" in page
