"""Why an offer to an agent failed, and where the agent goes then.

The switch tells why a bridge to an agent failed by its hangup cause (FreeSWITCH's names, as recorded in
tests/fixtures/freeswitch-esl). The caller goes back to the head of its queue whatever the cause; the
agent's next state depends on it (RELEASE_NO_ANSWER in lua_calls.py):

=================  =============================================  ==========================================
outcome            causes                                         agent afterwards
=================  =============================================  ==========================================
not_registered     USER_NOT_REGISTERED, SUBSCRIBER_ABSENT         offline (reason not_registered): its phone
                                                                  is not there, offering it more calls would
                                                                  only bounce every caller
busy               USER_BUSY                                      a short break "busy", then available
rejected           CALL_REJECTED                                  available at the back of the line; after
                                                                  `reject_limit` rejects in a row a break
                                                                  "rejected" until the agent is ready again
no_answer          NO_ANSWER, NO_USER_RESPONSE, timeouts, none    a short break "no_answer", then available
unreachable        any other failure (gateway, network)           a break "unreachable", then available
=================  =============================================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OfferOutcome = Literal["not_registered", "busy", "rejected", "no_answer", "unreachable"]

_BY_CAUSE: dict[str, OfferOutcome] = {
    "USER_NOT_REGISTERED": "not_registered",
    "SUBSCRIBER_ABSENT": "not_registered",
    "USER_BUSY": "busy",
    "CALL_REJECTED": "rejected",
    "NO_ANSWER": "no_answer",
    "NO_USER_RESPONSE": "no_answer",
    "ALLOTTED_TIMEOUT": "no_answer",
    "PROGRESS_TIMEOUT": "no_answer",
    "RECOVERY_ON_TIMER_EXPIRE": "no_answer",
    "ORIGINATOR_CANCEL": "no_answer",
}


def offer_outcome(cause: str | None) -> OfferOutcome:
    """The outcome of an offer that failed with hangup `cause` (None or empty: nobody answered in time)."""
    if not cause:
        return "no_answer"
    return _BY_CAUSE.get(cause.strip().upper(), "unreachable")


def _default_pauses() -> dict[str, float]:
    return {"busy": 15.0, "no_answer": 30.0, "unreachable": 60.0}


@dataclass(frozen=True, slots=True)
class OfferPolicy:
    """Seconds of the break after each timed outcome (0: until the agent says otherwise), and how many
    rejects in a row put an agent on a "rejected" break."""

    pause_seconds: dict[str, float] = field(default_factory=_default_pauses)
    reject_limit: int = 3

    def __post_init__(self) -> None:
        if self.reject_limit < 1:
            raise ValueError(f"reject_limit must be >= 1 (got {self.reject_limit!r})")
        for outcome, seconds in self.pause_seconds.items():
            if seconds < 0:
                raise ValueError(f"pause for {outcome} must be >= 0 seconds (got {seconds!r})")

    def pause_for(self, outcome: OfferOutcome) -> float:
        return float(self.pause_seconds.get(outcome, 0.0))


DEFAULT_OFFER_POLICY = OfferPolicy()
