"""The runtime's inbound ESL connection (api/bgapi, events), kept up with reconnect and backoff.

Used for originate (callbacks, campaigns) and for commands on channels other than the current call's.
FreeSWITCH restarts and network blips are normal; calls in progress do not depend on this link. The client is
the in-house one (inbound.py), no longer genesis (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from .inbound import InboundClient

log = logging.getLogger("hotline.runtime.inbound")


class InboundLink:
    def __init__(self, host: str, port: int, password: str, *, initial_delay: float = 0.5,
                 max_delay: float = 30.0) -> None:
        self.host, self.port, self.password = host, port, password
        self.initial_delay, self.max_delay = initial_delay, max_delay
        self.client: Any = None
        self.connected = asyncio.Event()
        self.attempts = 0

    async def run(self) -> None:
        """Connects, waits while connected, reconnects with exponential backoff; until cancelled."""
        delay = self.initial_delay
        while True:
            self.attempts += 1
            try:
                client = await InboundClient.connect(self.host, self.port, self.password)
                try:
                    self.client = client
                    self.connected.set()
                    delay = self.initial_delay
                    log.info("inbound ESL connected to %s:%s", self.host, self.port)
                    await client.lost.wait()
                    log.warning("inbound ESL %s:%s lost", self.host, self.port)
                finally:
                    await client.close()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # refused, auth failure, lost: all mean "try again later"
                log.warning("inbound ESL %s:%s unavailable (%s); retrying in %.1fs", self.host, self.port,
                            type(exc).__name__, delay)
            finally:
                self.client = None
                self.connected.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay)

    async def api(self, command: str, timeout: float = 5.0) -> str:
        """Runs an api command once connected; raises TimeoutError if the link stays down."""
        await asyncio.wait_for(self.connected.wait(), timeout)
        return await self.client.api(command, timeout)

    async def bgapi(self, command: str, timeout: float = 120.0, connect_timeout: float = 5.0) -> str:
        """Runs a bgapi command once connected and returns the BACKGROUND_JOB body (see InboundClient.bgapi)."""
        await asyncio.wait_for(self.connected.wait(), connect_timeout)
        return await self.client.bgapi(command, timeout)
