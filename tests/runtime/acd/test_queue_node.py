"""The queue node's options for the ACD: announcement wording (built-in and the tenant's own prompt), the
interval, and the call context handed to the dispatch rules."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from hotline.runtime.acd import WaitingCall
from hotline.runtime.call.queue_wait import Waiting
from hotline.runtime.flow.nodes.queue import REPEAT_CAP, position_text

from ..flow_helpers import ScriptedChannel, flow, run_flow


def _queue_flow(**changes):
    node = {"type": "queue", "queue": "general", "overflow": "bye", **changes}
    return flow({"q": node, "bye": {"type": "hangup"}}, "q")


def test_built_in_announcement_says_who_is_ahead_and_the_estimated_minutes():
    assert position_text(3, 4, True) == "您前面还有2位客户在等待，预计等待约4分钟，请稍候。"
    assert position_text(1, 1, True) == "您是下一位，坐席接通后将立即为您服务，预计等待时间不超过1分钟，请稍候。"
    assert position_text(2, None, True) == "您前面还有1位客户在等待，请稍候。"  # nobody staffed: no promise
    assert position_text(2, 5, False) == "您前面还有1位客户在等待，请稍候。"


def test_node_passes_interval_wait_option_and_call_context_to_the_services():
    _, _, services = run_flow(_queue_flow(announce_every_seconds=30, announce_wait_time=True))
    options = services.enqueue_options[0]
    assert options["announce_every_seconds"] == 30 and options["announce_wait_time"] is True
    assert options["context"]["call"]["caller"] == "13800138000"
    assert options["context"]["call"]["queue"] == "general"
    assert options["announcement"](4, 2).text == "您前面还有3位客户在等待，预计等待约2分钟，请稍候。"


def test_tenant_prompt_words_the_announcement_with_position_and_minutes():
    body = _queue_flow(announce_wait_time=True, announce_prompt={
        "text": "排队第{{call.queue_position}}位，前面{{call.queue_ahead}}位，约{{call.wait_minutes}}分钟。"})
    _, _, services = run_flow(body)
    assert services.enqueue_options[0]["announcement"](3, 7).text == "排队第3位，前面2位，约7分钟。"


def test_no_announcement_when_neither_position_nor_wait_is_wanted():
    _, _, services = run_flow(_queue_flow(announce_position=False))
    assert services.enqueue_options[0]["announcement"](2, 1) is None


def test_wait_time_alone_is_announced_without_the_position():
    _, _, services = run_flow(_queue_flow(announce_position=False, announce_wait_time=True))
    announce = services.enqueue_options[0]["announcement"]
    assert announce(5, 3).text == "预计等待约3分钟，请稍候。"
    assert announce(5, None) is None  # nobody staffed: nothing to promise, nothing said


def test_the_head_of_the_queue_never_hears_that_nobody_is_ahead():
    for with_wait, minutes in ((False, None), (True, 1), (True, 4)):
        text = position_text(1, minutes, with_wait)
        assert "0位" not in text and text.startswith("您是下一位"), text


def test_an_unchanged_announcement_is_said_at_most_the_cap_then_the_music_plays_on():
    """Issue 12: "您前面还有0位" every interval for as long as the caller waited. The same sentence now stops
    after REPEAT_CAP times in a row, and a change of position is said again at once."""
    channel = ScriptedChannel()
    waiting = Waiting(SimpleNamespace(acd=None), channel, SimpleNamespace(queue="general"), 60, None, True,
                      {"announcement": None})
    tick = waiting._tick(WaitingCall("1", "general", "call-1"))

    async def ticks(positions: list[int]) -> None:
        for position in positions:
            await tick(position, 0.0)

    asyncio.run(ticks([3, 3, 3, 3, 3, 2, 1, 1, 1, 1]))
    assert channel.heard == [position_text(3, None, False)] * REPEAT_CAP + [position_text(2, None, False)] + \
        [position_text(1, None, False)] * REPEAT_CAP
