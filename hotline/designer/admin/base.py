"""Who may use the administration, and the two base views every admin view derives from.

Access: signed out → the login page; signed in without the role → 403 (the designer's rule: 403 for a
member lacking the role). Platform views are for the platform operator; tenant views for a tenant admin
of the current tenant (or the operator working in it). A row of another tenant is answered 404, as if
it did not exist — whatever the URL (list, details, edit, delete).

Tenant scoping lives here and only here (docs/decisions.md): `TenantModelView` narrows `get_query`,
`get_count_query` AND `get_one` to the current tenant, sets the tenant on new rows, and offers
`tenant_query` for relationship choices and filter options. Its session is also tenant-scoped
(../../platform/scoping.py), so a query forgotten here is still filtered — two locks, not one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from flask import abort, flash, has_request_context, request
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_admin.theme import Bootstrap4Theme
from markupsafe import Markup
from sqlalchemy import func
from sqlalchemy.orm import Query
from wtforms import StringField

from ...platform.models import Role
from .. import auth
from .times import ZonedTimesMixin

#: Flask-Admin's own Bootstrap 4 assets, served from /admin/static — no CDN (the default swatch only).
THEME = Bootstrap4Theme(swatch="default", fluid=True)
TENANT_ADMIN = frozenset({Role.TENANT_ADMIN})


def is_operator() -> bool:
    who = auth.principal()
    return who is not None and who.is_platform_operator


def is_tenant_admin() -> bool:
    """A tenant admin of the current tenant, or the operator working inside a tenant."""
    who = auth.principal()
    return who is not None and who.may(TENANT_ADMIN)


def current_tenant_id() -> int:
    """The tenant the signed-in user works in; only called once a view found them a tenant admin."""
    who = auth.principal()
    if who is None or who.tenant is None:
        abort(404)
    return who.tenant.tenant_id


def refuse() -> None:
    """Signed out → 401 (the app's error handler redirects to the login form); otherwise 403."""
    auth.require_user()
    abort(403)


Label = Callable[[str], str]


class Labelled:
    """Takes the label function before Flask-Admin scaffolds the forms (labels must exist by then)."""

    labels: ClassVar[dict[str, Any]] = {}

    def __init__(self, model: type, session: Any, _: Label, **kwargs: Any) -> None:
        # At request time (validators, flashes) a label's words now: a lazy label is no `str`, and Flask-Admin's
        # templates show only string errors (`if e is string`).
        self._ = lambda text: str(_(text))
        self.column_labels = {column: _(text) for column, text in self.labels.items()}
        self.configure(_)
        super().__init__(model, session, **kwargs)  # type: ignore[call-arg]

    def configure(self, _: Label) -> None:
        """Per-view form arguments that need the label function or the view itself."""


class AccessMixin:
    """Shared by every admin view: `allowed()` says who may use it."""

    def allowed(self) -> bool:
        raise NotImplementedError

    def is_accessible(self) -> bool:
        return self.allowed()

    def is_visible(self) -> bool:
        return self.allowed()

    def inaccessible_callback(self, name: Any, **kwargs: Any) -> Any:
        refuse()


class TenantView(AccessMixin, BaseView):
    """A tenant admin's page that is not a model list (extensions, data tables): the label function taken once,
    access for the tenant admin of the current tenant only, templates from this folder. The rows it shows come
    through the request's tenant-scoped session (`self.session`), so they are the current tenant's."""

    def __init__(self, session: Any, _: Label, **kwargs: Any) -> None:
        self.session, self._ = session, lambda text: str(_(text))  # words now, in the request's language
        super().__init__(**kwargs)

    def allowed(self) -> bool:
        return is_tenant_admin()

    def create_blueprint(self, admin: Any) -> Any:
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = "templates"
        blueprint.root_path = __file__.rsplit("/", 1)[0]
        return blueprint


class IndexView(AccessMixin, AdminIndexView):
    def allowed(self) -> bool:
        return is_operator() or is_tenant_admin()


class PlatformView(AccessMixin, BaseView):
    def allowed(self) -> bool:
        return is_operator()


INT64_MAX = 2**63 - 1


def _filter_value_ok(flt: Any, value: str) -> bool:
    """Whether a list filter's value can reach the database: PostgreSQL refuses a text value against an
    integer column, an enum name that does not exist raised KeyError, and ids beyond bigint overflow."""
    try:
        cleaned = flt.clean(value)
    except (KeyError, ValueError, TypeError, LookupError):
        return False
    column = getattr(flt, "column", None)
    try:
        wants_int = column is not None and column.type.python_type is int
    except (AttributeError, NotImplementedError):
        wants_int = False
    for item in cleaned if isinstance(cleaned, list | tuple) else [cleaned]:
        if wants_int and isinstance(item, str):
            if not item.strip().lstrip("+-").isdigit():
                return False
            item = int(item)
        if isinstance(item, int) and not isinstance(item, bool) and abs(item) > INT64_MAX:
            return False
    return True


def whole_ids(ids: Any) -> list[int]:
    """The row ids of a bulk action as integers (psycopg binds the form's strings as VARCHAR, and
    PostgreSQL has no integer = varchar); anything else names no row."""
    found = []
    for raw in ids or ():
        text = str(raw).strip()
        if text.isdigit() and int(text) <= INT64_MAX:
            found.append(int(text))
    return found


class PostgresSafeMixin:
    """Flask-Admin's bulk delete and typed list filters, made to work on PostgreSQL (issue 10: both 500)."""

    @action("delete", lazy_gettext("Delete"), lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids: Any) -> Any:
        return super().action_delete(whole_ids(ids))  # type: ignore[misc]

    def _get_list_filter_args(self) -> Any:
        # Flask-Admin's own loop (model/base.py), with a check of each value that also catches what its
        # validate() lets through or raises on (an unknown enum name raised KeyError).
        if not self._filters:  # type: ignore[attr-defined]
            return None
        chosen = []
        for arg in request.args:
            if not arg.startswith("flt") or "_" not in arg:
                continue
            pos, key = arg[3:].split("_", 1)
            if key not in self._filter_args:  # type: ignore[attr-defined]
                continue
            idx, flt = self._filter_args[key]  # type: ignore[attr-defined]
            value = request.args[arg]
            if _filter_value_ok(flt, value) and flt.validate(value):
                chosen.append((pos, (idx, str(flt.name), value)))
            else:
                flash(self.get_invalid_value_msg(value, flt), "error")  # type: ignore[attr-defined]
        return [entry for _pos, entry in sorted(chosen, key=lambda n: n[0])]


def yes_no(view: Any, value: Any, _name: str) -> Markup:
    """A yes/no column in the page's language, as a word: Flask-Admin's bool formatter gave list pages an icon
    titled "active: true" (a column code) and details pages "True" (admin review, item 4)."""
    label = view._ if hasattr(view, "_") else str
    word = label("Yes") if value else label("No")
    mark = "fa-check-circle" if value else "fa-minus-circle"
    return Markup('<span class="fa {}" aria-hidden="true"></span> {}').format(mark, word)


#: Flask-Admin's type formatters with yes_no for booleans, on lists and details pages alike.
TYPE_FORMATTERS = {**typefmt.BASE_FORMATTERS, bool: yes_no}
DETAIL_TYPE_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, bool: yes_no}


class PlatformModelView(ZonedTimesMixin, PostgresSafeMixin, AccessMixin, ModelView):
    """Platform-wide rows (tenants, users, DIDs), for the operator only, through an unscoped session; times in
    each row's tenant's zone (times.py)."""

    zone_per_row = True
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = DETAIL_TYPE_FORMATTERS

    def allowed(self) -> bool:
        return is_operator()

    def get_one(self, pk: Any) -> Any:
        found = super().get_one(pk)
        if found is None:
            abort(404)
        return found


class TenantModelView(ZonedTimesMixin, PostgresSafeMixin, AccessMixin, ModelView):
    """THE tenant-scoped base view: every query, every row fetched by id, every new row is the current tenant's."""

    can_view_details = True
    page_size = 50
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = DETAIL_TYPE_FORMATTERS

    def allowed(self) -> bool:
        return is_tenant_admin()

    def tenant_query(self, model: type) -> Query[Any]:
        """Rows of `model` in the current tenant — for relationship choices and filter options."""
        return self.session.query(model).filter(model.tenant_id == current_tenant_id())

    def tenant_options(self, model: type, label: str = "label") -> list[tuple[str, str]]:
        """Filter options listing the current tenant's rows; none while the app is built (no request yet)."""
        if not has_request_context():
            return []
        return [(str(row.id), getattr(row, label)) for row in self.tenant_query(model).order_by(model.id)]

    def _get_filter_groups(self) -> Any:
        # Flask-Admin computes filter options once, at start-up; ours list tenant rows, so per request.
        self._refresh_filters_cache()
        return super()._get_filter_groups()

    def get_query(self) -> Query[Any]:
        return super().get_query().filter(self.model.tenant_id == current_tenant_id())

    def get_count_query(self) -> Query[Any]:
        return self.session.query(func.count("*")).select_from(self.model).filter(
            self.model.tenant_id == current_tenant_id())

    def get_one(self, pk: Any) -> Any:
        # Through get_query, never session.get(): an id of another tenant is simply not found → 404.
        try:
            key = int(pk)
        except (TypeError, ValueError):
            abort(404)
        found = self.get_query().filter(self.model.id == key).one_or_none()
        if found is None:
            abort(404)
        return found

    def on_model_change(self, form: Any, model: Any, is_created: bool) -> None:
        tenant_id = current_tenant_id()
        if is_created:
            model.tenant_id = tenant_id
        elif model.tenant_id != tenant_id:  # get_one already refuses this; a last check before writing
            abort(404)


# --- fields and formatters shared by the views ---

LIST_SEPARATORS = re.compile(r"[,，、;；\n]")


class ListField(StringField):
    """A JSON list of short strings edited as one line: "望京、酒仙桥, 798" → ["望京", "酒仙桥", "798"]."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = [part.strip() for part in LIST_SEPARATORS.split(raw or "") if part.strip()]

    def _value(self) -> str:
        return "、".join(str(item) for item in self.data or [])


def list_formatter(_view: Any, _context: Any, model: Any, name: str) -> str:
    return "、".join(str(item) for item in getattr(model, name) or [])


__all__ = ["THEME", "IndexView", "ListField", "PlatformModelView", "PlatformView", "TenantModelView",
           "current_tenant_id", "expose", "list_formatter"]
