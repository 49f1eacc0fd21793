"""The outbound report pages: figures per campaign in JSON and HTML (Chinese and English), dispositions by their
script labels, exports that open in openpyxl with the same numbers, drill-down to the attempts behind a figure,
a saved outbound report, roles and tenants."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from hotline.platform.db import Database
from hotline.platform.models import DialAttempt, Role
from hotline.platform.outbound import reasons
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user
from tests.platform.reports.seed import T10
from tests.platform.reports.seed_outbound import seed_attempts

RANGE = "kind=outbound&from=2026-03-09&to=2026-03-10"


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> tuple[int, int]:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    return seed_attempts(db, tenant_id)


def test_figures_labels_exports_and_drill_down(seeded: tuple[int, int], api_as, world) -> None:
    a, _b = seeded
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    body = supervisor.get(f"/supervision/api/reports?{RANGE}&group=total&by=campaign").get_json()
    rows = {r["label"]: r for r in body["rows"]}
    first = rows["满意度回访-三月"]
    assert (first["attempts"], first["connects"], first["connect_rate"], first["abandon_rate"]) == (8, 5, 62.5, 20.0)
    assert (body["totals"]["attempts"], body["totals"]["abandon_rate"]) == (10, 28.6)

    dispositions = supervisor.get(f"/supervision/api/reports?{RANGE}&group=total&by=disposition&lang=en").get_json()
    labels = {r["label"]: r["attempts"] for r in dispositions["rows"]}
    assert labels == {"满意度回访-三月 / 完成评价": 3, "满意度回访-三月 / 低分，需专员回电": 1,
                      "满意度回访-三月 / (none)": 4, "满意度回访-补打 / (none)": 2}

    html = supervisor.get(f"/supervision/reports?{RANGE}&group=day&by=campaign&lang=zh_CN").get_data(as_text=True)
    assert "外呼报表" in html and "接通率%" in html and "接后放弃" not in html and "满意度回访-三月" in html
    english = supervisor.get(f"/supervision/reports?{RANGE}&group=day&by=campaign&lang=en").get_data(as_text=True)
    assert "Connect rate %" in english and "figure.connects" not in english

    sheet = supervisor.get(f"/supervision/reports/export?format=xlsx&{RANGE}&group=total&by=disposition&lang=en")
    rows_x = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows_x[0][:3] == ("Interval (Asia/Shanghai)", "Disposition", "Attempts")
    by_label = {r[1]: dict(zip(rows_x[0], r, strict=True)) for r in rows_x[1:-1]}
    assert by_label["满意度回访-三月 / 完成评价"]["Connects"] == 3
    assert dict(zip(rows_x[0], rows_x[-1], strict=True))["Abandon rate %"] == 28.6
    assert "completed" not in {str(r[1]) for r in rows_x}  # labels, never codes

    assert "/supervision/reports/attempts?start=2026-03-09T00%3A00%3A00%2B08%3A00" in html
    drill = supervisor.get(f"/supervision/reports/attempts?start=2026-03-09T00:00:00%2B08:00"
                           f"&end=2026-03-10T00:00:00%2B08:00&campaign={a}&disposition=completed&lang=zh_CN"
                           ).get_data(as_text=True)
    assert drill.count("<tr>") == 3 and "完成评价" in drill and "接通" in drill  # header + the two of Monday
    every = supervisor.get(f"/supervision/reports/attempts?start=2026-03-09T00:00:00%2B08:00"
                           f"&end=2026-03-10T00:00:00%2B08:00&campaign={a}&lang=en").get_data(as_text=True)
    assert every.count("<tr>") == 9 and "Skipped by rules" not in every and "dnc" not in every


def test_a_saved_outbound_report(seeded: tuple[int, int], api_as, world) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    saved = supervisor.client.post("/supervision/reports/saved", data={
        "name": "外呼周报", "kind": "outbound", "group": "week", "by": "campaign", "schedule": "weekly",
        "recipients": "boss@example.com"}, headers={"X-CSRFToken": supervisor.token or supervisor.refresh_token()})
    assert saved.status_code == 302
    page = supervisor.get(f"/supervision/reports?{RANGE}").get_data(as_text=True)
    assert "外呼周报" in page and "kind=outbound" in page


def test_roles_tenants_and_bad_arguments(seeded: tuple[int, int], db: Database, api_as, world) -> None:
    a, _b = seeded
    assert api_as(world.agent_a, world.tenant_a).get(f"/supervision/api/reports?{RANGE}").status_code == 403
    supervisor_b = make_user(db, {world.tenant_b: [Role.SUPERVISOR]})
    other = api_as(supervisor_b, world.tenant_b)
    body = other.get(f"/supervision/api/reports?{RANGE}&group=total").get_json()
    assert body["totals"]["attempts"] == 0
    drill = other.get(f"/supervision/reports/attempts?start=2026-03-09T00:00:00%2B08:00"
                      f"&end=2026-03-10T00:00:00%2B08:00&campaign={a}").get_data(as_text=True)
    assert drill.count("<tr>") == 2  # header + "no attempts": tenant A's campaign id finds nothing in B
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    assert supervisor.get(f"/supervision/api/reports?{RANGE}&by=queue").status_code == 400
    assert supervisor.get(f"/supervision/api/reports?{RANGE}&campaign=x1").status_code == 400
    assert supervisor.get("/supervision/reports/attempts?start=now&end=later").status_code == 400


def test_the_attempt_list_tells_an_agents_skip_from_a_rules(seeded: tuple[int, int], db: Database, api_as,
                                                             world) -> None:
    """Issue 13, 13c #2: both are stored with outcome `skipped`; the list said 按规则跳过 for an agent's 跳过 too."""
    _a, b = seeded
    thursday = T10 + timedelta(days=3)  # outside the other tests' range, so their figures stay as seeded
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    with db.tenant(tenant_id) as session:
        session.add(DialAttempt(campaign_id=b, phone_e164="+8613812345678", at=thursday, outcome="skipped",
                                disposition="duplicate", agent="1002", ended_at=thursday,
                                reason=reasons.coded("reason.agent_skip", agent="1002", skip="duplicate")))
        session.add(DialAttempt(campaign_id=b, phone_e164="+8613912345678", at=thursday + timedelta(minutes=1),
                                outcome="skipped", disposition="dnc",
                                reason=reasons.coded("detail.dnc", lists=["tenant"])))
    supervisor = api_as(world.supervisor_a, world.tenant_a)

    def listed(lang: str) -> str:
        return supervisor.get(f"/supervision/reports/attempts?start=2026-03-12T00:00:00%2B08:00"
                              f"&end=2026-03-13T00:00:00%2B08:00&campaign={b}&lang={lang}").get_data(as_text=True)

    chinese = listed("zh_CN")
    assert "座席跳过：重复的联系人" in chinese and chinese.count("按规则跳过") == 1
    english = listed("en")
    assert "skipped by an agent: " in english and english.count("Skipped by a rule") == 1
