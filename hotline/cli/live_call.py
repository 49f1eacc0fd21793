"""`hotline call --live`: a call placed on the running stack's switch, so it rings the agent desk.

`hotline call` alone runs a private simulator and runtime (nothing else sees its call). `--live` instead
asks the switch the stack already uses (the simulator of `hotline up`, or FreeSWITCH) over its inbound
Event Socket to originate a call to the DID, exactly as FreeSWITCH's own `originate` of a loopback call does:
the DID's dialplan sends it to the running runtime, through the IVR, into the real queues. The caller leg is
parked (it presses nothing), so the IVR takes its no-input paths to an agent.
"""

from __future__ import annotations

import asyncio
import re

import click

from ..platform.settings import Settings, env_name
from ..runtime.esl.inbound import AuthenticationFailed, InboundClient
from ..runtime.esl.outbound import ProtocolError

NUMBER = re.compile(r"\+?[0-9]{3,24}")
UUID = re.compile(r"[0-9A-Za-z-]{8,64}")
#: The dialplan context that routes a DID to the runtime in the documented configuration
#: (docs/freeswitch/conf/dialplan/hotline.xml defines only `public` and `agents`; QA 12.4).
DID_CONTEXT = "public"


def place_live_call(settings: Settings, did: str, caller: str) -> str:
    """Originates the call and returns the uuid its call record will carry; a clear ClickException for anything
    that stops it.

    `originate` answers with the uuid of the loopback ``-a`` half (the parked caller), but the runtime records the
    ``-b`` half, the channel that runs the DID's dialplan into its socket; mod_loopback names that one in the
    ``-a`` half's ``other_loopback_leg_uuid`` (QA of issue 15, item 5)."""
    for name, value in (("--did", did), ("--caller", caller)):
        if not NUMBER.fullmatch(value):
            raise click.BadParameter(f"{value!r} is not a phone number (digits, optionally a leading +)",
                                     param_hint=name)
    host, port = settings.esl_host, settings.esl_port
    command = f"originate {{origination_caller_id_number={caller}}}loopback/{did}/{DID_CONTEXT} &park()"

    async def originate() -> str:
        try:
            client = await InboundClient.connect(host, port, settings.esl_password)
        except AuthenticationFailed:
            raise click.ClickException(f"the switch at {host}:{port} refused the ESL password ([esl] password, "
                                       f"{env_name('esl', 'password')})") from None
        except (OSError, TimeoutError, ProtocolError):
            raise click.ClickException(f"no switch answers the Event Socket at {host}:{port}: start the stack first "
                                       f"(./start.sh or hotline up), or set [esl] host/port") from None
        try:
            reply = (await client.api(command, timeout=30)).strip()
            if not reply.startswith("+OK") or len(reply.split()) < 2:
                return reply, ""
            a_leg = reply.split()[1]
            b_leg = (await client.api(f"uuid_getvar {a_leg} other_loopback_leg_uuid", timeout=10)).strip()
            # A caller who hung up at once leaves no -a half to ask: its own uuid is the best left to show.
            return reply, b_leg if UUID.fullmatch(b_leg) else a_leg
        finally:
            await client.close()

    reply, uuid = asyncio.run(originate())
    if not reply.startswith("+OK"):
        raise click.ClickException(f"the switch did not place the call: {reply or 'no answer'}")
    return uuid
