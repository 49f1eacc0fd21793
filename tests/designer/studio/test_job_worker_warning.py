"""Issue 16, item 5: with no job worker alive, published dispatch rules would never run and the designer said
nothing. The designer (React, an antd Alert) and the studio index now warn, in the reader's language, and
stop warning once a worker runs."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from hotline.platform.jobs import Queues

from ..conftest import Api, World
from ..console_guard import watch
from .browser_helpers import sign_in

pytestmark = pytest.mark.redis

ZH = "没有正在运行的后台任务进程"
EN = "No job worker is running"


def test_the_jobs_answer_says_no_worker_in_words_until_one_runs(world: World, api_as: Callable[..., Api],
                                                                queues: Queues) -> None:
    analyst = api_as(world.analyst_a)
    health = analyst.get("/studio/jobs").get_json()
    assert health["alive"] is False and health["workers"] == 0 and ZH in health["message"]
    assert EN in analyst.get("/studio/jobs?lang=en").get_json()["message"]
    assert ZH in analyst.get("/studio/?lang=zh_CN").get_data(as_text=True)
    thread = queues.worker_thread(poll_interval=0.1)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not analyst.get("/studio/jobs").get_json()["alive"]:
            assert time.monotonic() < deadline, "the running worker was never seen"
            time.sleep(0.1)
        assert analyst.get("/studio/jobs").get_json() == {"alive": True, "workers": 1, "message": None}
        assert ZH not in analyst.get("/studio/").get_data(as_text=True)
    finally:
        thread.stop()


def test_the_jobs_answer_needs_a_signed_in_user(app) -> None:
    response = app.test_client().get("/studio/jobs")
    assert response.status_code in (302, 401)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "words"), [("zh_CN", ZH), ("en", EN)])
def test_the_designer_shows_a_warning_while_no_worker_is_alive(studio_app, serve, page, world: World,
                                                              queues: Queues, lang: str, words: str) -> None:
    errors = watch(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    base = serve(studio_app)
    sign_in(page, base, world.analyst_a)
    page.goto(f"{base}/studio/dispatch/default?lang={lang}")
    warning = page.get_by_test_id("no-job-worker")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(words)
    expect(warning).to_have_class(re.compile("ant-alert"))  # the antd component, themed
    thread = queues.worker_thread(poll_interval=0.1)
    thread.start()
    try:
        page.reload()
        page.wait_for_selector("[data-testid=save-state]")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_test_id("no-job-worker")).to_have_count(0)
        # The designer fills the window under the shell, without a page scroll bar (--hl-shell-height).
        assert page.evaluate("document.documentElement.scrollHeight") <= 768
    finally:
        thread.stop()
    assert errors == []
