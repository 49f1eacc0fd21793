"""The in-house inbound ESL client: password refused, a command cut off by a lost link, and the runtime no
longer loading genesis (docs/decisions.md, "ESL: one in-house client for both directions")."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import pytest

from hotline.runtime.esl.inbound import AuthenticationFailed, InboundClient
from hotline.runtime.simswitch import SimSwitch, SimSwitchConfig


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_wrong_password_is_refused_clearly() -> None:
    async def scenario() -> None:
        switch = SimSwitch(SimSwitchConfig(esl_port=_free_port(), password="right"))
        await switch.start()
        try:
            with pytest.raises(AuthenticationFailed, match="-ERR"):
                await InboundClient.connect("127.0.0.1", switch.esl_port, "wrong")
        finally:
            await switch.stop()

    asyncio.run(asyncio.wait_for(scenario(), 20))


def test_commands_answer_in_order_and_a_lost_link_fails_the_waiting_ones() -> None:
    async def scenario() -> tuple[list[str], BaseException | None]:
        switch = SimSwitch(SimSwitchConfig(esl_port=_free_port()))
        await switch.start()
        client = await InboundClient.connect("127.0.0.1", switch.esl_port, "ClueCon")
        try:
            answers = await asyncio.gather(client.api("version"), client.api("status"), client.api("version"))
            await switch.stop()
            await asyncio.wait_for(client.lost.wait(), 5)
            try:
                await client.api("status")
            except ConnectionError as exc:
                return list(answers), exc
            return list(answers), None
        finally:
            await client.close()

    answers, error = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert answers[0].startswith("FreeSWITCH Version") and "UP" in answers[1] and answers[2] == answers[0]
    assert isinstance(error, ConnectionError)


def test_the_runtime_does_not_load_genesis() -> None:
    code = "import sys, hotline.runtime.server, hotline.cli.stack; print('genesis' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_bgapi_returns_each_jobs_own_result_while_api_replies_stay_in_order() -> None:
    """Concurrent originates end in any order; each caller gets its own job's BACKGROUND_JOB body."""
    from hotline.runtime.simswitch import CalleeProfile

    numbers = {f"+86138000000{i:02d}": ("answer", "busy", "invalid", "no_answer")[i % 4] for i in range(20)}

    async def scenario() -> tuple[dict[str, str], list[str]]:
        callees = CalleeProfile(overrides=numbers, ring_ms=(200, 3000), talk_ms=(1000, 1000))
        switch = SimSwitch(SimSwitchConfig(esl_port=_free_port(), callees=callees))
        await switch.start()
        client = await InboundClient.connect("127.0.0.1", switch.esl_port, "ClueCon")
        try:
            jobs = [client.bgapi(f"originate {{originate_timeout=20}}sofia/gateway/pstn/{n} &park()") for n in numbers]
            results = await asyncio.gather(*jobs, client.api("version"))
            return dict(zip(numbers, results[:-1], strict=True)), [results[-1]]
        finally:
            await client.close()
            await switch.stop()

    results, (version,) = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert version.startswith("FreeSWITCH Version")
    expected = {"busy": "-ERR USER_BUSY\n", "invalid": "-ERR UNALLOCATED_NUMBER\n", "no_answer": "-ERR NO_ANSWER\n"}
    for number, outcome in numbers.items():
        if outcome == "answer":
            assert results[number].startswith("+OK ") and len(results[number].split()[1]) == 36
        else:
            assert results[number] == expected[outcome], number
