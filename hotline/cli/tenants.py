"""Commands for the platform operator: database, tenants, templates, DIDs."""

from __future__ import annotations

import click

from ..platform import schema_migrations
from ..platform.services import templates
from ..platform.services.tenants import assign_did, get_tenant, list_tenants
from .context import CliContext, user_errors


@click.command("init-db")
@click.pass_obj
def init_db(obj: CliContext) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    schema_migrations.upgrade(obj.db)
    click.echo(f"database at revision {schema_migrations.current(obj.db)} ({obj.db.dialect})")


@click.group("tenant")
def tenant() -> None:
    """Tenants."""


@tenant.command("create")
@click.argument("slug")
@click.option("--template", "template_name", required=True, help="Industry template to clone.")
@click.option("--title", help="Display name (default: the template's title).")
@click.option("--did", "dids", multiple=True, help="Dialled number to route to the tenant (repeatable).")
@click.pass_obj
def tenant_create(obj: CliContext, slug: str, template_name: str, title: str | None, dids: tuple[str, ...]) -> None:
    """Create a tenant by cloning an industry template (documents are published)."""
    with user_errors():
        template = templates.load(template_name)
        with obj.db.platform() as session:
            created = templates.clone(session, template, slug, title, obj.actor, dids=list(dids))
            click.echo(f"tenant {created.slug} created from template {template.name} "
                       f"({len(template.documents)} documents published)")


@tenant.command("list")
@click.pass_obj
def tenant_list(obj: CliContext) -> None:
    """List tenants."""
    with obj.db.platform() as session:
        for t in list_tenants(session):
            click.echo(f"{t.slug}\t{t.title}\t{t.template or '-'}")


@tenant.command("changes")
@click.argument("slug")
@click.pass_obj
def tenant_changes(obj: CliContext, slug: str) -> None:
    """What a tenant changed against its template."""
    with user_errors(), obj.tenant_session(slug) as session:
        for item in templates.changes_against_template(session, templates.template_of(session)):
            click.echo(f"{item['status']:9} {item['kind']}/{item['name']}")
            for change in item["changes"]:
                click.echo(f"          {change}")


@click.command("templates")
def templates_list() -> None:
    """List the industry templates."""
    for name in templates.available():
        template = templates.load(name)
        click.echo(f"{name}\t{template.title}")


@click.group("did")
def did() -> None:
    """Dialled numbers."""


@did.command("assign")
@click.argument("slug")
@click.argument("number")
@click.option("--ivr", default="main", show_default=True, help="IVR document the number runs.")
@click.pass_obj
def did_assign(obj: CliContext, slug: str, number: str, ivr: str) -> None:
    """Route a dialled number to a tenant."""
    with user_errors(), obj.db.platform() as session:
        assign_did(session, get_tenant(session, slug), number, obj.actor, ivr=ivr)
        click.echo(f"DID {number} → {slug} ({ivr})")


tenant_commands = (init_db, tenant, templates_list, did)
