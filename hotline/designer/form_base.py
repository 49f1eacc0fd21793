"""One base for every WTForms form of the designer: WTForms' own messages in the request's language.

QA fix-forms #2: a Chinese page showed "Field cannot be longer than 200 characters." WTForms ships its
catalogues (wtforms.i18n, https://wtforms.readthedocs.io/en/3.1.x/i18n/); `LocalizedMeta.get_translations` picks
the one of the reader's language per request (English outside a request), cached per language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import has_request_context
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.i18n import get_translations

from ..platform.ticket_forms import TicketForm
from .i18n import current_locale

#: The designer's language → WTForms' shipped catalogue ("字段长度不能超过 200 个字符。").
WTFORMS_LANGUAGES: dict[str, list[str]] = {"zh_CN": ["zh"], "en": ["en"]}


@cache
def wtforms_translations(locale: str) -> Any:
    """WTForms' catalogue for a designer locale (Chinese for an unknown one, the product's default)."""
    return get_translations(WTFORMS_LANGUAGES.get(locale, ["zh"]))


def form_locale() -> str:
    """The language of WTForms' messages now: the request's, else English (CLI, tests without a request)."""
    return current_locale() if has_request_context() else "en"


class LocalizedMeta:
    """Meta mixin: translations of the request's language, whatever `locales` the form was built with."""

    def get_translations(self, form: Any) -> Any:
        return wtforms_translations(form_locale())


class LocalizedForm(FlaskForm):
    """Base of the designer's CSRF-protected forms."""

    class Meta(LocalizedMeta, FlaskForm.Meta):
        pass


class LocalizedPlainForm(Form):
    """Base of the designer's forms without CSRF (desk pop, parts of larger forms)."""

    class Meta(LocalizedMeta, Form.Meta):
        pass


class LocalizedTicketForm(TicketForm):
    """Base of the generated ticket forms the desk and the studio show (the platform's TicketForm knows no request)."""

    class Meta(LocalizedMeta, TicketForm.Meta):
        pass
