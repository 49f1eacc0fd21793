"""Redis for a process: the configured server, or an in-process stand-in on the embedded default.

The stand-in (fakeredis with Lua) lets one `hotline up` process run the runtime, its ACD and the web
application without a Redis server; sync and asyncio clients share one fake server so pub/sub between
them works. When `redis.required` is true, an unreachable Redis is an error instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio as aioredis

log = logging.getLogger("hotline.redis")


@dataclass
class RedisConnections:
    sync: Any
    url: str
    embedded: bool
    _fake_server: Any = None

    def new_async(self) -> Any:
        """An asyncio client on the same server (one per event loop)."""
        if self._fake_server is not None:
            import fakeredis

            return fakeredis.FakeAsyncRedis(server=self._fake_server)
        return aioredis.Redis.from_url(self.url)


def connect(url: str, required: bool = False) -> RedisConnections:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
        return RedisConnections(sync=client, url=url, embedded=False)
    except redis.exceptions.ConnectionError as exc:
        if required:
            raise RuntimeError(f"Redis at {url} is not reachable ({exc}) and redis.required is true") from None
    import fakeredis

    log.warning("Redis at %s not reachable: using the in-process stand-in", url)
    server = fakeredis.FakeServer()
    return RedisConnections(sync=fakeredis.FakeRedis(server=server), url=url, embedded=True, _fake_server=server)
