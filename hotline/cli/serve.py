"""Starting the product: `hotline up` (everything on embedded defaults) and `hotline serve` (web only)."""

from __future__ import annotations

import click
from sqlalchemy import select

from ..platform import schema_migrations, secret_key
from ..platform.models import AgentSkill, Role, Skill
from ..platform.services import templates, ticket_desk, users
from ..platform.services.errors import NotFound
from ..platform.services.tenants import get_tenant
from ..platform.settings import SettingsError
from .context import CliContext

DEMO_TENANT = "demo"
DEMO_TEMPLATE = "express_delivery"
DEMO_DID = "4008001234"
#: The demo tenant's analyst/admin, so a fresh install can sign in; change it outside a demo.
DEMO_USER, DEMO_PASSWORD = "demo", "hotline-try-it"  # contains neither username (the password rules)
#: The demo tenant's agent, on the simulator's endpoint 1001 (it answers by itself after two seconds), so a
#: test call to the DID pops on this agent's desk once they choose "available".
DEMO_AGENT, DEMO_AGENT_EXTENSION = "agent", "1001"


def ensure_demo(obj: CliContext) -> str:
    """Creates the demo tenant from the express-delivery template unless it exists."""
    with obj.db.platform() as session:
        try:
            get_tenant(session, DEMO_TENANT)
            return f"demo tenant '{DEMO_TENANT}' already there"
        except NotFound:
            pass
        tenant = templates.clone(session, templates.load(DEMO_TEMPLATE), DEMO_TENANT, None, "system",
                                 dids=[DEMO_DID])
        user = users.create_user(session, DEMO_USER, DEMO_PASSWORD, "system", display_name="演示分析员")
        for role in (Role.TENANT_ADMIN, Role.ANALYST, Role.SUPERVISOR):
            users.grant(session, user, tenant, role, "system")
        agent = users.create_user(session, DEMO_AGENT, DEMO_PASSWORD, "system", display_name="演示座席")
        users.grant(session, agent, tenant, Role.AGENT, "system")
        ticket_desk.set_extension(session, agent.id, DEMO_AGENT_EXTENSION)
        skills = session.scalars(select(Skill.name).where(Skill.tenant_id == tenant.id)).all()
        session.add_all(AgentSkill(tenant_id=tenant.id, user_id=agent.id, skill=name, level=1) for name in skills)
    return (f"demo tenant '{DEMO_TENANT}' created from template {DEMO_TEMPLATE}, DID {DEMO_DID}; "
            f"sign in as {DEMO_USER} / {DEMO_PASSWORD} (designer, admin, wallboard) or "
            f"{DEMO_AGENT} / {DEMO_PASSWORD} (agent desk, extension {DEMO_AGENT_EXTENSION})")


@click.command("up")
@click.option("--no-serve", is_flag=True, help="Prepare the database and demo tenant, then exit.")
@click.pass_obj
def up(obj: CliContext, no_serve: bool) -> None:
    """Migrate the database, create the demo tenant, and start everything: web, runtime, simulator."""
    try:  # on localhost a key of its own (var/secret_key); elsewhere a real key or no start
        obj.settings = secret_key.for_embedded_demo(obj.settings)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    obj.db.use_secret_key(obj.settings.web_secret_key)  # provider secrets (platform/secret_box.py)
    schema_migrations.upgrade(obj.db)
    click.echo(f"database ready ({obj.db.dialect}, revision {schema_migrations.current(obj.db)})")
    click.echo(ensure_demo(obj))
    if no_serve:
        return
    from .stack import run_stack

    run_stack(obj, DEMO_TENANT)


@click.command("serve")
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn (debugging, benchmarks).")
@click.pass_obj
def serve(obj: CliContext, dev: bool) -> None:
    """Start the web application (gunicorn; workers, threads and timeouts from [web] in config.toml)."""
    try:  # never outside the demo with no, the published or a short secret key
        secret_key.require_strong(obj.settings.web_secret_key)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    _serve(obj, dev)


def _serve(obj: CliContext, dev: bool = False) -> None:
    from ..designer import create_app
    from .ports import listening

    s = obj.settings
    if dev:
        app = create_app(s, obj.db)
        click.echo(f"Hotline (development server) on http://{s.web_host}:{s.web_port}/")
        with listening("web", "port", s.web_host, s.web_port):
            app.run(host=s.web_host, port=s.web_port, debug=False, use_reloader=False, threaded=True)
        return
    from . import production_server

    click.echo(f"Hotline on http://{s.web_host}:{s.web_port}/ (gunicorn, {s.web_workers} workers × "
               f"{s.web_threads} threads)")

    def factory() -> object:
        # In the worker, after the fork: its own engine and Redis connections, wired as every command's
        # (publish events to the runtimes, ticket events to the dispatch jobs) — never the parent's sockets.
        worker = CliContext(str(obj.config_path) if obj.config_path else None)
        return create_app(worker.settings, worker.db)

    production_server.run(s, factory)


serve_commands = (up, serve)
