"""The signed-in user's own pages: change the password, answer invitations; and the tenant admin's invite.

`/account/password` asks for the current password and checks the new one against the same rules as
everywhere (services/users.py); on success every session of the user ends — this browser gets a fresh one.
`/account/invitations` lists the roles tenants offered this user, to accept or decline.
`/tenant/invite` lets a tenant admin invite by username; the answer is the same whether or not the
name exists, so the page cannot be used to probe the platform's accounts.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..platform.models import Role, Tenant, User
from ..platform.services import invitations, users
from ..platform.services.errors import NotFound
from . import tenant_settings_page
from .auth import database, login_required, require_tenant, require_user, sign_in
from .form_base import LocalizedForm
from .i18n import extend

STRINGS = {
    "Change password": {"zh_CN": "修改密码"},
    "Current password": {"zh_CN": "当前密码"},
    "New password": {"zh_CN": "新密码"},
    "New password again": {"zh_CN": "再次输入新密码"},
    "The two new passwords differ.": {"zh_CN": "两次输入的新密码不一致。"},
    "Fill in all three fields.": {"zh_CN": "请填写全部三项。"},
    "the current password is not right": {"zh_CN": "当前密码不正确"},
    "the new password must differ from the current one": {"zh_CN": "新密码不能与当前密码相同"},
    f"a password needs at least {users.MIN_PASSWORD} characters":
        {"zh_CN": f"密码至少需要 {users.MIN_PASSWORD} 个字符"},
    "a password needs at least 4 different characters": {"zh_CN": "密码至少需要 4 个不同的字符"},
    "a password must not contain the username": {"zh_CN": "密码不能包含用户名"},
    "this password is among the most common ones; choose another": {"zh_CN": "该密码过于常见，请另选一个"},
    f"At least {users.MIN_PASSWORD} characters": {"zh_CN": f"至少 {users.MIN_PASSWORD} 个字符"},
    "At least 4 different characters": {"zh_CN": "至少 4 个不同的字符"},
    "Not containing your username": {"zh_CN": "不包含用户名"},
    "Not one of the most common passwords": {"zh_CN": "不是常见密码"},
    "Your password was changed; every other session of yours has been signed out.":
        {"zh_CN": "密码已修改；您在其他地方的登录均已退出。"},
    "Invitations": {"zh_CN": "邀请"},
    "Invited by": {"zh_CN": "邀请人"},
    "Accept": {"zh_CN": "接受"},
    "Decline": {"zh_CN": "拒绝"},
    "Invitation declined.": {"zh_CN": "已拒绝邀请。"},
    "No pending invitations.": {"zh_CN": "没有待处理的邀请。"},
    "Invite a user": {"zh_CN": "邀请用户"},
    "Invite": {"zh_CN": "邀请"},
    "If this user exists, they will find the invitation on their invitations page; the role is theirs once they "
    "accept.": {"zh_CN": "如果该用户存在，他会在“邀请”页面看到这条邀请；接受后即获得该角色。"},
}

INVITE_ROLES = frozenset({Role.TENANT_ADMIN})


class PasswordForm(LocalizedForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=users.MAX_PASSWORD)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=users.MAX_PASSWORD)])
    confirm = PasswordField("New password again", validators=[DataRequired(), Length(max=users.MAX_PASSWORD)])


class InviteForm(LocalizedForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    role = SelectField("Role", choices=[(r.value, r.value) for r in users.TENANT_ROLES])


def change_password() -> ResponseReturnValue:
    who = require_user()
    form = PasswordForm()
    errors: list[str] = []
    if form.validate_on_submit():
        if form.new.data != form.confirm.data:
            errors.append("The two new passwords differ.")
        else:
            tenant_id = session.get("tenant_id")
            try:
                with database().platform() as db_session:
                    user = db_session.get(User, who.user_id)
                    assert user is not None
                    users.change_own_password(db_session, user, form.current.data or "", form.new.data or "")
            except ValueError as exc:
                errors.extend(str(exc).split("; "))
            else:
                # Every session of the user ended with the change (this one too): start a fresh one here.
                with database().platform() as db_session:
                    user = db_session.get(User, who.user_id)
                    assert user is not None
                    sign_in(user, users.tenants_of(db_session, user))
                if tenant_id is not None:
                    session["tenant_id"] = tenant_id
                flash("Your password was changed; every other session of yours has been signed out.")
                return redirect(url_for("account.change_password"))
    elif request.method == "POST":
        errors.append("Fill in all three fields.")
    status = 422 if errors else 200
    return render_template("account_password.html", form=form, errors=errors, rules=_rules()), status


def _rules() -> list[str]:
    return [f"At least {users.MIN_PASSWORD} characters", "At least 4 different characters",
            "Not containing your username", "Not one of the most common passwords"]


def list_invitations() -> ResponseReturnValue:
    who = require_user()
    with database().platform() as db_session:
        pending = invitations.pending_for(db_session, who.user_id)
    return render_template("account_invitations.html", pending=pending)


def answer_invitation(invitation_id: int, answer: str) -> ResponseReturnValue:
    who = require_user()
    try:
        with database().platform() as db_session:
            user = db_session.get(User, who.user_id)
            assert user is not None
            if answer == "accept":
                tenant: Tenant = invitations.accept(db_session, user, invitation_id)
                flash(f"You joined {tenant.title}.")
            else:
                invitations.decline(db_session, user, invitation_id)
                flash("Invitation declined.")
    except NotFound:
        abort(404)
    return redirect(url_for("account.list_invitations"))


def invite() -> ResponseReturnValue:
    who = require_tenant(INVITE_ROLES)
    assert who.tenant is not None
    form = InviteForm()
    if form.validate_on_submit():
        with database().platform() as db_session:
            tenant = db_session.get(Tenant, who.tenant.tenant_id)
            assert tenant is not None
            invitations.invite(db_session, tenant, form.username.data or "", Role(form.role.data), who.username)
        # The same words whatever happened: whether the name exists is not this tenant's business.
        flash("If this user exists, they will find the invitation on their invitations page; "
              "the role is theirs once they accept.")
        return redirect(url_for("account.invite"))
    return render_template("tenant_invite.html", form=form, roles=users.TENANT_ROLES)


def blueprint() -> Blueprint:
    extend(STRINGS)
    bp = Blueprint("account", __name__)
    bp.add_url_rule("/account/password", "change_password", login_required(change_password),
                    methods=["GET", "POST"])
    bp.add_url_rule("/account/invitations", "list_invitations", login_required(list_invitations))
    bp.add_url_rule("/account/invitations/<int:invitation_id>/<any(accept, decline):answer>", "answer_invitation",
                    login_required(answer_invitation), methods=["POST"])
    bp.add_url_rule("/tenant/invite", "invite", invite, methods=["GET", "POST"])
    extend(tenant_settings_page.STRINGS)
    bp.add_url_rule("/tenant/settings", "tenant_settings", tenant_settings_page.settings_page,
                    methods=["GET", "POST"])
    return bp
