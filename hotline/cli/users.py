"""Commands for users: create one (with a role in a tenant, or as platform operator), grant roles, set a password.

Passwords are read from stdin (`--password-stdin`, for scripts) or prompted without echo, never taken as
an argument, where they would end up in the shell history and the process list.
"""

from __future__ import annotations

import sys

import click

from ..platform.models import Role
from ..platform.services import users
from ..platform.services.tenants import get_tenant
from .context import CliContext, user_errors

ROLE = click.Choice([r.value for r in users.TENANT_ROLES])


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("user")
def user() -> None:
    """Users who sign in to the web designer."""


@user.command("create")
@click.argument("username")
@click.option("--tenant", "slug", help="Tenant in which to grant --role.")
@click.option("--role", "roles", multiple=True, type=ROLE, help="Role in the tenant (repeatable).")
@click.option("--platform-operator", is_flag=True, help="May work in every tenant and administer the platform.")
@click.option("--display-name", help="Name shown in the UI (default: the username).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.pass_obj
def user_create(obj: CliContext, username: str, slug: str | None, roles: tuple[str, ...], platform_operator: bool,
                display_name: str | None, password_stdin: bool) -> None:
    """Create a user with roles in one tenant, or a platform operator."""
    if roles and not slug:
        raise click.UsageError("--role needs --tenant")
    if slug and not roles:
        raise click.UsageError("--tenant needs at least one --role")
    if not roles and not platform_operator:
        raise click.UsageError("give --tenant and --role, or --platform-operator: a user without either can do nothing")
    password = _read_password(password_stdin)
    with user_errors(), obj.db.platform() as session:
        tenant = get_tenant(session, slug) if slug else None
        created = users.create_user(session, username, password, obj.actor, display_name=display_name,
                                    platform_operator=platform_operator)
        for role in roles:
            assert tenant is not None
            users.grant(session, created, tenant, Role(role), obj.actor)
        what = ["platform operator"] if platform_operator else []
        what += [f"{role} in {slug}" for role in roles]
        click.echo(f"user {username} created ({', '.join(what)})")


@user.command("grant")
@click.argument("username")
@click.option("--tenant", "slug", required=True, help="Tenant.")
@click.option("--role", "roles", multiple=True, required=True, type=ROLE, help="Role (repeatable).")
@click.pass_obj
def user_grant(obj: CliContext, username: str, slug: str, roles: tuple[str, ...]) -> None:
    """Give an existing user roles in a tenant."""
    with user_errors(), obj.db.platform() as session:
        tenant = get_tenant(session, slug)
        found = users.get_user(session, username)
        for role in roles:
            users.grant(session, found, tenant, Role(role), obj.actor)
        click.echo(f"user {username}: {', '.join(roles)} in {slug}")


@user.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@click.pass_obj
def user_passwd(obj: CliContext, username: str, password_stdin: bool) -> None:
    """Set a user's password; every web session of the user ends."""
    password = _read_password(password_stdin)
    with user_errors(), obj.db.platform() as session:
        found = users.get_user(session, username)
        users.set_password(session, found, password, obj.actor)
    click.echo(f"password of {username} changed; their web sessions have ended")


user_commands = (user,)
