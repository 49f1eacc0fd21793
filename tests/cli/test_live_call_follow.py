"""`hotline call --live` follows its call (tester's defect 3): after placing it, the path it took in words (node
labels, the branch taken) and how it ended, in --lang; an after-hours call says 非营业 rather than nothing.

The stack is the real runtime and the project's ESL simulator in this process (on a thread of their own), the
runtime's clock frozen at 23:00 Beijing time on a Monday, after the express template's hours."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from redis.asyncio import Redis

from hotline.cli import live_follow, main
from hotline.platform.db import Database
from hotline.runtime.server import Runtime
from hotline.runtime.simswitch import SimSwitch, SimSwitchConfig, SocketTarget

pytestmark = [pytest.mark.redis]
AFTER_HOURS = datetime(2026, 11, 23, 23, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    made = runner.invoke(main, ["tenant", "create", "acme", "--template", "express_delivery", "--did", "4008001234"],
                         env=env)
    assert made.exit_code == 0, made.output
    db = Database(url)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    prefix = f"follow-{uuid.uuid4().hex[:8]}:acd"

    async def start() -> tuple[Runtime, SimSwitch]:
        runtime = Runtime(db, Redis.from_url("redis://127.0.0.1:6379/15"), port=0, acd_prefix=prefix,
                          clock=lambda: AFTER_HOURS)
        await runtime.start()
        switch = SimSwitch(SimSwitchConfig(socket=SocketTarget("127.0.0.1", runtime.port), time_scale=0.01))
        await switch.start()
        return runtime, switch

    runtime, switch = asyncio.run_coroutine_threadsafe(start(), loop).result(60)
    try:
        yield {**env, "HOTLINE_ESL_HOST": "127.0.0.1", "HOTLINE_ESL_PORT": str(switch.esl_port),
               "HOTLINE_ESL_PASSWORD": "ClueCon"}
    finally:
        async def stop() -> None:
            await switch.stop()
            await runtime.stop()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        db.dispose()


@pytest.mark.parametrize(("lang", "words"), [("zh", ["人工服务时间判断", "〔非营业〕", "非工作时间提示", "结束"]),
                                             ("en", ["人工服务时间判断", "[closed]", "path:", "ended:"])])
def test_a_live_call_after_hours_prints_the_path_it_took(stack, lang, words) -> None:
    result = CliRunner().invoke(main, ["call", "--live", "--did", "4008001234", "--caller", "13801234599",
                                       "--lang", lang], env=stack, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "placed on the switch" in result.output
    for word in words:
        assert word in result.output, result.output
    assert "按3" not in result.output and "pressed 3" not in result.output  # the parked caller pressed nothing
    assert "closed_notice" not in result.output and "business_hours" not in result.output


def test_a_call_still_going_at_the_deadline_is_said_to_be_in_progress(stack) -> None:
    """The wait is bounded: a call with no record by then is reported as in progress, in words."""
    db = Database(stack["HOTLINE_DATABASE_URL"])
    ticks = iter(range(100))
    lines = live_follow.follow(db, "4008001234", "no-such-call", "zh", seconds=2, sleep=lambda _s: None,
                               clock=lambda: float(next(ticks)))
    db.dispose()
    assert lines == ["2 秒后通话仍在进行（多半在排队或与坐席通话），结束后其路径见通话记录"]
