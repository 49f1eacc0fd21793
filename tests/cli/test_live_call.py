"""`hotline call --live` places a call on the running stack (`hotline up`): it reaches the real runtime and is
recorded there; with nothing running it is one clear line."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli import main
from hotline.runtime.esl.inbound import InboundClient

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_live_call_reaches_the_running_stack(tmp_path: Path) -> None:
    database = tmp_path / "live.sqlite3"
    esl = _free_port()
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{database}", "HOTLINE_WEB_PORT": str(_free_port()),
           "HOTLINE_ESL_PORT": str(esl), "HOTLINE_RUNTIME_SOCKET_PORT": str(_free_port()),
           "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0"}
    log = (tmp_path / "up.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "hotline.cli", "up"], env={**os.environ, **env}, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        # Starting the stack (migrations, web, runtime, switch) takes seconds alone and far longer on a loaded
        # machine: wait for its banner (or its exit) up to a generous deadline, not a fixed number of polls.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if "Hotline is up" in (tmp_path / "up.log").read_text() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert "Hotline is up" in (tmp_path / "up.log").read_text(), (tmp_path / "up.log").read_text()
        result = CliRunner().invoke(main, ["call", "--live", "--did", "4008001234", "--caller", "13801234599"],
                                    env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "placed on the switch" in result.output
        uuid = result.output.split()[1]
        time.sleep(2)  # the caller hears the welcome prompt; then it hangs up

        async def hang_up() -> str:
            client = await InboundClient.connect("127.0.0.1", esl, "ClueCon")
            try:
                return await client.api(f"uuid_kill {uuid}")
            finally:
                await client.close()

        assert asyncio.run(hang_up()).startswith("+OK")
        calls: list[tuple[str, str, int]] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with sqlite3.connect(database) as db:
                calls = db.execute("select caller, did, test_call, uuid from call_record").fetchall()
            if calls:
                break
            time.sleep(0.2)
        # a real call of the stack, not a test call, under the uuid the command printed (QA of issue 15, item 5)
        assert calls == [("13801234599", "4008001234", 0, uuid)]
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_a_live_call_with_nothing_running_is_one_clear_line(tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "HOTLINE_ESL_PORT": str(_free_port()),
           "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0"}
    result = CliRunner().invoke(main, ["call", "--live", "--did", "4008001234"], env=env)
    assert result.exit_code == 1
    assert "no switch answers the Event Socket" in result.output and "hotline up" in result.output
    bad = CliRunner().invoke(main, ["call", "--live", "--did", "4008001234", "--caller", "1; hupall"], env=env)
    assert bad.exit_code == 2 and "is not a phone number" in bad.output


def test_a_live_call_uses_a_context_the_documented_dialplan_defines() -> None:
    """QA 12.4: `--live` dialled loopback/<did>/default, a context docs/freeswitch/conf does not define, and the
    real switch answered -ERR NO_ROUTE_DESTINATION; the simulator, given the documented contexts, does too."""
    import re
    from types import SimpleNamespace

    from hotline.cli.live_call import place_live_call
    from hotline.runtime.simswitch import Extension, SimSwitch, SimSwitchConfig

    dialplan = (ROOT / "docs/freeswitch/conf/dialplan/hotline.xml").read_text(encoding="utf-8")
    contexts = tuple(re.findall(r'<context name="([^"]+)"', dialplan))
    assert contexts == ("public", "agents", "callees")  # callees: campaign calls in test set-ups
    parked = Extension(actions=(("answer", ""), ("park", "")))

    async def scenario() -> tuple[str, str, str]:
        sim = SimSwitch(SimSwitchConfig(contexts=contexts, dialplan={"4008001234": parked}))
        await sim.start()
        try:
            settings = SimpleNamespace(esl_host="127.0.0.1", esl_port=sim.esl_port, esl_password="ClueCon")
            uuid = await asyncio.to_thread(place_live_call, settings, "4008001234", "13801234599")
            client = await InboundClient.connect("127.0.0.1", sim.esl_port, "ClueCon")
            try:
                leg = await client.api(f"uuid_getvar {uuid} loopback_leg")
                unknown = await client.api("originate loopback/4008001234/default &park()")
            finally:
                await client.close()
            return uuid, leg, unknown
        finally:
            await sim.stop()

    uuid, leg, unknown = asyncio.run(scenario())
    assert re.fullmatch(r"[0-9a-f-]{36}", uuid), uuid
    # The -b half runs the DID's dialplan (the runtime's socket), so it is the uuid its call record carries.
    assert leg.strip() == "B"
    assert unknown.strip() == "-ERR NO_ROUTE_DESTINATION"
