"""`hotline recordings purge`: deletes recordings past each tenant's retention (cron it daily).

The files are in the folder shared with the switch ([switch] recordings); the call records stay, their
recording cleared, and each tenant's purge is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import select

from ..platform.models import Tenant
from ..platform.services import recordings
from .context import CliContext, user_errors


@click.group("recordings")
def recordings_group() -> None:
    """Call recordings on the shared storage."""


@recordings_group.command("purge")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.pass_obj
def purge(obj: CliContext, slug: str | None) -> None:
    """Delete recordings older than each tenant's retention days."""
    with user_errors():
        with obj.db.platform() as session:
            query = select(Tenant.id, Tenant.slug).order_by(Tenant.slug)
            if slug:
                query = query.where(Tenant.slug == slug)
            tenants = dict(session.execute(query).all())
        if slug and not tenants:
            raise click.ClickException(f"tenant {slug!r} not found")
        store = recordings.LocalStore(Path(obj.settings.switch_recordings))
        done = recordings.purge_all(obj.db, tenants, store, datetime.now(UTC))
        for tenant_id, count in done.items():
            click.echo(f"{tenants[tenant_id]}: {count} recording(s) deleted")


recordings_commands = [recordings_group]
