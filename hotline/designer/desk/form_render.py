"""HTML of a generated ticket form: the desk's create/edit pages and the studio's form preview share it.

The markup is built here in Python (escaped with markupsafe) rather than in a Jinja macro so the studio can
call `render_ticket_form` with nothing but a form document — no template lookup, no request needed. Field
errors are shown under their field, and the inputs carry what the agent typed (a bound form) or the
ticket's data, so a refused submission loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_request_context
from markupsafe import Markup

from ...platform.ticket_form_fields import FieldSpec
from ...platform.ticket_forms import TicketForm, field_values, form_class
from ..form_base import LocalizedTicketForm

__all__ = ["field_values", "render_fields", "render_ticket_form"]
from .. import i18n
from .counter import counter_html, field_counter_html
from .limits import field_limit_hint

Translate = Callable[[str], str]


def _translator() -> Translate:
    if not has_request_context():
        return lambda text: i18n.translate(text, "zh_CN")
    locale = i18n.current_locale()
    return lambda text: i18n.translate(text, locale)


def render_ticket_form(form_doc: dict, data: dict | None = None, errors: dict | None = None) -> Markup:
    """The fields of a form document as HTML, filled with `data` and showing `errors` ({field: [message]}).

    Without a <form> element or CSRF token: the caller wraps it (the desk in its form, the studio in a
    preview panel). Errors under "" are form-wide.
    """
    form = form_class(form_doc, base=LocalizedTicketForm)(data=data or {})
    for name, messages in (errors or {}).items():
        listed = [messages] if isinstance(messages, str) else list(messages)
        if name in form.field_names:
            form[name].errors = listed
        elif listed:
            form.form_errors_json = [*form.form_errors_json, *listed]
    return render_fields(form)


def render_fields(form: TicketForm, *, read_only: bool = False) -> Markup:
    """Every field of a (bound or filled) generated form, in the document's order."""
    _ = _translator()
    parts: list[Markup] = [Markup('<div class="ticket-form">')]
    if form.form_errors_json:
        parts.append(Markup('<div class="tf-form-errors" role="alert">{}</div>').format(
            Markup("<br>").join(_(m) for m in form.form_errors_json)))
    for spec in form.specs:
        parts.append(_field_html(form[spec.name], spec, read_only, _))
    parts.append(Markup("</div>"))
    return Markup("").join(parts)


def _counter(field: Any, read_only: bool, _: Translate) -> Markup:
    """A bounded text input says its limit and how much is used ("12/50 字"), updated as the agent types
    (static/desk/counter.js): the browser's maxlength cut input silently at the limit (QA of fix-labels item 5,
    the complainant field stopped at 50 characters without a word)."""
    return Markup("") if read_only else field_counter_html(field, _)


def _field_html(field: Any, spec: FieldSpec, read_only: bool, _: Translate) -> Markup:
    widget, required = spec.widget, spec.required
    if widget == "hidden":
        return Markup(field())
    attrs: dict[str, Any] = {"disabled": True} if read_only else {}
    hint, longest = field_limit_hint(spec, _)
    if getattr(field.flags, "maxlength", None):
        longest = None  # the field's own Length bound and counter
    if longest is not None:
        attrs["maxlength"] = longest
    classes = ["tf-field", f"tf-widget-{widget}"] + (["tf-has-error"] if field.errors else [])
    label = Markup('<label for="{}">{}{}</label>').format(
        field.id, field.label.text, Markup(' <span class="tf-req" title="{}">*</span>').format(_("required"))
        if required else "")
    control = Markup(field(**attrs))
    if widget == "checkbox":
        body = Markup('<div class="tf-check">{} {}</div>').format(control, label)
    else:
        body = label + control
    if widget in ("address", "directory"):
        body += Markup('<div class="tf-lookup" data-lookup-for="{}" hidden></div>').format(field.name)
    if field.description:
        body += Markup('<small class="tf-help">{}</small>').format(field.description)
    if hint and not read_only:
        body += Markup('<small class="tf-limit" id="{}-limit">{}</small>').format(field.id, hint)
    body += _counter(field, read_only, _)
    if longest is not None and not read_only:  # every maxlength says it (no silent cut): "11/11 字（上限）"
        body += counter_html(field.id, longest, field.data, _)
    if field.errors:
        body += Markup('<ul class="tf-errors" id="{}-errors">{}</ul>').format(
            field.id, Markup("").join(Markup("<li>{}</li>").format(_(str(m))) for m in field.errors))
    return Markup('<div class="{}" data-field="{}">{}</div>').format(" ".join(classes), field.name, body)
