"""`hotline doctor`: checks a live FreeSWITCH over the event socket against the settings, and says what is
wrong in one line per check (issue 12 item 7): the modules the runtime uses, the live TTS engine, the agent
and transfer dial strings, hold music, the recordings and prompt folders, and the runtime's socket."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .context import CliContext

#: Modules every call needs (docs/freeswitch/conf/autoload_configs/modules.conf.xml says why).
REQUIRED_MODULES = ("mod_event_socket", "mod_sofia", "mod_commands", "mod_dptools", "mod_dialplan_xml",
                    "mod_sndfile", "mod_tone_stream")


@dataclass
class Check:
    """One line of the doctor's answer. A warning (`warn`) is ok: something to know, not a broken switch."""

    ok: bool
    what: str
    why: str = ""
    warn: bool = False

    def line(self) -> str:
        status = "FAIL" if not self.ok else ("WARN" if self.warn else "OK  ")
        return f"{status} {self.what}" + (f": {self.why}" if self.why else "")


async def run_checks(settings: Any, *, extension: str | None = None) -> list[Check]:
    from ..runtime.esl.inbound import InboundClient
    from ..runtime.esl.switch_profile import SwitchProfile

    s, profile = settings, SwitchProfile.from_settings(settings)
    checks: list[Check] = []
    where = f"event socket {s.esl_host}:{s.esl_port}"
    try:
        client = await InboundClient.connect(s.esl_host, s.esl_port, s.esl_password)
    except Exception as exc:  # refused, timed out, wrong password: each says so
        return [Check(False, where, f"{type(exc).__name__}: {exc} ([esl] host/port/password, "
                                    "event_socket.conf.xml)")]
    try:
        version = (await client.api("version")).strip()
        checks.append(Check(True, where, version))

        async def loaded(module: str) -> bool:
            return (await client.api(f"module_exists {module}")).strip() == "true"

        for module in REQUIRED_MODULES:
            ok = await loaded(module)
            checks.append(Check(ok, f"module {module}", "" if ok else "not loaded (modules.conf.xml)"))
        if profile.live_tts:
            module = f"mod_{profile.tts_engine}"
            ok = await loaded(module)
            checks.append(Check(ok, f"live TTS engine {profile.tts_engine}",
                                "" if ok else f"{module} is not loaded: every say: prompt would fail "
                                              "(load it, or set [switch] live_tts = false)"))
        if profile.hold_music.startswith("local_stream://"):
            ok = await loaded("mod_local_stream")
            checks.append(Check(ok, f"hold music {profile.hold_music}", "" if ok else "mod_local_stream is not loaded"))
        amd = await loaded("mod_amd")  # third-party: the dialer skips detection without it (dialer/process.py)
        checks.append(Check(True, "answering machine detection (mod_amd)", "loaded" if amd else (
            "not loaded: campaign calls answered by a machine go to agents, who disposition them"), warn=not amd))
        checks += await _dial_strings(client, profile, extension)
    finally:
        await client.close()
    checks.append(_folder("recordings folder", Path(profile.recordings)))
    from ..platform import prompt_storage

    checks.append(_folder("prompt folder", prompt_storage.default_root()))
    if s.prompts_tts == "command":
        program = shlex.split(s.prompts_tts_command)[0]
        found = shutil.which(program)
        checks.append(Check(bool(found), f"prompt TTS command {program}",
                            found or "not installed: text prompts stay live TTS (apt-get install espeak-ng)"))
    with contextlib.suppress(OSError), socket.create_connection((s.runtime_socket_host, s.runtime_socket_port), 1):
        checks.append(Check(True, f"runtime socket {s.runtime_socket_host}:{s.runtime_socket_port}", "listening"))
        return checks
    checks.append(Check(False, f"runtime socket {s.runtime_socket_host}:{s.runtime_socket_port}",
                        "nothing listens: start `hotline runtime` (the dialplan's socket points here)"))
    return checks


async def _dial_strings(client: Any, profile: Any, extension: str | None) -> list[Check]:
    """The gateways and directory users the dial strings need.

    The shipped transfer dial string (`sofia/gateway/pstn/{number}`) is a placeholder for the operator's carrier,
    and docs/freeswitch/conf ships no gateway: a switch set up from the guide is healthy, its transfers simply
    cannot reach a carrier yet. So that gateway missing is a warning; a gateway the operator named is checked.
    """
    from ..platform.settings import DEFAULTS

    checks = []
    for name, template in (("agent_dial_string", profile.agent_dial_string),
                           ("transfer_dial_string", profile.transfer_dial_string)):
        if template.startswith("sofia/gateway/"):
            gateway = template.split("/")[2]
            reply = (await client.api(f"sofia status gateway {gateway}")).strip()
            ok = bool(reply) and "Invalid Gateway" not in reply and not reply.startswith("-ERR")
            if not ok and template == DEFAULTS["switch", name]:
                checks.append(Check(True, f"[switch] {name} gateway {gateway}", (
                    "not configured (the shipped placeholder): transfers and campaign calls fail with "
                    "INVALID_GATEWAY until your carrier's gateway is in sofia.conf.xml and named in "
                    f"[switch] {name}"), warn=True))
                continue
            checks.append(Check(ok, f"[switch] {name} gateway {gateway}",
                                "" if ok else "no such gateway in sofia.conf.xml (calls fail with INVALID_GATEWAY)"))
        elif template.split("]")[-1].startswith("loopback/"):
            # QA 12 #6: a loopback dial string (the test agents of docs/freeswitch) got no line at all, and without
            # mod_loopback every bridge to it fails
            loaded = (await client.api("module_exists mod_loopback")).strip() == "true"
            checks.append(Check(loaded, f"[switch] {name} {template}",
                                "mod_loopback loaded" if loaded else
                                "mod_loopback is not loaded: every call to this dial string fails (load mod_loopback "
                                "in modules.conf.xml)"))
        elif template.startswith("user/") and name == "agent_dial_string" and extension:
            domain = (await client.api("global_getvar domain")).strip()
            reply = (await client.api(f"user_exists id {extension} {domain}")).strip()
            checks.append(Check(reply == "true", f"[switch] {name} for extension {extension}",
                                "" if reply == "true" else "no such user in the directory (SUBSCRIBER_ABSENT)"))
    return checks


def _folder(what: str, path: Path) -> Check:
    if not path.is_dir():
        return Check(False, f"{what} {path}", "does not exist (the switch and the runtime must both reach it)")
    if not os.access(path, os.W_OK):
        return Check(False, f"{what} {path}", "not writable")
    return Check(True, f"{what} {path}")


@click.command("doctor")
@click.option("--extension", help="An agent extension to look up in the switch's directory (user/... dial strings).")
@click.pass_obj
def doctor(obj: CliContext, extension: str | None) -> None:
    """Check the FreeSWITCH the settings point at: modules, TTS, dial strings, folders, runtime socket."""
    checks = asyncio.run(run_checks(obj.settings, extension=extension))
    for check in checks:
        click.echo(check.line())
    failed = [c for c in checks if not c.ok]
    if failed:
        raise click.ClickException(f"{len(failed)} check(s) failed")


doctor_commands = [doctor]
