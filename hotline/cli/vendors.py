"""`hotline vendors alerts`: checks every tenant's vendor thresholds for a month and sends the new alerts (cron
it hourly or daily; an alert already sent for the vendor, month and metric is not sent again).

The default month is the current one in each tenant's zone, so a vendor falling behind is known before the
month is settled.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from sqlalchemy import select

from ..platform.models import Tenant, VendorThreshold
from ..platform.services.ticket_lists import tenant_zone
from ..platform.settlement import assessment
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


vendors_commands = [vendors_group]
