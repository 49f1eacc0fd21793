"""Tenant admin: message providers (SMS gateway, SMTP) with a "send test" page, and knowledge-base synonyms.

Both views derive from `TenantModelView` (base.py), which does the tenant scoping; saving goes through the
services (message_providers, kb_synonyms), so the admin validates exactly as the code does and each field's
problem is shown in words. A provider's secret (the gateway's auth header value, the SMTP password) is
write-only here: the list and the form show it masked, and leaving the field empty keeps it.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.template import EndpointLinkRowAction
from wtforms import IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...platform import phones
from ...platform.models import KbSynonym, MessageProvider, Notification
from ...platform.services import kb_synonyms, message_providers
from ...platform.services.errors import InvalidDocument
from .. import auth
from .base import Label, Labelled, TenantModelView, list_formatter

#: Form fields kept in `settings`, per channel.
SMS_SETTINGS = ("gateway_url", "method", "content_type", "body_template", "auth_header", "timeout_seconds")
EMAIL_SETTINGS = ("host", "port", "tls", "user", "sender", "timeout_seconds")
#: Form field → its key in `settings`, where they differ. The gateway's URL is stored as "url", but a form
#: field named `url` is Flask-Admin's return address: saving redirected the admin to the gateway (QA 10.6).
SETTING_OF_FIELD = {"gateway_url": "url"}
FIELD_OF_SETTING = {setting: name for name, setting in SETTING_OF_FIELD.items()}
DEFAULT_BODY = '{"mobile": "{{to}}", "content": "{{text}}"}'


#: "DeliveryError: " and the like: the class name the delivery log keeps in front of the reason.
_ERROR_CLASS = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Timeout|Refused)\w*: ")


def readable_error(text: str | None) -> str:
    """The reason a delivery failed, without the exception class the log keeps for operators (the send-test
    message read '测试消息发送失败: DeliveryError: …': issue 11 QA, item 3)."""
    reason = (text or "").strip()
    while (found := _ERROR_CLASS.match(reason)) is not None:
        reason = reason[found.end():]
    return reason


def provider_views(session: Any, _: Label) -> list[TenantModelView]:
    category = _("Tenant")
    return [MessageProviderView(MessageProvider, session, _, name=_("Message providers"), category=category,
                                endpoint="message_provider"),
            KbSynonymView(KbSynonym, session, _, name=_("Knowledge-base synonyms"), category=category,
                          endpoint="kb_synonym")]


def _actor() -> str:
    who = auth.principal()
    return who.username if who is not None else "admin"


#: An e-mail address as a send test takes it: one @, no spaces, a dot in the domain.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _reachable(channel: str, to: str) -> bool:
    """Whether a test message on `channel` can reach `to`: SMS only to a mobile, e-mail only to an address."""
    return phones.is_mobile(to) if channel == "sms" else bool(_EMAIL.fullmatch(to))


def _flash_findings(error: InvalidDocument, _: Label) -> None:
    for finding in error.findings:
        where = finding.pointer.rsplit("/", 1)[-1] or _("Provider")
        where = "Gateway URL" if where == "url" else where
        # the reason in the page's language too (QA of issue 11, item 5): fixed reasons are in labels.py
        flash(f"{_(where)}: {_(finding.message)}", "error")


class MessageProviderView(Labelled, TenantModelView):
    column_list = ("name", "channel", "active", "settings", "secret")
    column_details_list = column_list
    form_columns = ("name", "channel", "active", "gateway_url", "method", "content_type", "body_template",
                    "auth_header", "host", "port", "tls", "user", "sender", "timeout_seconds", "secret")
    labels: ClassVar[dict[str, Any]] = {"name": "Name", "channel": "Channel", "active": "Active",
                                        "settings": "Settings", "secret": "Secret"}
    details_template = "admin/model/details.html"

    def configure(self, _: Label) -> None:
        channels = [("sms", _("SMS")), ("email", _("E-mail"))]
        self.form_overrides = {"channel": SelectField}
        self.form_args = {"channel": {"choices": channels, "validators": [DataRequired()]},
                          "name": {"validators": [DataRequired(), Length(max=32)]}}
        self.form_extra_fields = {
            "gateway_url": StringField(_("Gateway URL"), [Optional(), Length(max=500)],
                               description=_("SMS: may contain {{to}} and {{text}}")),
            "method": SelectField(_("Method"), choices=[(m, m) for m in message_providers.METHODS]),
            "content_type": SelectField(_("Content type"),
                                        choices=[(c, c) for c in message_providers.CONTENT_TYPES]),
            "body_template": TextAreaField(_("Body template"), [Optional()], default=DEFAULT_BODY,
                                           description=_("{{to}}, {{text}}, {{subject}}, {{id}}; each value is "
                                                         "escaped for the content type")),
            "auth_header": StringField(_("Auth header name"), [Optional(), Length(max=64)],
                                       description=_("e.g. Authorization; its value is the secret")),
            "host": StringField(_("SMTP host"), [Optional(), Length(max=255)]),
            "port": IntegerField(_("SMTP port"), [Optional()], default=587),
            "tls": SelectField(_("TLS"), choices=[("starttls", "STARTTLS"), ("ssl", _("Implicit TLS")),
                                                  ("none", _("None"))]),
            "user": StringField(_("SMTP user"), [Optional(), Length(max=200)]),
            "sender": StringField(_("Sender address"), [Optional(), Length(max=200)]),
            "timeout_seconds": IntegerField(_("Timeout (seconds)"), [Optional()], default=10),
            "secret": PasswordField(_("Secret"), [Optional(), Length(max=2000)],
                                    description=_("Auth header value or SMTP password; leave empty to keep it")),
        }
        channel_label = dict(channels)
        self.column_formatters = {
            "channel": lambda _v, _c, m, _n: channel_label.get(m.channel, m.channel),
            "secret": lambda _v, _c, m, _n: self._(message_providers.masked(m.secret)) if m.secret else "",
            "settings": lambda _v, _c, m, _n: (m.settings or {}).get("url") or
            f"{(m.settings or {}).get('host', '')}:{(m.settings or {}).get('port', '')}",
        }
        self.column_formatters_detail = self.column_formatters
        self.column_extra_row_actions = [EndpointLinkRowAction("fa fa-paper-plane", ".send_test", _("Send test"))]

    def on_form_prefill(self, form: Any, id: Any) -> None:  # noqa: A002 - Flask-Admin's signature
        row = self.get_one(id)
        for key, value in (row.settings or {}).items():
            key = FIELD_OF_SETTING.get(key, key)
            if key in form and key != "secret":
                form[key].data = value
        if row.secret:  # never the value, not even masked: only that one is stored
            form.secret.description = f"{self._(message_providers.SECRET_SET)} — {form.secret.description}"

    def _settings(self, form: Any) -> dict[str, Any]:
        keys = SMS_SETTINGS if form.channel.data == "sms" else EMAIL_SETTINGS
        return {SETTING_OF_FIELD.get(k, k): form[k].data for k in keys if form[k].data not in (None, "")}

    def _save(self, form: Any, provider_id: int | None) -> MessageProvider | None:
        try:
            return message_providers.save(self.session, name=(form.name.data or "").strip(),
                                          channel=form.channel.data, settings=self._settings(form),
                                          secret=form.secret.data or None, active=bool(form.active.data),
                                          actor=_actor(), provider_id=provider_id)
        except InvalidDocument as exc:
            self.session.rollback()
            _flash_findings(exc, self._)
            return None

    def create_model(self, form: Any) -> Any:
        row = self._save(form, None)
        if row is None:
            return False
        self.session.commit()
        return row

    def update_model(self, form: Any, model: Any) -> bool:
        if self._save(form, model.id) is None:
            return False
        self.session.commit()
        return True

    @expose("/send-test/", methods=("GET", "POST"))
    def send_test(self) -> Any:
        row = self.get_one(request.args.get("id"))
        sent: Notification | None = None
        if request.method == "POST":
            to = (request.form.get("to") or "").strip()[:200]
            if not to:
                flash(self._("Enter a recipient"), "error")
            elif not _reachable(row.channel, to):
                # checked before the gateway is asked (QA of issue 11, item 7: "abc", a landline and
                # "not-an-email" were sent on); nothing is sent nor logged
                flash(self._("An SMS goes to a mobile number (e.g. 13800138000)") if row.channel == "sms"
                      else self._("An e-mail goes to an address such as name@example.com"), "error")
            else:
                sent = message_providers.send_test(self.session, row.id, to, _actor())
                self.session.commit()
                if sent.status == "sent":
                    flash(self._("Test message sent"), "success")
                else:
                    flash(f"{self._('Test message failed')}: {readable_error(sent.last_error)}", "error")
                return redirect(url_for(".send_test", id=row.id))
        return self.render("hotline_admin/send_test.html", provider=row, sent=sent,
                           channel_label=self._("SMS") if row.channel == "sms" else self._("E-mail"), _=self._)

    def create_blueprint(self, admin: Any) -> Any:
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = "templates"
        blueprint.root_path = __file__.rsplit("/", 1)[0]
        return blueprint


class KbSynonymView(Labelled, TenantModelView):
    """What callers say → what the articles say; a search for the word also finds the alternatives."""

    column_list = ("term", "alternatives")
    column_searchable_list = ("term",)
    form_columns = ("term", "words")
    labels: ClassVar[dict[str, Any]] = {"term": "Callers say", "alternatives": "Articles say"}
    column_formatters: ClassVar[dict[str, Any]] = {"alternatives": list_formatter}

    def configure(self, _: Label) -> None:
        self.form_args = {"term": {"validators": [DataRequired(), Length(max=50)]}}
        self.form_extra_fields = {
            "words": StringField(_("Articles say"), [DataRequired()],
                                 description=_("Separate with commas or 、")),
        }

    def on_form_prefill(self, form: Any, id: Any) -> None:  # noqa: A002 - Flask-Admin's signature
        form.words.data = "、".join(self.get_one(id).alternatives or [])

    def _save(self, form: Any, model: KbSynonym | None) -> KbSynonym | None:
        try:
            if model is not None and model.term != (form.term.data or "").strip():
                kb_synonyms.delete(self.session, model.term, _actor())
            return kb_synonyms.save(self.session, form.term.data or "", form.words.data or "", _actor())
        except InvalidDocument as exc:
            self.session.rollback()
            _flash_findings(exc, self._)
            return None

    def create_model(self, form: Any) -> Any:
        row = self._save(form, None)
        if row is None:
            return False
        self.session.commit()
        return row

    def update_model(self, form: Any, model: Any) -> bool:
        if self._save(form, model) is None:
            return False
        self.session.commit()
        return True
