"""Retry outcomes by their labels in the reader's language (占线 / Busy), for the retry rules' help and errors.

The help names outcomes by label and a rule may be typed with one (QA of fix-labels item 3), so the errors about
a rule name them the same way — never busy, no_answer, machine (fix-counters item 2). The labels are the
campaign pages' `outcome.<code>` strings (campaigns/strings.py); a disposition code of the script has no label
and reads as typed.
"""

from __future__ import annotations

from ...platform.outbound.campaigns import RETRY_OUTCOMES
from ..i18n import translate


def outcome_label(code: str, locale: str) -> str:
    """The outcome's label in `locale`; a code without one (a disposition code) as it is."""
    key = f"outcome.{code}"
    label = translate(key, locale)
    return code if label == key else label


def outcome_labels(locale: str) -> str:
    """The retry outcomes' labels joined in `locale`'s way: "占线、无人接听…" / "Busy, No answer, …"."""
    return ("、" if locale == "zh_CN" else ", ").join(outcome_label(code, locale) for code in RETRY_OUTCOMES)


def example_rule(locale: str) -> str:
    """A rule as the help writes it: "占线 30 3" / "Busy 30 3"."""
    return f"{outcome_label('busy', locale)} 30 3"
