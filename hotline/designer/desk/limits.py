"""A bounded ticket field says its bound in words under it (QA fix-forms #1).

Phone fields checked by a pattern, number fields with a range and text with a minimum length showed nothing
until the agent was refused. `field_limit_hint` words the usual patterns ("7–20 位数字", "11 位手机号") and
ranges ("范围 0.1–300") and gives a digits pattern its maxlength; an unusual pattern gets no hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...platform.ticket_form_fields import FieldSpec

Translate = Callable[[str], str]

_MOBILE = {"^1[3-9][0-9]{9}$", r"^1[3-9]\d{9}$"}
_DIGITS = re.compile(r"^\^(\\\+\?)?(?:\[0-9\]|\\d)\{(\d+)(?:,(\d+))?\}\$$")


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def pattern_hint(pattern: str, _: Translate) -> tuple[str, int | None]:
    """The words for a phone/digits pattern and the maxlength it implies; ("", None) when not one of those."""
    if pattern in _MOBILE:
        return _("11-digit mobile number"), 11
    match = _DIGITS.match(pattern)
    if not match:
        return "", None
    plus, least, most = bool(match.group(1)), match.group(2), match.group(3)
    if most is None:
        text = _("{count} digits").format(count=least)
        longest = int(least)
    else:
        text = _("{least}–{most} digits").format(least=least, most=most)
        longest = int(most)
    if plus:
        text += _(", an optional leading +")
        longest += 1
    return text, longest


def range_hint(schema: dict[str, Any], _: Translate) -> str:
    """"范围 0.1–300" / "不小于 0" for a number field with a minimum and/or maximum."""
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return _("Between {low} and {high}").format(low=_number(low), high=_number(high))
    if low is not None:
        return _("At least {low}").format(low=_number(low))
    if high is not None:
        return _("At most {high}").format(high=_number(high))
    return ""


def field_limit_hint(spec: FieldSpec, _: Translate) -> tuple[str, int | None]:
    """The bound of one field in words, and a maxlength to set on its control (None: leave it)."""
    kind = spec.schema.get("type")
    if kind in ("integer", "number"):
        return range_hint(spec.schema, _), None
    if kind == "string" and spec.schema.get("pattern") and spec.widget not in ("select", "radio"):
        return pattern_hint(str(spec.schema["pattern"]), _)
    return "", None
