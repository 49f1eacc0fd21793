"""The desk's 录音 button in Debian's chromium: hidden until the agent talks on a call whose recording is on demand,
then one click asks the web app, which sends `uuid_record … start` over the simulator's inbound Event Socket; the
desk says it is recording, the start is audited, and a tenant that records every call shows no button."""

from __future__ import annotations

import threading
import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, RecordingPolicy
from tests.browser import screenshot
from tests.designer.conftest import PASSWORD

from .conftest import DeskWorld, tenant_id
from .test_workspace import offer_call

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.fixture
def record_app(desk_app: Flask, on_switch, acd_prefix: str) -> Flask:
    return on_switch(desk_app, acd_prefix)


def _policy(db: Database, tenant: int, mode: str) -> None:
    with db.tenant(tenant) as session:
        policy = session.scalar(select(RecordingPolicy).where(RecordingPolicy.queue == ""))
        if policy is None:
            session.add(RecordingPolicy(queue="", mode=mode, percent=100))
        else:
            policy.mode = mode


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login?next=/desk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/")
    page.click("button[data-presence=available]")
    page.wait_for_selector("#presence-state[data-state=available]")


def test_the_agent_records_an_on_demand_call_from_the_desk(record_app, desk_world: DeskWorld, db: Database, serve,
                                                           page, acd_prefix: str) -> None:
    tenant = tenant_id(db, desk_world.world.tenant_a)
    _policy(db, tenant, "on_demand")
    base = serve(record_app)
    _sign_in(page, base, desk_world.agent)
    assert page.is_hidden("[data-testid=record-call]")  # no call, no button
    call = f"call-{uuid.uuid4().hex[:8]}"
    runtime = threading.Thread(target=offer_call, args=(acd_prefix, tenant, call, str(desk_world.agent_id),
                                                        "13800002222"), kwargs={"answered": True})
    runtime.start()
    runtime.join(10)
    page.wait_for_selector("#call-state[data-state=talking]")
    button = page.wait_for_selector("[data-testid=record-call]", state="visible")
    assert button.inner_text() == "录音"
    button.click()
    page.wait_for_selector("[data-testid=record-status][data-state=recording]")
    assert page.inner_text("[data-testid=record-status]") == "录音中"
    assert page.is_disabled("[data-testid=record-call]")
    screenshot(page, "desk-record-on-demand")
    with db.tenant(tenant) as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "recording.start",
                                                        AuditEntry.object_id == call))
        assert entry is not None and entry.detail["recording"].endswith(f"/{call}.wav")


def test_no_record_button_when_every_call_is_recorded(record_app, desk_world: DeskWorld, db: Database, serve, page,
                                                      acd_prefix: str) -> None:
    tenant = tenant_id(db, desk_world.world.tenant_a)
    _policy(db, tenant, "all")
    base = serve(record_app)
    _sign_in(page, base, desk_world.agent)
    runtime = threading.Thread(target=offer_call, args=(acd_prefix, tenant, f"call-{uuid.uuid4().hex[:8]}",
                                                        str(desk_world.agent_id), "13800003333"),
                               kwargs={"answered": True})
    runtime.start()
    runtime.join(10)
    page.wait_for_selector("#call-state[data-state=talking]")
    assert page.is_hidden("[data-testid=record-call]")
