"""Report retention: the per-tenant setting and its bounds, what a range over it is told, and the purge of the
interval rows before the first kept day (the raw records stay, so a rebuild brings the rows back)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, ReportInterval, ReportIvrNode, Tenant
from hotline.platform.reports import intervals, retention
from hotline.platform.tenant_settings import problems

from .seed import T10, add_calls, make_tenant, seeded_calls


def test_the_setting_its_default_and_its_bounds() -> None:
    assert retention.retention_days(None) == retention.DEFAULT_DAYS == 731
    assert retention.retention_days({"report_retention_days": 90}) == 90
    assert retention.retention_days({"report_retention_days": 5}) == 731  # out of bounds: the default
    assert retention.retention_days({"report_retention_days": True}) == 731
    assert problems({"report_retention_days": 5}) == [
        ("/report_retention_days", "must be a whole number of days from 31 to 3660")]
    assert problems({"report_retention_days": "90"})[0][0] == "/report_retention_days"
    assert problems({"report_retention_days": 365}) == []


def test_a_range_before_the_first_kept_day_is_told_what_is_kept() -> None:
    settings = {"report_retention_days": 31}
    today = date(2026, 4, 20)
    assert retention.over_retention(settings, date(2026, 3, 20), today) is None
    kept = retention.over_retention(settings, date(2026, 3, 9), today)
    assert kept is not None and kept.as_json() == {"days": 31, "kept_from": "2026-03-20", "from": "2026-03-09"}


def test_purge_deletes_only_rows_before_the_first_kept_day(db: Database) -> None:
    tenant_id = make_tenant(db, settings={"report_retention_days": 31})
    later = T10 + timedelta(days=40)
    add_calls(db, tenant_id, seeded_calls(T10) + seeded_calls(later))
    # 40 days after the first calls, at 12:00 in Shanghai: kept from 31 days before that local day
    now = later + timedelta(hours=2)
    with db.platform() as session:
        tenant = session.get(Tenant, tenant_id)
        deleted = retention.purge(session, tenant_id, tenant.settings, now)
    assert deleted > 0
    with db.tenant(tenant_id) as session:
        starts = set(session.scalars(select(ReportInterval.interval_start)))
        assert starts and min(starts) >= later - timedelta(hours=1)
        assert session.scalar(select(func.count()).select_from(ReportIvrNode)
                              .where(ReportIvrNode.interval_start < later - timedelta(days=1))) == 0
        assert session.scalar(select(func.count()).select_from(CallRecord)) == 24  # raw records stay
    with db.platform() as session:  # and the range can be rebuilt from them
        intervals.rebuild(session, tenant_id, T10 - timedelta(hours=1), T10 + timedelta(hours=1))
    with db.tenant(tenant_id) as session:
        assert session.scalar(select(func.sum(ReportInterval.offered))
                              .where(ReportInterval.interval_start < later - timedelta(days=1))) == 6


def test_the_purge_command_names_what_it_kept(db: Database) -> None:
    tenant_id = make_tenant(db, settings={"report_retention_days": 31})
    add_calls(db, tenant_id, seeded_calls(datetime(2020, 1, 6, 2, 0, tzinfo=UTC)))
    with db.tenant(tenant_id) as session:
        slug = session.scalar(select(Tenant.slug).where(Tenant.id == tenant_id))
    from hotline.cli import main

    result = CliRunner().invoke(main, ["reports", "purge", "--tenant", slug], env={"HOTLINE_DATABASE_URL": db.url},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{slug}: " in result.output and "kept 31 days" in result.output
    with db.tenant(tenant_id) as session:
        assert session.scalar(select(func.count()).select_from(ReportInterval)) == 0
