"""The platform operator's views: tenants, users, dialled numbers (DIDs) and the industry templates.

They work through an unscoped session: these rows are the platform's, not a tenant's. Passwords go
through the users service (salted hash, audited); the hash itself is never shown nor editable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask_admin import expose
from sqlalchemy import select
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ...platform import phones, tenant_settings
from ...platform.models import DID, Tenant, User
from ...platform.services import templates, users
from ...platform.services.errors import NotFound
from ...platform.services.tenants import SLUG
from .. import auth
from .base import Label, Labelled, PlatformModelView, PlatformView


def platform_views(session: Any, _: Label) -> list[Any]:
    category = _("Platform")
    return [
        TenantView(Tenant, session, _, name=_("Tenants"), category=category, endpoint="tenant"),
        UserView(User, session, _, name=_("Users"), category=category, endpoint="user"),
        DIDView(DID, session, _, name=_("DIDs"), category=category, endpoint="did"),
        TemplatesView(_, name=_("Templates"), category=category, endpoint="templates"),
    ]


def _actor() -> str:
    who = auth.principal()
    return who.username if who is not None else "admin"


class LabelledPlatformView(Labelled, PlatformModelView):
    def unique(self, column: Any, message: str, normalize: Callable[[str], str] = str) -> Callable[..., None]:
        """A validator: no other row has this value in `column` (a clear form error, not a database error)."""

        def check(_form: Any, field: Any) -> None:
            query = self.session.query(self.model.id).filter(column == normalize(field.data or ""))
            editing = getattr(self, "_editing_id", None)
            if editing is not None:
                query = query.filter(self.model.id != editing)
            if query.first() is not None:
                raise ValidationError(str(message))  # a lazy label: its words now, in this request's language

        return check

    def edit_form(self, obj: Any = None) -> Any:
        self._editing_id = obj.id if obj is not None else None
        return super().edit_form(obj)

    def create_form(self, obj: Any = None) -> Any:
        self._editing_id = None
        return super().create_form(obj)


class TenantView(LabelledPlatformView):
    # Deleting a tenant would cascade to everything it owns: deactivate it instead.
    can_delete = False
    column_list = ("slug", "title", "template", "active", "shared_agent_cap", "created_at")
    form_columns = ("slug", "title", "template", "settings", "active", "shared_agent_cap")
    column_searchable_list = ("slug", "title")
    column_filters = ("active", "template")
    labels: ClassVar[dict[str, Any]] = {
        "slug": "Slug", "title": "Title", "template": "Template", "settings": "Settings", "active": "Active",
        "created_at": "Created at", "shared_agent_cap": "Cap on shared agents",
    }

    def configure(self, _: Label) -> None:
        # The cap protects the other tenants of shared agents, so the operator sets it, not the tenant.
        self.form_args = {"slug": {"validators": [DataRequired(), Regexp(SLUG.pattern + "$"),
                                                  self.unique(Tenant.slug, _("This name is already taken."))]},
                          "shared_agent_cap": {"validators": [Optional(), NumberRange(
                              0, 10_000, _("Enter a whole number from %(min)s to %(max)s, or leave it empty."))],
                              "description": _("How many shared agents may hold this tenant's calls at once; "
                                               "empty = no cap.")},
                          "settings": {"validators": [self._settings_check],
                                       "description": _("Keys left out are kept; set a key to null to remove it.")}}
        self._settings_error = _("Settings not saved")
        # The template's title, not its code (fix-navs item 3: the list showed `express_delivery`).
        self.column_formatters = {"template": lambda _v, _c, model, _n: template_title(model.template)}
        self.column_formatters_detail = self.column_formatters

    def _settings_check(self, _form: Any, field: Any) -> None:
        """Refuses bad settings by JSON path and merges the edit into the stored settings (never drops keys)."""
        submitted = field.data if field.data is not None else {}
        old: dict[str, Any] = {}
        editing = getattr(self, "_editing_id", None)
        if editing is not None and isinstance(submitted, dict):
            row = self.session.get(Tenant, editing)
            old = dict(row.settings or {}) if row is not None else {}
        merged = tenant_settings.merge(old, submitted) if isinstance(submitted, dict) else submitted
        found = tenant_settings.problem_parts(merged)
        if found:  # each reason in the reader's language (QA of issue 11, item 3)
            reasons = "; ".join(f"{path} {self._(template) % {k: self._(v) for k, v in values.items()}}"
                                for path, template, values in found)
            raise ValidationError(f"{self._settings_error}: {reasons}")
        field.data = merged


def template_title(name: str | None) -> str:
    """A template's title for the tenant list; a name no longer on disk is shown as stored, empty stays empty."""
    if not name:
        return ""
    if name not in templates.available():
        return name
    return templates.load(name).title


class UserView(LabelledPlatformView):
    can_delete = False  # deactivate instead: the audit trail keeps naming the user
    column_list = ("username", "display_name", "is_platform_operator", "active", "created_at")
    column_details_list = column_list
    column_exclude_list = ("password_hash",)
    form_excluded_columns = ("password_hash", "memberships")
    form_columns = ("username", "display_name", "is_platform_operator", "active", "password")
    column_searchable_list = ("username", "display_name")
    column_filters = ("is_platform_operator", "active")
    labels: ClassVar[dict[str, Any]] = {
        "username": "Username", "display_name": "Display name", "is_platform_operator": "Platform operator",
        "active": "Active", "created_at": "Created at",
    }

    def configure(self, _: Label) -> None:
        self.form_extra_fields = {
            "password": PasswordField(_("New password"), description=_("Leave empty to keep the current password."),
                                      validators=[Optional(), Length(min=users.MIN_PASSWORD, max=256)]),
        }
        self.form_args = {"username": {"validators": [
            DataRequired(), Regexp(users.USERNAME.pattern + "$"),
            self.unique(User.username, _("This name is already taken."))]}}

    def on_model_change(self, form: Any, model: User, is_created: bool) -> None:
        password = form.password.data
        # populate_obj copied the form's `password` onto the model as a plain attribute; never keep it.
        model.__dict__.pop("password", None)
        if is_created and not password:
            raise ValueError(self._("A new user needs a password."))
        if password:
            users.set_password(self.session.current(), model, password, _actor())


class DIDView(LabelledPlatformView):
    column_list = ("number", "tenant_id", "label", "ivr")
    form_columns = ("number", "tenant_id", "label", "ivr")
    column_searchable_list = ("number", "label")
    labels: ClassVar[dict[str, Any]] = {"number": "Number", "tenant_id": "Tenant", "label": "Label", "ivr": "IVR"}

    def configure(self, _: Label) -> None:
        self.form_args = {"number": {"validators": [
            DataRequired(), self._phone_number,
            self.unique(DID.number, _("This number is already assigned."), self._normalized)]}}
        self.form_extra_fields = {"tenant_id": SelectField(_("Tenant"), coerce=int, choices=self._tenant_choices,
                                                           validators=[InputRequired()])}
        self.column_formatters = {"tenant_id": self._tenant_slug}
        self.column_formatters_detail = self.column_formatters

    @staticmethod
    def _normalized(raw: str) -> str:
        try:
            return phones.normalize(raw)
        except ValueError:
            return raw

    @staticmethod
    def _phone_number(_form: Any, field: Any) -> None:
        try:
            field.data = phones.normalize(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def _tenant_choices(self) -> list[tuple[int, str]]:
        return [(t.id, f"{t.title} ({t.slug})") for t in self.session.scalars(select(Tenant).order_by(Tenant.slug))]

    def _tenant_slug(self, _view: Any, _context: Any, model: DID, _name: str) -> str:
        tenant = self.session.get(Tenant, model.tenant_id)
        return tenant.slug if tenant is not None else str(model.tenant_id)


class TemplatesView(PlatformView):
    """The industry templates tenants are cloned from (files under tenant_templates/): read-only."""

    def __init__(self, _: Label, **kwargs: Any) -> None:
        self._ = _
        super().__init__(**kwargs)

    def create_blueprint(self, admin: Any) -> Any:
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = "templates"
        blueprint.root_path = __file__.rsplit("/", 1)[0]
        return blueprint

    @expose("/")
    def index(self) -> Any:
        rows = []
        for name in templates.available():
            try:
                manifest = templates.load(name).manifest
            except (NotFound, ValueError):
                continue
            rows.append({"name": name, "title": manifest.get("title", name),
                         "description": manifest.get("description", "")})
        return self.render("hotline_admin/templates.html", rows=rows, _=self._)
