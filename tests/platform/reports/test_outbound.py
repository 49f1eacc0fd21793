"""Outbound figures of the reports equal the hand-computed ones (attempts, connects, dispositions by their script
labels, abandon rate per campaign and period); another tenant's attempts never count."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.reports.outbound import outbound_report
from hotline.platform.reports.periods import Period

from .seed_outbound import outbound_tenant, seed_attempts

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY, TUESDAY = date(2026, 3, 9), date(2026, 3, 10)
FIGURES = ("attempts", "connects", "connect_rate", "machines", "abandoned", "abandon_rate", "skipped")


@pytest.fixture(scope="module")
def seeded(db: Database) -> tuple[int, int, int]:
    tenant_id = outbound_tenant(db)
    a, b = seed_attempts(db, tenant_id)
    return tenant_id, a, b


def _figures(row: dict) -> tuple:
    return tuple(row[name] for name in FIGURES)


def test_per_campaign_and_day(db: Database, seeded: tuple[int, int, int]) -> None:
    tenant_id, _a, _b = seeded
    with db.tenant(tenant_id) as session:
        report = outbound_report(session, tenant_id, Period(MONDAY, TUESDAY, "day", SHANGHAI), "campaign")
    rows = {(r["period"], r["label"]): _figures(r) for r in report.rows}
    assert rows[("2026-03-09", "满意度回访-三月")] == (7, 4, 57.1, 1, 1, 25.0, 1)
    assert rows[("2026-03-10", "满意度回访-三月")] == (1, 1, 100.0, 0, 0, 0.0, 0)
    assert rows[("2026-03-09", "满意度回访-补打")] == (2, 2, 100.0, 0, 1, 50.0, 0)
    assert rows[("2026-03-10", "满意度回访-补打")] == (0, 0, None, 0, 0, None, 0)  # an empty day: zeros
    assert _figures(report.totals) == (10, 7, 70.0, 1, 2, 28.6, 1)


def test_dispositions_by_their_script_labels(db: Database, seeded: tuple[int, int, int]) -> None:
    tenant_id, _a, _b = seeded
    with db.tenant(tenant_id) as session:
        report = outbound_report(session, tenant_id, Period(MONDAY, TUESDAY, "total", SHANGHAI), "disposition",
                                 translate=lambda text: {"(none)": "（无）"}.get(text, text))
    rows = {r["label"]: (r["attempts"], r["connects"]) for r in report.rows}
    assert rows == {"满意度回访-三月 / 完成调研": (3, 3), "满意度回访-三月 / 低分，需物业经理回电": (1, 1),
                    "满意度回访-三月 / （无）": (4, 1), "满意度回访-补打 / （无）": (2, 2)}
    assert "dnc" not in " ".join(rows)  # a refusal's rule is not a disposition


def test_another_tenants_attempts_never_count(db: Database, seeded: tuple[int, int, int]) -> None:
    other = outbound_tenant(db)
    with db.tenant(other) as session:
        report = outbound_report(session, other, Period(MONDAY, TUESDAY, "total", SHANGHAI), "campaign")
    assert all(row["attempts"] == 0 for row in report.rows) and report.totals["attempts"] == 0  # zero rows only


def test_a_saved_outbound_report_is_mailed_with_labels(db: Database, seeded: tuple[int, int, int]) -> None:
    from hotline.platform.reports import saved

    tenant_id, _a, _b = seeded
    with db.tenant(tenant_id) as session:
        report = saved.save(session, tenant_id, "外呼日报", {"kind": "outbound", "group": "day", "by": "campaign"},
                            "daily", "boss@example.com", "op")
        subject, body = saved.render(session, tenant_id, report, MONDAY, MONDAY, SHANGHAI)
    lines = [line.split("\t") for line in body.splitlines()]
    assert subject.startswith("外呼日报")
    assert lines[0][:4] == ["时段（Asia/Shanghai）", "外呼活动", "外呼次数", "接通数"]
    assert ["2026-03-09", "满意度回访-三月", "7", "4", "57.1", "1", "1", "25.0", "1"] in lines
