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


class LoginThrottle:
    """Exponential back-off per account and per address.

    After `failures` wrong passwords for one account, each further attempt must wait `base_seconds`,
    doubling with each failure (at most an hour); attempts while waiting are refused without checking the
    password. An address gets `address_factor` times the allowance, since a whole call center may sign
    in from behind one NAT address.
    """

    def __init__(self, redis: Any, failures: int, base_seconds: int, address_factor: int = 5,
                 namespace: str = "") -> None:
        self.redis, self.failures, self.base, self.namespace = redis, failures, base_seconds, namespace
        self.address_failures = failures * address_factor

    def _subjects(self, username: str, address: str) -> list[tuple[str, int]]:
        return [(_subject(self.namespace + "account", username.strip().lower()), self.failures),
                (_subject(self.namespace + "address", address), self.address_failures)]

    def wait(self, username: str, address: str, now: float) -> int:
        """Seconds the client must wait before this attempt is even checked (0: go ahead)."""
        waits = [0]
        for key, _ in self._subjects(username, address):
            until = self.redis.hget(key, "until")
            if until is not None and float(until) > now:
                waits.append(math.ceil(float(until) - now))
        return max(waits)

    def failed(self, username: str, address: str, now: float) -> None:
        for key, allowance in self._subjects(username, address):
            count = int(self.redis.hincrby(key, "count", 1))
            if count >= allowance:
                lock = min(self.base * 2 ** (count - allowance), MAX_LOCKOUT_SECONDS)
                self.redis.hset(key, "until", now + lock)
            self.redis.expire(key, FAILURE_MEMORY_SECONDS + MAX_LOCKOUT_SECONDS)

    def succeeded(self, username: str) -> None:
        """A right password clears the account's run (not the address's: one good account must not
        reset the count of an address guessing at others)."""
        self.redis.delete(_subject(self.namespace + "account", username.strip().lower()))
