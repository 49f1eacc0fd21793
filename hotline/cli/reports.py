"""`hotline reports rebuild`: recomputes the report interval rows of a range from the raw records."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import click
from sqlalchemy import select

from ..platform.models import Tenant
from ..platform.reports import intervals
from ..platform.wallboard.today import tenant_zone
from .context import CliContext, user_errors

#: A rebuild walks its range a day at a time per tenant, so one transaction stays small.
STEP = timedelta(days=1)


@click.group("reports")
def reports() -> None:
    """Reports and analytics."""


@reports.command("rebuild")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (tenant's time zone), YYYY-MM-DD.")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day, included.")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.pass_obj
def rebuild(obj: CliContext, start: datetime, end: datetime, slug: str | None) -> None:
    """Recompute the interval rows of calls, tickets and IVR nodes for days --from .. --to (idempotent)."""
    if end < start:
        raise click.BadParameter(f"--to {end.date()} is before --from {start.date()}", param_hint="--to")
    if (end - start).days > 3660:
        raise click.BadParameter("at most ten years at once", param_hint="--to")
    with user_errors():
        with obj.db.platform() as session:
            query = select(Tenant.id, Tenant.slug, Tenant.settings).order_by(Tenant.id)
            if slug:
                query = query.where(Tenant.slug == slug)
            tenants = session.execute(query).all()
        if slug and not tenants:
            raise click.ClickException(f"no tenant {slug!r}")
        for tenant_id, tenant_slug, settings in tenants:
            zone = tenant_zone(settings)
            calls = tickets = 0
            day: date = start.date()
            while day <= end.date():
                lo = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
                hi = datetime.combine(day + STEP, time.min, tzinfo=zone).astimezone(UTC)
                with obj.db.platform() as session:
                    c, t = intervals.rebuild(session, tenant_id, lo, hi)
                calls, tickets = calls + c, tickets + t
                day += STEP
            click.echo(f"{tenant_slug}: {calls} calls and {tickets} tickets summed into interval rows "
                       f"({start.date()} to {end.date()}, {zone.key})")


@reports.command("purge")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant).")
@click.pass_obj
def purge(obj: CliContext, slug: str | None) -> None:
    """Delete interval rows older than each tenant's report_retention_days (cron it daily)."""
    from ..platform.reports import retention

    with user_errors():
        with obj.db.platform() as session:
            query = select(Tenant.id, Tenant.slug, Tenant.settings).order_by(Tenant.id)
            if slug:
                query = query.where(Tenant.slug == slug)
            tenants = session.execute(query).all()
        if slug and not tenants:
            raise click.ClickException(f"no tenant {slug!r}")
        now = datetime.now(UTC)
        for tenant_id, tenant_slug, settings in tenants:
            with obj.db.platform() as session:
                deleted = retention.purge(session, tenant_id, settings, now)
            click.echo(f"{tenant_slug}: {deleted} interval rows before "
                       f"{retention.first_kept_day(settings, now.astimezone(tenant_zone(settings)).date())} deleted "
                       f"(kept {retention.retention_days(settings)} days)")
