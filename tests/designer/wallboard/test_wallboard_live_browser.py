"""监听/密语/强插 from the wallboard in Debian's chromium: each agent on a call has the three buttons for a
supervisor; a click asks quality/live.py, which sends the originate over the simulator's inbound Event Socket and
audits it, and the board says the supervisor's phone rings. A tenant admin (no live-listening role) sees none."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hotline.platform.models import AgentExtension, AuditEntry, Role, User
from hotline.platform.services import users
from hotline.platform.services.tenants import get_tenant
from hotline.runtime.acd import Acd
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD
from tests.platform.wallboard_helpers import waiting

from .conftest import tenant_id

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.fixture
def live_app(app, on_switch, acd_world):
    return on_switch(app, acd_world.prefix)


def _agent_on_call(db, acd_world, slug: str, *, extension: bool = True) -> str:
    """An agent of `slug` talking on a call; signed in to the ACD by a desk extension (a phone the switch rings),
    or by username when `extension` is false."""
    tenant = tenant_id(db, slug)
    with db.platform() as session:
        user = users.create_user(session, f"ag{uuid.uuid4().hex[:8]}", PASSWORD, "test", display_name="李娜")
        users.grant(session, user, get_tenant(session, slug), Role.AGENT, "test")
        agent = user.username
        if extension:
            agent = f"7{uuid.uuid4().hex[:6]}"
            session.add(AgentExtension(user_id=user.id, extension=agent))

    async def work(acd: Acd) -> None:
        await acd.presence.login(agent, {str(tenant): {"express_general": 1}})
        call = waiting(tenant, "general", f"live-{agent}")
        await acd.queues.enqueue(call)
        assert (await acd.queues.try_claim(call)).agent_id == agent
        await acd.distributor.agent_answered(call, agent)

    acd_world.run(work)
    return agent


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login?next=/wallboard/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_a_supervisor_whispers_to_an_agent_from_the_wallboard(live_app, serve, page, world, db, acd_world) -> None:
    agent = _agent_on_call(db, acd_world, world.tenant_a)
    with db.platform() as session:
        supervisor = session.scalar(select(User).where(User.username == world.supervisor_a))
        if session.scalar(select(AgentExtension).where(AgentExtension.user_id == supervisor.id)) is None:
            session.add(AgentExtension(user_id=supervisor.id, extension=f"s{uuid.uuid4().hex[:8]}"))
    base = serve(live_app)
    _sign_in(page, base, world.supervisor_a)
    card = page.locator(f"[data-testid=agent-{agent}]")
    expect(card).to_have_attribute("data-state", "on_call")
    assert [card.locator(f"[data-testid={mode}-{agent}]").inner_text() for mode in ("listen", "whisper", "barge")] \
        == ["监听", "密语", "强插"]
    card.locator(f"[data-testid=whisper-{agent}]").click()
    expect(page.locator("[data-testid=live-result]")).to_have_attribute("data-state", "joined")
    assert page.inner_text("[data-testid=live-result]") == "您的话机正在振铃，接听后即加入通话。"
    screenshot(page, "wallboard-live-tools")
    tenant = tenant_id(db, world.tenant_a)
    with db.tenant(tenant) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "live.whisper"))
        assert entry is not None and entry.detail["agent"] == agent and entry.object_id == f"live-{agent}"


def test_a_tenant_admin_without_a_listening_role_has_no_buttons(live_app, serve, page, world, db,
                                                                     acd_world) -> None:
    agent = _agent_on_call(db, acd_world, world.tenant_a)
    base = serve(live_app)
    _sign_in(page, base, world.admin_a)
    card = page.locator(f"[data-testid=agent-{agent}]")
    expect(card).to_have_attribute("data-state", "on_call")
    assert card.locator("button").count() == 0


def test_a_supervisor_without_an_extension_is_told_why_nothing_rings(live_app, serve, page, world, db,
                                                                     acd_world) -> None:
    from tests.designer.conftest import make_user

    agent = _agent_on_call(db, acd_world, world.tenant_a)
    supervisor = make_user(db, {world.tenant_a: [Role.SUPERVISOR]})
    base = serve(live_app)
    _sign_in(page, base, supervisor)
    page.locator(f"[data-testid=listen-{agent}]").click()
    expect(page.locator("[data-testid=live-result]")).to_have_attribute("data-state", "error")
    assert page.inner_text("[data-testid=live-result]") == "您没有可供交换机呼叫的分机。"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_agent_without_an_extension_shows_a_note_instead_of_live_buttons(live_app, serve, page, world, db,
                                                                          acd_world, lang: str) -> None:
    """Task E item 4: an agent signed in to the ACD by username has no phone leg to join; its tile says so."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    agent = _agent_on_call(db, acd_world, world.tenant_a, extension=False)
    phone = _agent_on_call(db, acd_world, world.tenant_a)
    base = serve(live_app)
    _sign_in(page, base, world.supervisor_a)
    page.goto(f"{base}/wallboard/?lang={lang}")
    card = page.locator(f"[data-testid=agent-{agent}]")
    expect(card).to_have_attribute("data-state", "on_call")
    assert card.locator("button").count() == 0
    expect(card.locator(f"[data-testid=no-extension-{agent}]")).to_have_text(
        "无分机" if lang == "zh_CN" else "No extension")
    assert card.locator("b").inner_text() == "李娜"
    other = page.locator(f"[data-testid=agent-{phone}]")
    expect(other.locator(f"[data-testid=whisper-{phone}]")).to_be_visible()
    assert other.locator("[data-testid^=no-extension]").count() == 0
    assert errors == []
