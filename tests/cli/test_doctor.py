"""`hotline doctor` says what is wrong with the switch the settings point at, one line per check (issue 12
item 7): against the simulator (a switch without the TTS module, a gateway that does not exist, an unknown
agent extension) and, in the realfs lane, against the FreeSWITCH built here."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from hotline.cli.doctor import run_checks
from hotline.platform import settings
from hotline.runtime.simswitch import AgentBehavior, SimSwitch, SimSwitchConfig


def _settings(tmp_path: Path, esl_port: int, **env: str) -> settings.Settings:
    (tmp_path / "rec").mkdir(exist_ok=True)
    return settings.load(environ={"HOTLINE_ESL_PORT": str(esl_port),
                                  "HOTLINE_SWITCH_RECORDINGS": str(tmp_path / "rec"), **env})


def test_the_doctor_names_each_problem_of_a_simulated_switch(tmp_path: Path) -> None:
    async def scenario() -> list[str]:
        switch = SimSwitch(SimSwitchConfig(tts_engines=(), agents={"1001": AgentBehavior()}))
        await switch.start()
        try:
            s = _settings(tmp_path, switch.esl_port,
                          HOTLINE_SWITCH_TRANSFER_DIAL_STRING="sofia/gateway/nosuch/{number}")
            return [c.line() for c in await run_checks(s, extension="2002")]
        finally:
            await switch.stop()

    lines = asyncio.run(scenario())
    assert lines[0].startswith("OK   event socket") and "1.10.12" in lines[0]
    assert "OK   module mod_sofia" in lines
    assert any(line.startswith("FAIL live TTS engine tts_commandline: mod_tts_commandline is not loaded")
               for line in lines), lines
    assert any(line.startswith("FAIL [switch] transfer_dial_string gateway nosuch") for line in lines), lines
    assert any(line.startswith("FAIL [switch] agent_dial_string for extension 2002") for line in lines), lines
    assert f"OK   recordings folder {tmp_path / 'rec'}" in lines


def test_the_doctor_says_when_no_switch_answers(tmp_path: Path) -> None:
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    checks = asyncio.run(run_checks(_settings(tmp_path, port)))
    assert len(checks) == 1 and not checks[0].ok and f"event socket 127.0.0.1:{port}" in checks[0].line()


@pytest.mark.realfs
def test_the_doctor_passes_the_switch_built_here(tmp_path: Path) -> None:
    host, port, password = (os.environ.get("HOTLINE_REALFS_ESL") or "127.0.0.1:8021:ClueCon").split(":", 2)
    import socket

    try:
        socket.create_connection((host, int(port)), timeout=0.5).close()
    except OSError:
        pytest.skip(f"no FreeSWITCH event socket at {host}:{port} (build one with docs/freeswitch; CI has none)")
    s = _settings(tmp_path, int(port), HOTLINE_ESL_HOST=host, HOTLINE_ESL_PASSWORD=password)
    lines = [c.line() for c in asyncio.run(run_checks(s, extension="1001"))]
    assert all(line.startswith("OK") for line in lines if "module" in line or "TTS engine" in line), lines
    assert "OK   [switch] agent_dial_string for extension 1001" in lines
