"""One fixture for browser tests whose web app talks to the switch: the simulator's inbound Event Socket in a
thread of its own (the web app under test is synchronous) and the app pointed at it, at the real Redis and at the
test's ACD key prefix. The desk's record button and the wallboard's live buttons each set this up by hand before
(task E item 7)."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from hotline.designer.redis_access import SETTINGS
from hotline.runtime.simswitch import AgentBehavior, SimSwitch, SimSwitchConfig
from tests.conftest import REDIS_URL


@pytest.fixture
def threaded_sim() -> Iterator[SimSwitch]:
    """A running simulator whose user/<extension> legs answer after 50 ms (a supervisor's or agent's phone)."""
    loop = asyncio.new_event_loop()
    switch = SimSwitch(SimSwitchConfig(default_agent=AgentBehavior(answer_after_ms=50), time_scale=1.0))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(switch.start(), loop).result(10)
    yield switch
    asyncio.run_coroutine_threadsafe(switch.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture
def on_switch(threaded_sim: SimSwitch) -> Callable[[Flask, str], Flask]:
    """`on_switch(app, acd_prefix)`: the app, now sending its switch commands to `threaded_sim` and reading the
    ACD presence under `acd_prefix` in the real Redis."""

    def wire(app: Flask, prefix: str) -> Flask:
        settings = app.extensions[SETTINGS]
        app.extensions[SETTINGS] = dataclasses.replace(settings, esl_host="127.0.0.1",
                                                       esl_port=threaded_sim.esl_port, esl_password="ClueCon",
                                                       redis_url=REDIS_URL)
        app.config.update(HOTLINE_ACD_PREFIX=prefix, HOTLINE_REDIS_URL=REDIS_URL)
        return app

    return wire
