"""The runtime's inbound ESL link: api over a real connection, and reconnect with backoff after the switch
goes away and comes back."""

from __future__ import annotations

import asyncio
import socket

from hotline.runtime.esl.inbound_link import InboundLink
from hotline.runtime.simswitch import SimSwitch, SimSwitchConfig


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_api_works_and_the_link_reconnects_after_the_switch_restarts() -> None:
    async def scenario() -> tuple[str, str, int]:
        port = _free_port()
        switch = SimSwitch(SimSwitchConfig(esl_port=port))
        await switch.start()
        link = InboundLink("127.0.0.1", port, "ClueCon", initial_delay=0.05, max_delay=0.2)
        runner = asyncio.create_task(link.run())
        try:
            first = await link.api("status")
            await switch.stop()
            for _ in range(100):  # the link notices the loss
                if not link.connected.is_set():
                    break
                await asyncio.sleep(0.02)
            assert not link.connected.is_set()
            await asyncio.sleep(0.3)  # a few refused attempts while the switch is down
            switch = SimSwitch(SimSwitchConfig(esl_port=port))
            await switch.start()
            second = await link.api("version", timeout=5)
            return first, second, link.attempts
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            await switch.stop()

    first, second, attempts = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert "UP" in first
    assert second.startswith("FreeSWITCH Version 1.10.12")
    assert attempts >= 3  # connected, lost, refused at least once, connected again


def test_api_fails_clearly_while_the_switch_is_down() -> None:
    async def scenario() -> None:
        link = InboundLink("127.0.0.1", _free_port(), "ClueCon", initial_delay=0.05)
        runner = asyncio.create_task(link.run())
        try:
            await link.api("status", timeout=0.3)
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)

    try:
        asyncio.run(scenario())
    except TimeoutError:
        return
    raise AssertionError("api() should time out while no switch answers")
