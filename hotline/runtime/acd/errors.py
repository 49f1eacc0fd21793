"""Errors of the ACD API; each says which invariant a request would have broken."""

from __future__ import annotations


class AcdError(Exception):
    """Base of the ACD's refusals."""


class UnknownAgent(AcdError):
    """The agent never logged in (there is no presence to change)."""


class AgentBusy(AcdError):
    """The agent is ringing or on a call: only the call path (answer, no-answer, end) or going offline
    may move it, so an agent in a call is never put back in an idle set while the call still holds it."""


class NotOffered(AcdError):
    """The call is not currently offered to that agent (it was answered, released or abandoned)."""


class WrongQueue(AcdError):
    """The call already waits in another queue; it must leave that queue first (timeout or cancel)."""
