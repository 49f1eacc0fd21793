"""The ACD settings of a queue in the admin form: strategy by label, ageing, wrap-up and the overflow chain.

They used to be settable only in the database. The runtime reads a queue's settings from its row at every
call (runtime/call/queue_settings.py, nothing cached), so a change saved here applies to the next call without a
restart. The checks here mirror the model's own (models/tenancy.py) but answer as form errors naming the
field, in the admin's language, instead of a failed save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ...platform.models.tenancy import QUEUE_STRATEGIES

Label = Callable[[str], str]

#: What each strategy does, as people say it (the stored code is never shown).
STRATEGY_LABELS: dict[str, str] = {
    "longest_idle": "Longest idle agent first",
    "round_robin": "Round robin",
    "fewest_calls": "Fewest calls today first",
    "skills_levels": "Highest skill level first",
    "ring_all": "Ring all free agents",
}
assert set(STRATEGY_LABELS) == set(QUEUE_STRATEGIES), "every strategy needs a label"

#: Bounds a tenant admin may type (an hour of wrap-up or ageing per level is already more than any centre uses).
MAX_AGEING_SECONDS = 3600
MAX_WRAP_UP_SECONDS = 3600
MAX_OVERFLOW_SECONDS = 24 * 3600


def strategy_label(code: str | None, _: Label) -> str:
    return _(STRATEGY_LABELS.get(code or "", code or ""))


def acd_form_fields(_: Label, queue_labels: Callable[[], dict[str, str]]) -> dict[str, Any]:
    """The extra form fields; `queue_labels()` maps the tenant's queue names to their labels (the overflow
    choice shows the label, as people name the queue)."""

    class OverflowQueueField(SelectField):
        def pre_validate(self, form: Any) -> None:  # choices are built per request; validate_overflow checks
            pass

    return {
        "strategy": SelectField(_("Strategy"), choices=[(code, _(label)) for code, label in STRATEGY_LABELS.items()],
                                default="longest_idle", validators=[DataRequired()],
                                description=_("How a free agent is picked for the next call.")),
        "ageing_seconds": IntegerField(
            _("Ageing (seconds per priority level)"), default=60,
            validators=[Optional(), NumberRange(0, MAX_AGEING_SECONDS,
                                                     _("Enter a whole number of seconds from %(min)s to %(max)s."))],
            description=_("A waiting call gains one priority level per this many seconds; 0 = strict priorities.")),
        "wrap_up_seconds": IntegerField(
            _("Wrap-up (seconds)"),
            validators=[Optional(), NumberRange(0, MAX_WRAP_UP_SECONDS,
                                                _("Enter a whole number of seconds from %(min)s to %(max)s."))],
            description=_("After-call work before the agent gets the next call; empty = the platform default.")),
        "overflow_after_seconds": IntegerField(
            _("Overflow after (seconds)"),
            validators=[Optional(), NumberRange(1, MAX_OVERFLOW_SECONDS,
                                                _("Enter a whole number of seconds from %(min)s to %(max)s."))],
            description=_("A call waiting this long here moves to the overflow queue; empty = never.")),
        "overflow_queue": OverflowQueueField(_("Overflow queue"), choices=lambda: [("", _("None"))] + [
            (name, f"{label} ({name})" if label and label != name else name)
            for name, label in queue_labels().items()]),
    }


def check_overflow(form: Any, own_name: str | None, queue_names: list[str], _: Label) -> None:
    """Both overflow fields or neither; the overflow queue is another queue of this tenant."""
    after, target = form.overflow_after_seconds.data, form.overflow_queue.data or None
    if after and not target:
        raise ValidationError(_("Choose the overflow queue, or leave the overflow time empty."))
    if target and not after:
        raise ValidationError(_("Give the overflow time, or choose no overflow queue."))
    if target and target not in queue_names:
        raise ValidationError(_("The overflow queue must be one of this tenant's queues."))
    if target and own_name and target == own_name:
        raise ValidationError(_("A queue cannot overflow to itself."))
