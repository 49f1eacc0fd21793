"""Users, their passwords and their roles in tenants: platform-level operations.

Passwords are stored only as werkzeug salted hashes. Sign-in answers the same way, and takes about the
same time, for an unknown user, a wrong password and a disabled account, so a login form cannot be used
to find out which usernames exist. A new password, a deactivation or a revoked role ends every web session
of the user (models/web_sessions.py does it in the same transaction, whoever makes the change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import Membership, Role, Tenant, User
from . import audit
from .errors import Duplicate, NotFound

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 256
#: Passwords so common that a throttled guesser would still try them first.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "1q2w3e4r5t", "qwertyuiop", "password123", "password1234",
    "passw0rd123", "abc1234567", "aaaaaaaaaa", "iloveyou123", "woaini1314", "5201314520", "1234qwer!@",
    "qwerty1234", "admin12345", "administrator", "hotline123", "changeme123",
})
#: Compared against when the user does not exist, so that path costs one hash check like the others.
_DUMMY_HASH = generate_password_hash("not a real password")
#: Roles held inside a tenant; the platform operator is a flag on the user, not a membership.
TENANT_ROLES = tuple(r for r in Role if r is not Role.PLATFORM_OPERATOR)


@dataclass(frozen=True, slots=True)
class TenantAccess:
    """One tenant a user may work in, and the roles they hold there."""

    tenant_id: int
    slug: str
    title: str
    roles: frozenset[Role]


def create_user(session: Session, username: str, password: str, actor: str, display_name: str | None = None,
                platform_operator: bool = False) -> User:
    """Creates a user who can sign in. Roles in tenants are granted separately (`grant`)."""
    if not USERNAME.fullmatch(username or ""):
        raise ValueError(f"username {username!r} must be 2–64 letters, digits, '_', '.', '@' or '-', "
                         "starting with a letter or digit")
    # Without the username rule: accounts made by the operator or the demo set-up may keep a given password;
    # every later change (own page, admin, `hotline user passwd`) goes through all rules (set_password).
    check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Duplicate(f"a user named {username!r} already exists")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), is_platform_operator=platform_operator)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", username, {"platform_operator": platform_operator})
    return user


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with `password` as a new password (empty when it is acceptable)."""
    password = password or ""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        problems.append(f"a password has at most {MAX_PASSWORD} characters")
    if "\x00" in password:
        problems.append("a password must not contain NUL characters")
    if len(set(password)) < 4 and password:
        problems.append("a password needs at least 4 different characters")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("this password is among the most common ones; choose another")
    if username and username.lower() in password.lower():
        problems.append("a password must not contain the username")
    return problems


def check_password(password: str, username: str = "") -> None:
    problems = password_problems(password, username)
    if problems:
        raise ValueError("; ".join(problems))


def set_password(session: Session, user: User, password: str, actor: str) -> None:
    """Sets a new password; every web session of the user ends (models/web_sessions.py)."""
    check_password(password, user.username)
    user.password_hash = generate_password_hash(password)
    audit.record(session, actor, "user.set_password", "user", user.username)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """The signed-in user's own change: the current password must be right (a session left open on a
    shared desk must not be enough to take the account over)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise ValueError("the current password is not right")
    if current == new:
        raise ValueError("the new password must differ from the current one")
    set_password(session, user, new, user.username)


def deactivate(session: Session, user: User, actor: str) -> None:
    """The user can no longer sign in; their sessions end at once."""
    user.active = False
    audit.record(session, actor, "user.deactivate", "user", user.username)


def revoke(session: Session, user: User, tenant: Tenant, role: Role, actor: str) -> bool:
    """Takes a role away (and with it every session of the user); False when they did not hold it."""
    membership = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.tenant_id == tenant.id, Membership.role == Role(role)))
    if membership is None:
        return False
    session.delete(membership)
    session.flush()
    audit.record(session, actor, "user.revoke", "user", user.username, {"role": Role(role).value},
                 tenant_id=tenant.id)
    return True


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


def grant(session: Session, user: User, tenant: Tenant, role: Role, actor: str) -> Membership:
    """Gives a user a role in a tenant; granting a role they already hold is a no-op."""
    role = Role(role)
    if role is Role.PLATFORM_OPERATOR:
        raise ValueError("platform operator is not a tenant role; create the user with platform_operator")
    existing = session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.tenant_id == tenant.id, Membership.role == role))
    if existing is not None:
        return existing
    membership = Membership(user_id=user.id, tenant_id=tenant.id, role=role)
    session.add(membership)
    session.flush()
    audit.record(session, actor, "user.grant", "user", user.username, {"role": role.value}, tenant_id=tenant.id)
    return membership


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (whichever of the three was wrong)."""
    user = session.scalar(select(User).where(User.username == username)) if username else None
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    matches = check_password_hash(stored, password or "")
    if user is None or not user.active or not user.password_hash or not matches:
        return None
    return user


def tenants_of(session: Session, user: User) -> list[TenantAccess]:
    """The tenants a user may work in, by slug. The platform operator may work in every active tenant."""
    roles: dict[int, set[Role]] = {}
    for membership in session.scalars(select(Membership).where(Membership.user_id == user.id)):
        roles.setdefault(membership.tenant_id, set()).add(Role(membership.role))
    query = select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.slug)
    if not user.is_platform_operator:
        query = query.where(Tenant.id.in_(roles))
    return [TenantAccess(t.id, t.slug, t.title, frozenset(roles.get(t.id, ()))) for t in session.scalars(query)]
