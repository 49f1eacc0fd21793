"""A hostile tenant template fails its own call fast and never stalls another tenant's call on the loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from hotline.runtime.flow import CallInfo, FlowEngine, InMemoryServices, RenderedPrompt

from .flow_helpers import APOLOGY_TEXT, ScriptedChannel, assert_valid, flow

HOSTILE = "{% for i in range(10**6) %}{% for j in range(10**6) %}{{ i }}{% endfor %}{% endfor %}"
RECURSIVE = "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}"


class TimedChannel(ScriptedChannel):
    """Each prompt takes a little real time on the loop, as playback does; the times are kept."""

    def __init__(self) -> None:
        super().__init__()
        self.played_at: list[float] = []

    async def play(self, prompt: RenderedPrompt) -> None:
        await asyncio.sleep(0.005)
        self.played_at.append(time.monotonic())
        await super().play(prompt)


def _chain(count: int, text: str) -> dict:
    nodes = {f"p{i}": {"type": "play", "prompt": {"text": text}, "next": f"p{i + 1}"} for i in range(count)}
    nodes[f"p{count}"] = {"type": "hangup"}
    return flow(nodes, "p0")


@pytest.mark.timeout(60)
def test_a_hostile_template_fails_fast_and_another_tenants_call_keeps_flowing() -> None:
    calm = _chain(40, "您的运单 {{ call.caller }} 正在派送")
    hostile = [flow({"p": {"type": "play", "prompt": {"text": text}, "next": "sorry"}}, "p")
               for text in (HOSTILE, RECURSIVE) * 2]
    for body in [calm, *hostile]:
        assert_valid(body)

    async def scenario() -> tuple[TimedChannel, list[ScriptedChannel], float]:
        calm_channel = TimedChannel()
        calm_call = FlowEngine(calm, calm_channel, InMemoryServices(),
                               CallInfo(caller="13800138000", did="4008001234", uuid="calm", tenant="b"))
        channels = [ScriptedChannel() for _ in hostile]
        started = time.monotonic()
        results = await asyncio.gather(calm_call.run(), *(
            FlowEngine(body, channel, InMemoryServices(),
                       CallInfo(caller="13900139000", did="4008005678", uuid=f"h{i}", tenant="a")).run()
            for i, (body, channel) in enumerate(zip(hostile, channels, strict=True))))
        assert results[0].outcome == "completed" and results[0].error is None
        reasons = [result.error["reason"] for result in results[1:]]
        assert all("range() of 1,000,000 items" in r or "steps" in r or "ms to render" in r for r in reasons), \
            reasons
        return calm_channel, channels, time.monotonic() - started

    calm_channel, channels, took = asyncio.run(scenario())
    # The hostile calls ended on the fallback's apology, each render refused within its bound...
    assert all(channel.heard == [APOLOGY_TEXT] for channel in channels)
    # ...and the calm call played all 40 prompts with no long stall between two of them (each recursive render
    # may use its whole 100 ms budget; without the bounds one of them alone ran for minutes).
    assert len(calm_channel.played_at) == 40
    gaps = [b - a for a, b in zip(calm_channel.played_at, calm_channel.played_at[1:], strict=False)]
    assert max(gaps) < 2, max(gaps)  # generous for a loaded machine: unbounded, one render ran for minutes
    assert took < 20
