"""Issue 13 leftovers: ACD state codes (wrap_up, on_call) showed raw on the desk in English. The desk, the preview
page and the shell's header are rendered in Chromium with the agent in each state, in English and Chinese: every
state reads as its label, no code is shown. Fails on console errors."""

from __future__ import annotations

import re
import threading
import uuid

import pytest

from hotline.designer.state_labels import state_label
from hotline.platform.db import Database
from tests.designer.conftest import PASSWORD

from ..console_guard import watch
from .conftest import DeskWorld, tenant_id
from .test_workspace import offer_call

pytestmark = [pytest.mark.browser, pytest.mark.redis]
CODES = re.compile(r"\b(wrap_up|on_call|no_answer|not_registered)\b")  # codes no English word spells


def _visible_codes(page) -> list[str]:
    return CODES.findall(page.inner_text("body"))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_agent_state_reads_as_its_label_on_the_desk(
        desk_app, desk_world: DeskWorld, db: Database, serve, page, acd_prefix: str, lang: str) -> None:
    errors = watch(page)
    world = desk_world.world
    tenant = tenant_id(db, world.tenant_a)
    base = serve(desk_app)
    page.goto(f"{base}/login?next=/desk/%3Flang%3D{lang}")
    page.fill("input[name=username]", desk_world.agent)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/?lang={lang}")
    seen = {}
    for state in ("available", "break", "wrap_up"):
        page.goto(f"{base}/desk/")
        page.wait_for_selector("#presence-state[data-state]")
        page.click(f"button[data-presence={state}]")
        page.wait_for_selector(f"#presence-state[data-state={state}]")
        seen[state] = (page.inner_text("#presence-state"), page.inner_text("#hl-presence-state"),
                       _visible_codes(page))
        page.goto(f"{base}/desk/preview")
        page.wait_for_selector(f"#hl-presence[data-state={state}]")  # the shell's first poll
        seen[state + "/preview"] = (page.inner_text("#hl-presence-state"), _visible_codes(page))
    page.goto(f"{base}/desk/")
    page.click("button[data-presence=available]")
    page.wait_for_selector("#presence-state[data-state=available]")
    runtime = threading.Thread(target=offer_call, args=(acd_prefix, tenant, f"call-{uuid.uuid4().hex[:8]}",
                                                        str(desk_world.agent_id), "13800003333"),
                               kwargs={"answered": True})
    runtime.start()
    runtime.join(10)
    page.wait_for_selector("#presence-state[data-state=on_call]")
    seen["on_call"] = (page.inner_text("#presence-state"), page.inner_text("#hl-presence-state"),
                       _visible_codes(page))
    page.goto(f"{base}/desk/preview")
    page.wait_for_selector("#hl-presence[data-state=on_call]")
    seen["on_call/preview"] = (page.inner_text("#hl-presence-state"), _visible_codes(page))
    for state in ("available", "break", "wrap_up", "on_call"):
        label = state_label(state, lang)
        assert seen[state] == (label, label, []), (state, seen[state])
        assert seen[state + "/preview"] == (label, []), (state, seen[state + "/preview"])
    assert errors == []
