"""QA 12 #6: `hotline doctor` printed nothing for a loopback agent dial string and never checked mod_loopback."""

from __future__ import annotations

import asyncio

import pytest

from hotline.cli.doctor import _dial_strings
from hotline.platform.settings import _template
from hotline.runtime.esl.switch_profile import SwitchProfile


class _Switch:
    def __init__(self, loopback: bool) -> None:
        self.loopback = loopback

    async def api(self, command: str) -> str:
        if command == "module_exists mod_loopback":
            return "true" if self.loopback else "false"
        return "+OK"


@pytest.mark.parametrize("loaded", [True, False])
def test_doctor_checks_mod_loopback_for_a_loopback_agent_dial_string(loaded: bool) -> None:
    profile = SwitchProfile(agent_dial_string="[hl_ext={extension}]loopback/agentbusy/agents",
                            transfer_dial_string="loopback/{number}/agents")
    checks = asyncio.run(_dial_strings(_Switch(loaded), profile, None))
    lines = [c.line() for c in checks]
    mine = [c for c in checks if "agent_dial_string" in c.line()]
    assert len(mine) == 1 and mine[0].ok is loaded, lines
    assert "mod_loopback" in mine[0].line()


def test_a_dial_string_without_the_extension_is_refused_with_the_way_to_a_fixed_endpoint() -> None:
    with pytest.raises(ValueError, match=r"\[hl_ext=\{extension\}\]loopback/agentbusy/agents"):
        _template("extension")("loopback/agentbusy/agents")
    assert _template("extension")("[hl_ext={extension}]loopback/agentbusy/agents")
