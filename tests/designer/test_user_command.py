"""`hotline user create|grant`: users who can then sign in to the designer with the roles given."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli import main
from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.services import users


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("users") / "users.sqlite3"
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{path}", "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    assert invoke("init-db").exit_code == 0
    assert invoke("tenant", "create", "acme", "--template", "express_delivery").exit_code == 0
    invoke.db = Database(f"sqlite:///{path}")  # type: ignore[attr-defined]
    yield invoke
    invoke.db.dispose()  # type: ignore[attr-defined]


def test_a_tenant_user_is_created_with_roles_and_can_sign_in(cli) -> None:
    result = cli("user", "create", "lily", "--tenant", "acme", "--role", "analyst", "--role", "qa",
                 "--password-stdin", stdin="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert "analyst in acme" in result.output
    with cli.db.platform() as session:
        user = users.authenticate(session, "lily", "s3cret-pass")
        assert user is not None and not user.is_platform_operator
        [access] = users.tenants_of(session, user)
        assert (access.slug, access.roles) == ("acme", frozenset({Role.ANALYST, Role.QA}))


def test_a_platform_operator_is_created(cli) -> None:
    result = cli("user", "create", "root", "--platform-operator", "--password-stdin", stdin="operator-pass\n")
    assert result.exit_code == 0, result.output
    with cli.db.platform() as session:
        user = users.authenticate(session, "root", "operator-pass")
        assert user is not None and user.is_platform_operator


def test_grant_adds_a_role_to_an_existing_user(cli) -> None:
    cli("user", "create", "sam", "--tenant", "acme", "--role", "agent", "--password-stdin", stdin="agent-pass\n")
    assert cli("user", "grant", "sam", "--tenant", "acme", "--role", "supervisor").exit_code == 0
    with cli.db.platform() as session:
        [access] = users.tenants_of(session, users.get_user(session, "sam"))
        assert access.roles == {Role.AGENT, Role.SUPERVISOR}


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["dora", "--password-stdin"], "long-enough\n", "--platform-operator"),
    (["dora", "--role", "analyst", "--password-stdin"], "long-enough\n", "--role needs --tenant"),
    (["dora", "--tenant", "acme", "--role", "analyst", "--password-stdin"], "short\n", "at least 10"),
    (["dora", "--tenant", "nowhere", "--role", "analyst", "--password-stdin"], "long-enough\n", "not found"),
    (["bad name", "--platform-operator", "--password-stdin"], "long-enough\n", "username"),
    (["lily", "--platform-operator", "--password-stdin"], "long-enough\n", "already exists"),
])
def test_bad_input_gets_a_clear_error_and_creates_nothing(cli, args: list[str], stdin: str, message: str) -> None:
    cli("user", "create", "lily", "--tenant", "acme", "--role", "analyst", "--password-stdin", stdin="s3cret-pass\n")
    result = cli("user", "create", *args, stdin=stdin)
    assert result.exit_code != 0
    assert message in result.output
    with cli.db.platform() as session:
        assert users.authenticate(session, "dora", "long-enough") is None


def test_passwd_sets_a_new_password_from_stdin_and_refuses_a_weak_one(cli) -> None:
    cli("user", "create", "pat", "--tenant", "acme", "--role", "agent", "--password-stdin", stdin="first-pass-1\n")
    result = cli("user", "passwd", "pat", "--password-stdin", stdin="second-pass-2\n")
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    with cli.db.platform() as session:
        assert users.authenticate(session, "pat", "second-pass-2") is not None
        assert users.authenticate(session, "pat", "first-pass-1") is None
    weak = cli("user", "passwd", "pat", "--password-stdin", stdin="short\n")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    unknown = cli("user", "passwd", "nobody-here", "--password-stdin", stdin="second-pass-2\n")
    assert unknown.exit_code == 1 and "not found" in unknown.output


def test_passwd_prompts_twice_without_echo(cli) -> None:
    cli("user", "create", "quinn", "--tenant", "acme", "--role", "agent", "--password-stdin", stdin="first-pass-1\n")
    result = cli("user", "passwd", "quinn", stdin="typed-pass-99\ntyped-pass-99\n")
    assert result.exit_code == 0, result.output
    assert "typed-pass-99" not in result.output
    with cli.db.platform() as session:
        assert users.authenticate(session, "quinn", "typed-pass-99") is not None
