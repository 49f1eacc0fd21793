"""Why an agent skips a previewed contact (跳过), apart from the dialer's refusals.

Both are stored as a `skipped` attempt whose disposition is a code, so a reader tells them apart by that code:
one of AGENT_SKIPS is the agent's choice, anything else a compliance rule's refusal. Progress, results and the
ended-contact table count and label them apart (QA 13a #1: an agent's skip read as "skipped by the rules").
"""

from __future__ import annotations

#: code -> (entry's next state, minutes until it is due again, words for logs).
SKIP_REASONS: dict[str, tuple[str, int, str]] = {
    "not_now": ("pending", 120, "not the right time to call (back in the list in 2 hours)"),
    "needs_preparation": ("pending", 24 * 60, "needs preparation first (back in the list tomorrow)"),
    "wrong_data": ("failed", 0, "the contact's data is wrong"),
    "duplicate": ("closed", 0, "a duplicate of another contact"),
}
AGENT_SKIPS = frozenset(SKIP_REASONS)


def is_agent_skip(outcome: str | None, disposition: str | None) -> bool:
    """True for an attempt the agent skipped in preview (not one a rule refused)."""
    return outcome == "skipped" and disposition in AGENT_SKIPS


def legacy_skip_code(closed_reason: str | None) -> str | None:
    """The skip code of an entry ended before its last outcome kept it ("skipped in preview: <words>"), else None."""
    for code, (_state, _minutes, words) in SKIP_REASONS.items():
        if closed_reason == f"skipped in preview: {words}":
            return code
    return None
