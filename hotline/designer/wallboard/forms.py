"""The thresholds form: an amber and a red level per figure, checked one by one and then as a pair.

Fields are text, parsed here, so a bad entry gets our own words (in the page's language) and keeps what was
typed; the pair rules (amber below red, or above it for the service level) come from the platform's
thresholds module, the same rules `save` enforces.
"""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import StringField
from wtforms.validators import Length

from ...platform.wallboard import thresholds as th
from ..form_base import LocalizedForm


class ThresholdForm(LocalizedForm):
    """Fields amber_<metric> and red_<metric> for every metric (added below)."""

    def fill(self, stored: Mapping[str, th.Levels]) -> None:
        for metric, levels in stored.items():
            getattr(self, f"amber_{metric}").data = _show(levels.amber)
            getattr(self, f"red_{metric}").data = _show(levels.red)

    def levels(self) -> tuple[dict[str, th.Levels], dict[str, list[str]]]:
        """The levels typed, and the problems per metric (English i18n keys); save only without problems."""
        result: dict[str, th.Levels] = {}
        problems: dict[str, list[str]] = {}
        for metric in th.METRICS:
            found: list[str] = []
            amber = _number(getattr(self, f"amber_{metric}").data, found)
            red = _number(getattr(self, f"red_{metric}").data, found)
            if not found:
                found = th.check(metric, amber, red)
            if found:
                problems[metric] = list(dict.fromkeys(found))
            result[metric] = th.Levels(amber, red)
        return result, problems


def _show(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _number(text: str | None, problems: list[str]) -> float | None:
    text = (text or "").strip().rstrip("%sS秒 ")  # "80%" and "30s" mean the number
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append("Not a number.")
        return None
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
        problems.append("Not a number.")
        return None
    return value


for _metric in th.METRICS:
    setattr(ThresholdForm, f"amber_{_metric}", StringField(validators=[Length(max=20)]))
    setattr(ThresholdForm, f"red_{_metric}", StringField(validators=[Length(max=20)]))
