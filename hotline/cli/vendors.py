"""`hotline vendors alerts`: checks every tenant's vendor thresholds for a month and sends the new alerts (cron
it hourly or daily; an alert already sent for the vendor, month and metric is not sent again).
`hotline vendors overtime`: rolls a month's overtime up again per agent (settlement/overtime.py; idempotent), for
a month whose shifts changed after it was last rolled up (signing a statement rolls its month up too).

The default month is the current one in each tenant's zone, so a vendor falling behind is known before the
month is settled.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import click
from sqlalchemy import select

from ..platform.models import Tenant, VendorThreshold
from ..platform.services.ticket_lists import tenant_zone
from ..platform.settlement import assessment, overtime
from ..platform.settlement.inputs import parse_month
from .context import CliContext, user_errors


@click.group("vendors")
def vendors_group() -> None:
    """Outsourcing vendors: assessment thresholds and alerts."""


@vendors_group.command("alerts")
@click.option("--tenant", "slug", help="Only this tenant (default: every tenant with thresholds).")
@click.option("--month", "month_text", help="YYYY-MM (default: the current month in each tenant's zone).")
@click.pass_obj
def alerts(obj: CliContext, slug: str | None, month_text: str | None) -> None:
    """Send an alert for each vendor past a threshold of its tenant."""
    with user_errors():
        with obj.db.platform() as session:
            query = select(Tenant.id, Tenant.slug).where(
                Tenant.id.in_(select(VendorThreshold.tenant_id))).order_by(Tenant.slug)
            if slug:
                query = query.where(Tenant.slug == slug)
            tenants = dict(session.execute(query).all())
        for tenant_id, name in tenants.items():
            with obj.db.tenant(tenant_id) as session:
                zone = tenant_zone(session)
                text = month_text or datetime.now(UTC).astimezone(zone).strftime("%Y-%m")
                try:
                    month = parse_month(text, zone)
                except ValueError as exc:
                    raise click.BadParameter(str(exc), param_hint="--month") from None
                raised = assessment.check_alerts(session, tenant_id, month)
            click.echo(f"{name} {month.text}: {len(raised)} new alert(s)")



@vendors_group.command("overtime")
@click.option("--tenant", "slug", required=True, help="The tenant's slug.")
@click.option("--month", "month_text", help="YYYY-MM (default: the previous month in the tenant's zone).")
@click.pass_obj
def overtime_roll_up(obj: CliContext, slug: str, month_text: str | None) -> None:
    """Roll a month's overtime up again: per agent, scheduled hours above the standard month."""
    with user_errors():
        with obj.db.platform() as session:
            tenant_id = session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        if tenant_id is None:
            raise click.BadParameter(f"no tenant {slug!r}", param_hint="--tenant")
        with obj.db.tenant(tenant_id) as session:
            zone = tenant_zone(session)
            if not month_text:
                first = datetime.now(UTC).astimezone(zone).date().replace(day=1)
                month_text = f"{first.year - 1}-12" if first.month == 1 else f"{first.year}-{first.month - 1:02d}"
            try:
                month = parse_month(month_text, zone)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint="--month") from None
            rolled = overtime.refresh(session, tenant_id, month)
        hours = sum((r.overtime for r in rolled.values()), start=Decimal(0))
        click.echo(f"{slug} {month.text}: {len(rolled)} agent(s), {hours} h above the standard month")


vendors_commands = [vendors_group]
