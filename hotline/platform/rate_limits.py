"""Rate limits in Redis: fixed-window counters for quotas, and sign-in back-off after repeated failures.

One small module used everywhere a tenant (or an attacker) could use up what others need: test calls,
sends from the desk, imports and exports, API requests, sign-in attempts. Redis holds the counters so
every web process shares them (the embedded default's in-process stand-in counts per process). Times come
from the caller's clock (`now`, seconds since the epoch), so tests can freeze it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

PREFIX = "hotline:rl:"
#: The back-off doubles per further failure up to this.
MAX_LOCKOUT_SECONDS = 3600
#: A run of failures is forgotten after this long without one.
FAILURE_MEMORY_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    #: Seconds until the next attempt may succeed (0 when allowed).
    retry_after: int


def fixed_window(redis: Any, key: str, limit: int, window_seconds: int, now: float) -> Verdict:
    """Counts one use of `key` in the current window; refused once the window holds more than `limit`."""
    slot = int(now // window_seconds)
    name = f"{PREFIX}{key}:{slot}"
    pipe = redis.pipeline()
    pipe.incr(name)
    pipe.expire(name, window_seconds + 1)
    count = int(pipe.execute()[0])
    if count <= limit:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil((slot + 1) * window_seconds - now)))


def _subject(kind: str, value: str) -> str:
    # Hashed: usernames and addresses are whatever a client typed, of any length and character.
    return f"{PREFIX}login:{kind}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:32]}"


#: An (address, account) pair that signed in successfully is remembered this long (an office's agents).
KNOWN_PAIR_SECONDS = 30 * 24 * 3600


class LoginThrottle:
    """Exponential back-off per account, and per address over distinct accounts.

    After `failures` wrong passwords for one account, each further attempt for it must wait `base_seconds`,
    doubling with each failure (at most an hour); attempts while waiting are refused without checking the
    password. An address is throttled only by how many *different* usernames failed from it
    (`failures * address_factor`): a whole call center signs in from behind one NAT address, so one agent
    mistyping twenty times is that agent's problem (the account's back-off), while one address guessing at
    many accounts (password spraying) is the address's. Even then, an account that has signed in from that
    address before is let through to its password check (its own back-off still applies): the floor's agents
    keep working while the address is throttled for everyone else.
    """

    def __init__(self, redis: Any, failures: int, base_seconds: int, address_factor: int = 10,
                 namespace: str = "") -> None:
        self.redis, self.failures, self.base, self.namespace = redis, failures, base_seconds, namespace
        self.address_failures = failures * address_factor

    def _account(self, username: str) -> str:
        return _subject(self.namespace + "account", username.strip().lower())

    def _address(self, address: str) -> str:
        return _subject(self.namespace + "address", address)

    def _known(self, username: str, address: str) -> str:
        return _subject(self.namespace + "known", f"{address}\n{username.strip().lower()}")

    def _until(self, key: str, now: float) -> int:
        until = self.redis.hget(key, "until")
        return math.ceil(float(until) - now) if until is not None and float(until) > now else 0

    def wait(self, username: str, address: str, now: float) -> int:
        """Seconds the client must wait before this attempt is even checked (0: go ahead)."""
        wait = self._until(self._account(username), now)
        if not self.redis.exists(self._known(username, address)):
            wait = max(wait, self._until(self._address(address), now))
        return wait

    def _back_off(self, key: str, count: int, allowance: int, now: float) -> None:
        if count >= allowance:
            self.redis.hset(key, "until", now + min(self.base * 2 ** (count - allowance), MAX_LOCKOUT_SECONDS))
        self.redis.expire(key, FAILURE_MEMORY_SECONDS + MAX_LOCKOUT_SECONDS)

    def failed(self, username: str, address: str, now: float) -> None:
        account = self._account(username)
        self._back_off(account, int(self.redis.hincrby(account, "count", 1)), self.failures, now)
        # The address counts a username once: the set holds hashed names, at most twice the allowance
        # (past that the address is throttled anyway, and the set must not grow with an attacker's list).
        names, key = self._address(address) + ":names", self._address(address)
        if int(self.redis.scard(names)) < 2 * self.address_failures and self.redis.sadd(names, account):
            self.redis.expire(names, FAILURE_MEMORY_SECONDS)
            self._back_off(key, int(self.redis.scard(names)), self.address_failures, now)

    def succeeded(self, username: str, address: str = "") -> None:
        """A right password clears the account's run (not the address's: one good account must not
        reset the count of an address guessing at others) and marks the pair as known."""
        self.redis.delete(self._account(username))
        if address:
            self.redis.set(self._known(username, address), 1, ex=KNOWN_PAIR_SECONDS)


# A counting semaphore whose holders expire: a sorted set of holder tokens scored by their deadline. One Lua
# script drops expired holders and takes a place atomically, so two web processes cannot both take the last
# place, and a holder whose process died frees its place at its deadline instead of never.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return first[2]
"""


def acquire_slot(redis: Any, key: str, places: int, hold_seconds: int, token: str, now: float) -> Verdict:
    """Takes one of `places` slots of `key` for at most `hold_seconds`; refused while all are held.

    `retry_after` is when the earliest holder's place falls free at the latest (it is usually given back
    much sooner, by `release_slot`)."""
    name = f"{PREFIX}slot:{key}"
    answer = redis.eval(_ACQUIRE, 1, name, now, places, now + hold_seconds, token, hold_seconds + 1)
    if int(float(answer)) == 0:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil(float(answer) - now)))


def release_slot(redis: Any, key: str, token: str) -> None:
    redis.zrem(f"{PREFIX}slot:{key}", token)


def spend(redis: Any, key: str, amount: int, budget: int, window_seconds: int, now: float) -> Verdict:
    """Fixed-window budget of `amount`s (bytes, say) rather than uses: the window's first spend is always
    allowed (whatever its size, up to the caller's own hard cap), later ones only while within `budget`."""
    slot = int(now // window_seconds)
    name = f"{PREFIX}{key}:{slot}"
    pipe = redis.pipeline()
    pipe.incrby(name, amount)
    pipe.expire(name, window_seconds + 1)
    total = int(pipe.execute()[0])
    if total - amount == 0 or total <= budget:
        return Verdict(True, 0)
    return Verdict(False, max(1, math.ceil((slot + 1) * window_seconds - now)))
