"""Two desks reserving one agent at the same instant (two browser tabs pressing 拨打 together): the reservation is
conditional and atomic (platform/acd/reservations.py `reserve_if_free`, one Lua script), so exactly one wins and
the others are told why — on the real Redis, from real threads, each with its own connection."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis as sync_redis

from hotline.platform.acd import reservations
from hotline.runtime.acd import Acd

from ...runtime.acd_helpers import REDIS_URL, run_acd

pytestmark = pytest.mark.redis
TABS = 8


def _race(prefix: str, agent: str) -> list[str]:
    barrier = threading.Barrier(TABS)

    def tab(index: int) -> str:
        client = sync_redis.Redis.from_url(REDIS_URL)
        try:
            barrier.wait(10)
            return reservations.reserve_if_free(client, prefix, agent, f"pv-{index}", 60)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=TABS) as pool:
        return list(pool.map(tab, range(TABS)))


def test_of_tabs_reserving_one_agent_at_once_exactly_one_wins_and_the_rest_read_reserved() -> None:
    async def scenario(acd: Acd) -> None:
        await acd.presence.login("u1", {"acme": {}})
        replies = _race(acd.keys.prefix, "u1")
        assert replies.count(reservations.RESERVED) == 1 and replies.count("reserved") == TABS - 1, replies
        winner = f"pv-{replies.index(reservations.RESERVED)}"
        assert (await acd.redis.hget(acd.keys.agent("u1"), "reserved_for")).decode() == winner
        # the winner's release frees the agent for the next dial
        assert await reservations.release(acd.redis, acd.keys.prefix, "u1", winner) == 1
        client = sync_redis.Redis.from_url(REDIS_URL)
        try:
            assert reservations.reserve_if_free(client, acd.keys.prefix, "u1", "pv-next", 60) == reservations.RESERVED
        finally:
            client.close()

    run_acd(scenario)


def test_only_an_available_agent_is_reserved_and_a_lapsed_reservation_does_not_count() -> None:
    async def scenario(acd: Acd) -> None:
        client = sync_redis.Redis.from_url(REDIS_URL)
        prefix = acd.keys.prefix
        try:
            assert reservations.reserve_if_free(client, prefix, "ghost", "pv-1", 30) == "offline"
            assert not client.exists(acd.keys.agent("ghost"))
            await acd.presence.login("u1", {"acme": {}}, state="break")
            assert reservations.reserve_if_free(client, prefix, "u1", "pv-1", 30) == "break"
            assert client.hget(acd.keys.agent("u1"), "reserved_for") is None  # refused: nothing written
            await acd.presence.set_state("u1", "available")
            client.hset(acd.keys.agent("u1"), mapping={"reserved_for": "pv-old", "reserved_until": "1.0"})  # lapsed
            assert reservations.reserve_if_free(client, prefix, "u1", "pv-2", 30) == reservations.RESERVED
            assert client.hget(acd.keys.agent("u1"), "reserved_for") == b"pv-2"
        finally:
            client.close()

    run_acd(scenario)
