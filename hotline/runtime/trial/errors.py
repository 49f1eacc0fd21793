"""The refusals of interactive test calls, apart from the session module so the web app can map them to
status codes without importing the runtime (and the ESL stack) until a test call is actually started."""

from __future__ import annotations

from ...platform.services.errors import ServiceError


class TestCallError(ServiceError):
    """A refusal the API answers with 400 (bad input) unless a subclass says otherwise."""

    __test__ = False  # not a pytest test class, whatever its name says


class TooManyTestCalls(TestCallError):
    """A user (or the process) already has as many live test calls as allowed.

    `retry_after` (seconds) is when the first of the calls that count will have ended on its own (they hang
    up after the manager's idle time): the API's 429 carries it as Retry-After, as every 429 must."""

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class CallEnded(TestCallError):
    """Digits for a call that has already ended."""
