"""Sign-in, the current tenant and role checks — the one place the web layer decides who may do what.

The session cookie holds only a random token of a server-side session (sessions.py) that knows the user
id and the chosen tenant id. Everything else (is the user still active, which roles they hold in that
tenant) is read from the database on every request, so a revoked membership or a disabled account takes
effect at the next click, not at the next login; a logout, a password change, a deactivation or a removed
role also ends every session of the user. Sign-in attempts are throttled per account and per address.

Access to something of a tenant the user may not work in is answered 404, never 403: another tenant's
existence is not disclosed. 403 is only for a member of the current tenant who lacks the role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..platform.db import Database
from ..platform.models import Role, User
from ..platform.services import users
from ..platform.services.users import TenantAccess
from . import quotas, sessions
from .form_base import LocalizedForm

#: Reading documents: every tenant role but finance, who works on statements only and never sees the designer.
READ_DOCUMENTS = frozenset(r for r in users.TENANT_ROLES if r is not Role.FINANCE)
#: Changing documents (drafts, publish, rollback) is for analysts and tenant admins.
WRITE_DOCUMENTS = frozenset({Role.ANALYST, Role.TENANT_ADMIN})

F = TypeVar("F", bound=Callable[..., Any])


def database() -> Database:
    """The app's database (put there by the app factory; never a module global)."""
    return current_app.extensions["hotline.db"]


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, and in which tenant, as of this request."""

    user_id: int
    username: str
    display_name: str
    is_platform_operator: bool
    tenants: tuple[TenantAccess, ...]
    tenant: TenantAccess | None

    def may(self, roles: Iterable[Role]) -> bool:
        """Whether the user holds one of `roles` in the current tenant (the operator holds them all)."""
        if self.tenant is None:
            return False
        return self.is_platform_operator or bool(self.tenant.roles & frozenset(roles))

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "platform_operator": self.is_platform_operator,
            "tenant": _tenant_dict(self.tenant) if self.tenant else None,
            "tenants": [_tenant_dict(t) for t in self.tenants],
        }


def _tenant_dict(access: TenantAccess) -> dict[str, Any]:
    return {"slug": access.slug, "title": access.title, "roles": sorted(r.value for r in access.roles)}


def load_principal() -> None:
    """Before every request: rebuild the principal from the session cookie and the database."""
    g.principal = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    with database().platform() as db_session:
        user = db_session.get(User, user_id)
        if user is None or not user.active:
            session.clear()
            return
        tenants = tuple(users.tenants_of(db_session, user))
        current = next((t for t in tenants if t.tenant_id == session.get("tenant_id")), None)
        if current is None:
            session.pop("tenant_id", None)
        g.principal = Principal(user.id, user.username, user.display_name, user.is_platform_operator,
                                tenants, current)


def principal() -> Principal | None:
    return g.get("principal")


def require_user() -> Principal:
    """The signed-in principal, or 401 (the error handlers redirect pages to the login form)."""
    who = principal()
    if who is None:
        abort(401)
    return who


def require_tenant(roles: Iterable[Role] = READ_DOCUMENTS) -> Principal:
    """The principal working in a tenant with one of `roles`; 401 signed out, 403 no tenant chosen or no role."""
    who = require_user()
    if who.tenant is None:
        abort(403, "choose a tenant to work in first")
    if not who.may(roles):
        abort(403, "your role in this tenant does not allow this")
    return who


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require_user()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def check_password(username: str, password: str) -> tuple[User | None, list[TenantAccess]]:
    """The user and their tenants for a right password, else (None, []); raises SignInThrottled (429)
    while the account or the address is backing off after repeated failures — without checking."""
    throttle = quotas.login_throttle()
    address, moment = quotas.client_address(), sessions.now().timestamp()
    wait = throttle.wait(username, address, moment)
    if wait:
        raise quotas.SignInThrottled(wait)
    with database().platform() as db_session:
        user = users.authenticate(db_session, username, password)
        tenants = users.tenants_of(db_session, user) if user is not None else []
        db_session.expunge_all()
    if user is None:
        throttle.failed(username, address, moment)
    else:
        throttle.succeeded(username, address)
    return user, tenants


def sign_in(user: User, tenants: list[TenantAccess]) -> None:
    """Starts a fresh session for `user` (never reusing the pre-login one), in their only tenant if one."""
    lang = session.get("lang")
    sessions.end_current(session)  # type: ignore[arg-type]
    session.clear()
    # The CSRF token is cached per request; drop it so the new session gets a new one.
    g.pop("csrf_token", None)
    session.permanent = True
    session["user_id"] = user.id
    if lang:
        session["lang"] = lang
    if len(tenants) == 1:
        session["tenant_id"] = tenants[0].tenant_id


def sign_out() -> None:
    """Ends every session of the signed-in user (all browsers and devices), keeping the chosen language."""
    user_id = session.get("user_id")
    lang = session.get("lang")
    sessions.end_current(session)  # type: ignore[arg-type]
    if user_id is not None:
        sessions.end_all(user_id)
    session.clear()
    g.pop("csrf_token", None)
    if lang:
        session["lang"] = lang


def switch_tenant(slug: str) -> TenantAccess:
    """Makes `slug` the current tenant; 404 unless the user may work in it (whether or not it exists)."""
    who = require_user()
    access = next((t for t in who.tenants if t.slug == slug), None)
    if access is None:
        abort(404)
    session["tenant_id"] = access.tenant_id
    return access


def safe_next(target: str | None) -> str:
    """Only same-site paths: a `next` pointing elsewhere would make the login page an open redirect
    (and CR/LF in it a header injection): anything else goes to the overview."""
    from .request_input import same_site_path  # late: request_input imports the API, which imports auth

    path = same_site_path(target or "")
    if path and not urlsplit(path).netloc:
        return path
    return url_for("pages.overview")


class LoginForm(LocalizedForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])


def blueprint() -> Blueprint:
    bp = Blueprint("auth", __name__)
    bp.before_app_request(load_principal)

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> ResponseReturnValue:
        form = LoginForm()
        error = None
        if form.validate_on_submit():
            try:
                user, tenants = check_password(form.username.data or "", form.password.data or "")
            except quotas.SignInThrottled as exc:
                return (render_template("login.html", form=form, error=exc.description), 429,
                        {"Retry-After": str(exc.retry_after)})
            if user is not None:
                sign_in(user, tenants)
                if len(tenants) == 1:
                    return redirect(safe_next(request.args.get("next")))
                return redirect(url_for("auth.choose_tenant", next=request.args.get("next")))
            error = "Wrong username or password"
        status = 401 if error else 200
        return render_template("login.html", form=form, error=error), status

    @bp.post("/logout")
    def logout() -> ResponseReturnValue:
        sign_out()
        return redirect(url_for("auth.login"))

    @bp.route("/tenant", methods=["GET", "POST"])
    @login_required
    def choose_tenant() -> ResponseReturnValue:
        if request.method == "POST":
            switch_tenant(request.form.get("tenant", ""))
            return redirect(safe_next(request.args.get("next")))
        return render_template("choose_tenant.html", tenants=require_user().tenants)

    return bp
