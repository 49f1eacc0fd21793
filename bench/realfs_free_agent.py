"""Dead air before a free agent is bridged, on the real FreeSWITCH built here (QA 12.3).

Each call: welcome, menu, key 2 -> the queue, where a loopback agent is already free. The runtime sends the hold
music and, the claim having succeeded at once, stops it before the bridge. Measured in the runtime (this process,
on 127.0.0.1:8084, the dialplan's socket): how long stopping the hold music took (the silence between the claim
and the bridge) and the time from the caller's key to CHANNEL_BRIDGE.

    python bench/realfs_free_agent.py --calls 10            # the runtime as it is: plain uuid_break, repeated
    python bench/realfs_free_agent.py --calls 10 --old      # as before: one `uuid_break <uuid> all`

Prints one JSON line per mode. Needs docs/freeswitch/conf (event socket 127.0.0.1:8021), PostgreSQL, Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import redis.asyncio as aioredis  # noqa: E402
from realfs_calls import DID, PROMPTS, REDIS, Records, drop, prepare  # noqa: E402

from hotline.platform.db import Database  # noqa: E402
from hotline.platform.prompt_tts import CommandTts  # noqa: E402
from hotline.runtime.esl import channel as esl_channel  # noqa: E402
from hotline.runtime.esl.inbound import InboundClient  # noqa: E402
from hotline.runtime.esl.outbound import SessionGone  # noqa: E402
from hotline.runtime.esl.switch_profile import SwitchProfile  # noqa: E402
from hotline.runtime.flow.channel import CallerHungUp  # noqa: E402
from hotline.runtime.server import Runtime  # noqa: E402
from hotline.runtime.stats import percentile  # noqa: E402


async def old_stop_hold(self: esl_channel.EslChannel) -> None:
    """stop_hold before QA 12.3: one `uuid_break <uuid> all`, then up to 5 s for the playback's completion."""
    hold, self._hold = self._hold, None
    if hold is None:
        return
    if not hold.done() and not self.gone:
        with contextlib.suppress(SessionGone, ConnectionError):
            await self.session.command(f"api uuid_break {self.uuid} all")
    with contextlib.suppress(CallerHungUp, SessionGone, ConnectionError, TimeoutError):
        await asyncio.wait_for(hold, 5)


async def run(calls: int, old: bool) -> dict:
    url, tenant_id = prepare()
    db = Database(url)
    records = Records(db, tenant_id)
    stops: list[float] = []
    original = esl_channel.EslChannel.stop_hold
    implementation = old_stop_hold if old else original

    async def timed(self: esl_channel.EslChannel) -> None:
        holding = self._hold is not None
        began = time.monotonic()
        await implementation(self)
        if holding:
            stops.append(time.monotonic() - began)

    esl_channel.EslChannel.stop_hold = timed  # type: ignore[method-assign]
    runtime = Runtime(db, aioredis.Redis.from_url(REDIS), port=8084, acd_prefix=f"bench{uuid.uuid4().hex[:6]}:acd",
                      switch=SwitchProfile(agent_dial_string="loopback/agent{extension}/agents"),
                      esl=("127.0.0.1", 8021, "ClueCon"), tts=CommandTts(), prompt_root=PROMPTS)
    await runtime.start()
    await runtime.routes.route(DID)
    client = await InboundClient.connect("127.0.0.1", 8021, "ClueCon")
    to_bridge: list[float] = []
    try:
        for i in range(calls):
            await runtime.acd.presence.login("1001", {str(tenant_id): {"general": 1}})
            caller = f"1391000{i:04d}"
            leg = str(uuid.uuid4())
            await client.api(f"originate {{origination_uuid={leg},origination_caller_id_number={caller}}}"
                             f"loopback/{DID}/public &park()", timeout=30)
            await asyncio.sleep(1.5)
            pressed = time.monotonic()
            await client.api(f"uuid_send_dtmf {leg} 2")
            for _ in range(750):  # up to 15 s
                found = await runtime.acd.presence.get("1001")
                if found is not None and found.state == "on_call":
                    to_bridge.append(time.monotonic() - pressed)
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.5)
            await client.api(f"uuid_kill {leg}")
            await records.wait(caller, 30)
            await asyncio.sleep(6)  # the agent's wrap-up (5 s by default) before the next call
    finally:
        esl_channel.EslChannel.stop_hold = original  # type: ignore[method-assign]
        await client.close()
        await runtime.stop()
        await runtime.redis.aclose()
        db.dispose()
        drop(url)
    return {"mode": "uuid_break all (before)" if old else "uuid_break, repeated (now)", "calls": calls,
            "hold_stop_s_p50": round(percentile(stops, 50), 3), "hold_stop_s_max": round(max(stops), 3),
            "key_to_agent_on_call_s_p50": round(percentile(to_bridge, 50), 3),
            "key_to_agent_on_call_s_max": round(max(to_bridge), 3), "samples": [round(s, 3) for s in stops]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--old", action="store_true", help="measure the behaviour before the fix")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.calls, args.old)), ensure_ascii=False))


if __name__ == "__main__":
    main()
