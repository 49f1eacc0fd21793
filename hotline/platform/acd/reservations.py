"""Agent reservations: an agent who pressed 拨打 (dial) in preview mode waits for that one callee, so no other call
may be offered to them until it answers, fails or the reservation times out.

A reservation is two fields of the agent's presence hash (`reserved_for`: the call id the agent waits for,
`reserved_until`: a Redis-clock deadline). The ACD's claim (runtime/acd/lua_calls.py) treats a reserved agent as
not ready for any other call and clears the reservation when it gives the agent that call (the answer). The
dialer releases it when the originate fails; a reservation nobody releases (a dialer that died, an answer that
never reached a runtime) ends by itself at its deadline — so an agent is never held longer than the ring time.

Plain functions over a Redis client (sync for the desk, asyncio for the dialer process: `eval` returns what the
client returns), each one atomic Lua script timed by the Redis server clock, as every ACD script is. The desk reserves
with `reserve_if_free`: the "is the agent free" check and the write in one script, since a check in Python and a
write after it let two tabs pressing 拨打 at the same instant both through.
"""

from __future__ import annotations

from typing import Any

from .keys import AcdKeys, check_id

#: Longest a reservation may last, whatever the caller asks: bounds what a tenant's ring timeout can hold.
MAX_SECONDS = 300.0

# KEYS: agent hash. ARGV: call id, seconds. Only a logged-in agent is reserved (reply 1), else 0.
_RESERVE = r"""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('HSET', KEYS[1], 'reserved_for', ARGV[1], 'reserved_until', string.format('%.6f', now + tonumber(ARGV[2])))
return 1
"""

# KEYS: agent hash, agent's tenants set, wake channel. ARGV: call id. Releases only the reservation for that call
# (a later dial's reservation stays), then wakes the calls waiting in the agent's tenants: the agent may be theirs.
_RELEASE = r"""
if redis.call('HGET', KEYS[1], 'reserved_for') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'reserved_for', 'reserved_until')
for _, tenant in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('PUBLISH', KEYS[3], cjson.encode({tenant = tenant}))
end
return 1
"""


# KEYS: agent hash. ARGV: call id, seconds. The desk's 拨打 (dial): reserves only an agent who is logged in, available
# (a timed wrap-up or break past its end counts as available, as runtime/acd/presence.py reads it) and not reserved
# for another call yet — checked and written in one script, so two tabs pressing 拨打 at once cannot both pass the
# check before either writes. Reply 'ok', else why not: 'offline', 'reserved', or the agent's state.
_RESERVE_IF_FREE = r"""
local a = redis.call('HMGET', KEYS[1], 'state', 'wrap_until', 'reserved_for', 'reserved_until')
if not a[1] then return 'offline' end
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = a[1]
if (state == 'wrap_up' or state == 'break') and a[2] and a[2] ~= '' and tonumber(a[2]) <= now then
  state = 'available'
end
if state ~= 'available' then return state end
if a[3] and a[3] ~= '' and (tonumber(a[4]) or 0) > now then return 'reserved' end
redis.call('HSET', KEYS[1], 'reserved_for', ARGV[1], 'reserved_until', string.format('%.6f', now + tonumber(ARGV[2])))
return 'ok'
"""
#: reserve_if_free's reply when the agent is now reserved for the call.
RESERVED = "ok"


def _seconds(seconds: float) -> str:
    return repr(max(0.0, min(float(seconds), MAX_SECONDS)))


def reserve_if_free(redis: Any, prefix: str, agent: str, call_id: str, seconds: float) -> str:
    """Reserves `agent` for `call_id` only if they are available and not reserved yet, atomically (sync client: the
    desk's). Returns RESERVED, or why not: 'offline' (not logged in to the ACD), 'reserved' (waiting for another
    callee) or the agent's busy state ('on_call', 'ringing', 'wrap_up', 'break', ...)."""
    check_id("agent", agent)
    if not call_id:
        raise ValueError("a reservation needs the call id the agent waits for")
    reply = redis.eval(_RESERVE_IF_FREE, 1, AcdKeys(prefix).agent(agent), call_id, _seconds(seconds))
    return reply.decode() if isinstance(reply, bytes) else str(reply)


def reserve(redis: Any, prefix: str, agent: str, call_id: str, seconds: float) -> Any:
    """Reserves `agent` for the call `call_id` for `seconds` (at most MAX_SECONDS). Reply 1, or 0 when the agent is
    not logged in to the ACD (nothing to reserve). Awaitable with an asyncio client."""
    check_id("agent", agent)
    if not call_id:
        raise ValueError("a reservation needs the call id the agent waits for")
    keys = AcdKeys(prefix)
    return redis.eval(_RESERVE, 1, keys.agent(agent), call_id, _seconds(seconds))


def release(redis: Any, prefix: str, agent: str, call_id: str) -> Any:
    """Ends the agent's reservation for `call_id` (the call failed); reply 1 if there was one. Awaitable with an
    asyncio client."""
    check_id("agent", agent)
    keys = AcdKeys(prefix)
    return redis.eval(_RELEASE, 3, keys.agent(agent), keys.agent_tenants(agent), keys.wake, call_id)
