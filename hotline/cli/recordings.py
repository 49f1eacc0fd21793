"""`hotline recordings purge`: deletes recordings past each tenant's retention (cron it daily).

The files are in the folder shared with the switch ([switch] recordings); the call records stay, their
recording cleared, and each tenant's purge is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from sqlalchemy import select

from ..platform.models import Tenant
from ..platform.services import recording_stores, recordings
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
        store = recording_stores.store_for(obj.settings)
        done = recordings.purge_all(obj.db, tenants, store, datetime.now(UTC))
        for tenant_id, count in done.items():
            click.echo(f"{tenants[tenant_id]}: {count} recording(s) deleted")


@recordings_group.command("offload")
@click.option("--settle-seconds", type=click.FloatRange(0, 86400), default=recording_stores.SETTLE_SECONDS,
              show_default=True, help="Leave files changed more recently than this (the switch may be writing).")
@click.pass_obj
def offload(obj: CliContext, settle_seconds: float) -> None:
    """Move finished recordings from the switch's folder into the bucket ([recordings] store = "s3")."""
    with user_errors():
        store = recording_stores.store_for(obj.settings)
        if not isinstance(store, recording_stores.OffloadingStore):
            raise click.ClickException('recordings stay in the switch\'s folder: [recordings] store is "local"')
        moved = recording_stores.offload(obj.db, store, settle_seconds=settle_seconds)
        click.echo(f"{len(moved)} recording(s) moved to bucket {obj.settings.recordings_s3_bucket}")


recordings_commands = [recordings_group]
