"""Agent and call states and break reasons are codes (`wrap_up`, `on_call`, `no_answer`); readers get words in
either language. Chinese comes from the string table; the table passes English keys through, so English
readers saw the codes themselves on the desk and in the shell (issue 16, item 6). The wallboard's English
words are the ones used everywhere."""

from __future__ import annotations

from .i18n import current_locale, translate
from .wallboard.strings import ENGLISH_REASONS, ENGLISH_STATES

#: Call states the desk shows, beyond the agent states the wallboard names.
ENGLISH_CALL_STATES = {"talking": "Talking", "held": "On hold", "ended": "Ended", "idle": "Idle"}
ENGLISH = {**ENGLISH_STATES, **ENGLISH_REASONS, **ENGLISH_CALL_STATES}


def state_label(code: str, locale: str | None = None) -> str:
    """The words for a state or reason code in `locale` (the request's when omitted); other text translated."""
    locale = locale or current_locale()
    if locale == "en" and code in ENGLISH:
        return ENGLISH[code]
    return translate(code, locale)
