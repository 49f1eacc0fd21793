"""The counter under a bounded text input: "12/50 字（上限）" / "12/50 characters at most".

One markup for every bounded input the agent types in (generated ticket fields, the ticket's notes, outbound
script answers, the pop's add-customer form): the browser's maxlength cut input silently at the limit (QA of
fix-labels item 5). static/desk/counter.js keeps the count live as the agent types; the pages register these
as the template globals `limit_counter` and `field_counter`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..i18n import current_locale, translate

Translate = Callable[[str], str]


def counter_html(control_id: str, most: int, value: Any, _: Translate, least: int = 0) -> Markup:
    """The counter of the control `control_id` (its maxlength is `most`), counting `value` as already typed; a
    minimum length (`least`) is said too ("0/2000 字，至少 5 字", QA fix-forms #1)."""
    used = len(value) if isinstance(value, str) else 0
    full = " tf-count-full" if used >= most else ""
    minimum = _(", at least {least}").format(least=least) if least > 0 else ""
    return Markup('<small class="tf-count{}" id="{}-count" data-count-for="{}" aria-live="polite">'
                  '<span data-count-used>{}</span>/{} {}{}</small>').format(
        full, control_id, control_id, used, most, _("characters at most"), minimum)


def field_limit(field: Any) -> int | None:
    """A WTForms field's maxlength (set by its Length validator), or None when it has none."""
    most = getattr(field.flags, "maxlength", None)
    if not isinstance(most, int) or isinstance(most, bool) or most <= 0:
        return None
    return most


def field_counter_html(field: Any, _: Translate) -> Markup:
    """The counter of a WTForms field with a maxlength; nothing for an unbounded field."""
    most = field_limit(field)
    if most is None:
        return Markup("")
    least = getattr(field.flags, "minlength", None)
    least = least if isinstance(least, int) and not isinstance(least, bool) else 0
    return counter_html(field.id, most, field.data, _, least)


def _request_translate(text: str) -> str:
    return translate(text, current_locale())


def limit_counter(control_id: str, most: int, value: Any = "") -> Markup:
    """Template global: the counter of a hand-written bounded control, in the request's language."""
    return counter_html(control_id, most, value, _request_translate)


def field_counter(field: Any) -> Markup:
    """Template global: the counter of a WTForms field (nothing when it has no maxlength)."""
    return field_counter_html(field, _request_translate)
