"""Users: creation, password hashing, sign-in that reveals nothing, roles per tenant."""

from __future__ import annotations

import uuid

import pytest

from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.services import users
from hotline.platform.services.errors import Duplicate

from .. import factories


def name() -> str:
    return f"u{uuid.uuid4().hex[:8]}"


def test_the_password_is_stored_only_as_a_salted_hash(db: Database) -> None:
    with db.platform() as session:
        first = users.create_user(session, name(), "same password", "test")
        second = users.create_user(session, name(), "same password", "test")
        assert "same password" not in first.password_hash
        assert first.password_hash != second.password_hash


def test_authenticate_accepts_only_the_right_password_of_an_active_user(db: Database) -> None:
    username = name()
    with db.platform() as session:
        user = users.create_user(session, username, "right password", "test")
        assert users.authenticate(session, username, "right password") is user
        assert users.authenticate(session, username, "wrong password") is None
        assert users.authenticate(session, "nobody-here", "right password") is None
        assert users.authenticate(session, "", "") is None
        user.active = False
        assert users.authenticate(session, username, "right password") is None


def test_a_user_without_a_password_cannot_sign_in(db: Database) -> None:
    with db.platform() as session:
        user = factories.user(session)  # built directly, no password set
        assert users.authenticate(session, user.username, "") is None


@pytest.mark.parametrize(("username", "password", "message"), [
    ("a", "long enough", "username"),
    ("has space", "long enough", "username"),
    ("ok_name", "short", "at least 10"),
    ("ok_name", "aaaabbbbaaaa", "4 different"),
])
def test_bad_usernames_and_short_passwords_are_refused(db: Database, username: str, password: str,
                                                       message: str) -> None:
    with pytest.raises(ValueError, match=message), db.platform() as session:
        users.create_user(session, username, password, "test")


def test_duplicate_usernames_are_refused(db: Database) -> None:
    username = name()
    with db.platform() as session:
        users.create_user(session, username, "long enough", "test")
    with pytest.raises(Duplicate), db.platform() as session:
        users.create_user(session, username, "long enough", "test")


def test_roles_are_granted_per_tenant_and_granting_twice_is_harmless(db: Database) -> None:
    with db.platform() as session:
        a, b = factories.tenant(session), factories.tenant(session)
        user = users.create_user(session, name(), "long enough", "test")
        users.grant(session, user, a, Role.ANALYST, "test")
        users.grant(session, user, a, Role.ANALYST, "test")
        users.grant(session, user, b, Role.AGENT, "test")
        access = {t.slug: t.roles for t in users.tenants_of(session, user)}
        assert access == {a.slug: {Role.ANALYST}, b.slug: {Role.AGENT}}
        with pytest.raises(ValueError, match="not a tenant role"):
            users.grant(session, user, a, Role.PLATFORM_OPERATOR, "test")


def test_the_platform_operator_may_work_in_every_active_tenant(db: Database) -> None:
    with db.platform() as session:
        active, closed = factories.tenant(session), factories.tenant(session)
        closed.active = False
        operator = users.create_user(session, name(), "long enough", "test", platform_operator=True)
        slugs = {t.slug for t in users.tenants_of(session, operator)}
        assert active.slug in slugs and closed.slug not in slugs


def test_set_password_replaces_the_old_one(db: Database) -> None:
    username = name()
    with db.platform() as session:
        user = users.create_user(session, username, "old password", "test")
        users.set_password(session, user, "new password", "test")
        assert users.authenticate(session, username, "old password") is None
        assert users.authenticate(session, username, "new password") is user
