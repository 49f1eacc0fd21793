"""Users, their passwords and their roles in tenants: platform-level operations.

Passwords are stored only as werkzeug salted hashes. Sign-in answers the same way, and takes about the
same time, for an unknown user, a wrong password and a disabled account, so a login form cannot be used
to find out which usernames exist.
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
MIN_PASSWORD = 8
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
    check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Duplicate(f"a user named {username!r} already exists")
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), is_platform_operator=platform_operator)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", username, {"platform_operator": platform_operator})
    return user


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")


def set_password(session: Session, user: User, password: str, actor: str) -> None:
    check_password(password)
    user.password_hash = generate_password_hash(password)
    audit.record(session, actor, "user.set_password", "user", user.username)


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
