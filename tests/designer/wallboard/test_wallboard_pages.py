"""The wallboard's pages and endpoints: who may see which tenant, the JSON figures, the event stream."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from hotline.runtime.acd import Acd
from tests.platform.wallboard_helpers import add_call, waiting

from .conftest import tenant_id

pytestmark = pytest.mark.redis


def put_agent_and_call(acd_world, tenant: int, agent: str = "ag1", call: str = "call1") -> None:
    async def work(acd: Acd) -> None:
        await acd.presence.login(agent, {str(tenant): {"express_general": 1}}, state="break")
        await acd.queues.enqueue(waiting(tenant, "general", call))

    acd_world.run(work)


def test_supervisor_sees_the_board_in_chinese_with_the_figures(api_as, world, db, acd_world) -> None:
    a = tenant_id(db, world.tenant_a)
    put_agent_and_call(acd_world, a)
    client = api_as(world.supervisor_a)
    response = client.get("/wallboard/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "班长监控大屏" in html and 'data-testid="queues"' in html
    boot = json.loads(html.split('<script id="wallboard-boot" type="application/json">')[1].split("</script>")[0])
    assert boot["figures"]["tenant"]["slug"] == world.tenant_a
    assert boot["events"] == "/wallboard/events"
    assert 'data-testid="tenant-picker"' not in html  # one tenant: nothing to pick
    texts = json.loads(html.split('<script id="wallboard-text" type="application/json">')[1].split("</script>")[0])
    assert texts["Calls waiting"] == "排队来电" and texts["on_call"] == "通话中"


def test_agent_states_are_words_in_english_too(api_as, world) -> None:
    """Issue 16: in English the board showed the codes on_call, wrap_up."""
    html = api_as(world.supervisor_a).get("/wallboard/?lang=en").get_data(as_text=True)
    texts = json.loads(html.split('<script id="wallboard-text" type="application/json">')[1].split("</script>")[0])
    assert texts["on_call"] == "On a call" and texts["wrap_up"] == "Wrap-up" and texts["available"] == "Available"
    assert texts["Calls waiting"] == "Calls waiting"


def test_names_in_the_boot_data_cannot_end_the_script(api_as, world, db, acd_world) -> None:
    from hotline.platform.models import Queue

    a = tenant_id(db, world.tenant_a)
    with db.tenant(a) as session:
        session.add(Queue(tenant_id=a, name="xss", label="</script><script>alert(1)</script>"))
    html = api_as(world.supervisor_a).get("/wallboard/").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    boot = json.loads(html.split('<script id="wallboard-boot" type="application/json">')[1].split("</script>")[0])
    assert any(q["label"] == "</script><script>alert(1)</script>" for q in boot["figures"]["queues"])
    with db.tenant(a) as session:
        session.query(Queue).filter(Queue.name == "xss").delete()


def test_json_figures_are_the_tenants_own(api_as, world, db, acd_world, frozen_clock) -> None:
    a, b = tenant_id(db, world.tenant_a), tenant_id(db, world.tenant_b)
    put_agent_and_call(acd_world, a)
    put_agent_and_call(acd_world, b, agent="bg1", call="callb")
    add_call(db, a, datetime.now(UTC) - timedelta(seconds=10), wait=3, talk=5)
    figures = api_as(world.supervisor_a).get("/wallboard/api/figures").get_json()
    assert figures["tenant"]["slug"] == world.tenant_a
    assert [row["id"] for row in figures["agents"]] == ["ag1"]
    general = next(q for q in figures["queues"] if q["name"] == "general")
    assert general["label"] == "综合服务" and general["waiting"] == 1 and general["offered"] >= 1
    assert {q["name"] for q in figures["queues"]} >= {"general", "vip", "pickup", "complaint", "consultation"}


@pytest.mark.parametrize("url", ["/wallboard/", "/wallboard/api/figures", "/wallboard/events",
                                 "/wallboard/settings"])
def test_a_supervisor_of_a_gets_404_for_tenant_b(api_as, world, url) -> None:
    client = api_as(world.supervisor_a)
    assert client.get(f"{url}?tenant={world.tenant_b}").status_code == 404
    assert client.get(f"{url}?tenant=no-such-tenant").status_code == 404
    assert client.get(f"{url}?tenant={world.tenant_a}").status_code == 200


@pytest.mark.parametrize("who", ["agent_a", "analyst_a"])
def test_roles_without_the_wallboard_are_refused(api_as, world, who) -> None:
    client = api_as(getattr(world, who))
    assert client.get("/wallboard/").status_code == 403
    assert client.get("/wallboard/api/figures").status_code == 403


def test_a_tenant_admin_may_watch(api_as, world) -> None:
    assert api_as(world.admin_a).get("/wallboard/api/figures").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(app) -> None:
    response = app.test_client().get("/wallboard/api/figures")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_platform_operator_picks_a_tenant(api_as, world) -> None:
    client = api_as(world.operator)
    picker = client.get("/wallboard/")
    assert picker.status_code == 200
    assert f"/wallboard/?tenant={world.tenant_b}" in picker.get_data(as_text=True)
    figures = client.get(f"/wallboard/api/figures?tenant={world.tenant_b}").get_json()
    assert figures["tenant"]["slug"] == world.tenant_b
    board = client.get(f"/wallboard/?tenant={world.tenant_b}").get_data(as_text=True)
    assert 'data-testid="tenant-picker"' in board and f"/wallboard/?tenant={world.tenant_a}" in board


def test_the_event_stream_sends_the_figures(api_as, world, db, acd_world) -> None:
    a = tenant_id(db, world.tenant_a)
    put_agent_and_call(acd_world, a)
    response = api_as(world.supervisor_a).get("/wallboard/events")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)  # the stream ends after HOTLINE_WALLBOARD_STREAM_SECONDS
    events = [block for block in body.split("\n\n") if block.startswith("event: figures")]
    first = json.loads(events[0].split("data: ", 1)[1])
    assert first["tenant"]["slug"] == world.tenant_a
    assert first["totals"]["waiting"] == 1 and first["agents"][0]["state"] == "break"


def test_the_event_stream_sends_only_when_a_figure_changed(api_as, world) -> None:
    # tenant B's board has no live state in this test's ACD prefix: nothing moves between polls
    response = api_as(world.operator).get(f"/wallboard/events?tenant={world.tenant_b}")
    body = response.get_data(as_text=True)
    assert body.count("event: figures") == 1


def test_the_outbound_queue_without_a_label_is_named_in_the_readers_language(api_as, world, db, acd_world) -> None:
    """QA 13e #5: the Chinese board showed the dialer's queue as "outbound"; a configured label still wins."""
    from hotline.platform.models import Queue

    a = tenant_id(db, world.tenant_a)
    acd_world.run(lambda acd: acd.queues.enqueue(waiting(a, "outbound", "callout1")))
    client = api_as(world.supervisor_a)

    def labels(path: str) -> dict[str, str]:
        html = client.get(path).get_data(as_text=True)
        boot = json.loads(html.split('<script id="wallboard-boot" type="application/json">')[1].split("</script>")[0])
        return {q["name"]: q["label"] for q in boot["figures"]["queues"]}

    assert labels("/wallboard/")["outbound"] == "外呼"
    assert {q["name"]: q["label"] for q in client.get("/wallboard/api/figures").get_json()["queues"]}["outbound"] \
        == "外呼"
    assert labels("/wallboard/?lang=en")["outbound"] == "Outbound"
    with db.tenant(a) as session:
        session.add(Queue(tenant_id=a, name="outbound", label="回访外呼"))
    assert labels("/wallboard/?lang=zh_CN")["outbound"] == "回访外呼"


def test_the_board_names_the_short_abandon_threshold_the_reports_use(api_as, world, db, acd_world) -> None:
    """Review leftover 1: the board showed 放弃 without the short abandons the reports keep apart, so it could not be
    reconciled with 报表; the figures carry the tenant's threshold and the board's texts name it in zh and en."""
    from hotline.platform.models import Tenant

    a = tenant_id(db, world.tenant_a)
    with db.platform() as session:
        tenant = session.get(Tenant, a)
        before = dict(tenant.settings or {})
        tenant.settings = {**before, "short_abandon_seconds": 8}
    try:
        figures = api_as(world.supervisor_a).get("/wallboard/api/figures").get_json()
        assert figures["short_abandon_seconds"] == 8
        assert "abandoned_short" in figures["totals"]
        assert all("abandoned_short" in q for q in figures["queues"])
    finally:
        with db.platform() as session:
            session.get(Tenant, a).settings = before
    for lang, label in (("zh_CN", "短时放弃（≤{n}秒）"), ("en", "Short abandons (≤ {n} s)")):
        html = api_as(world.supervisor_a).get(f"/wallboard/?lang={lang}").get_data(as_text=True)
        texts = json.loads(html.split('<script id="wallboard-text" type="application/json">')[1]
                           .split("</script>")[0])
        assert texts["Short abandons (≤ {n} s)"] == label
