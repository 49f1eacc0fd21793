"""When a statement was signed, and when a score was entered, reads in the tenant's zone with the zone named, on the
page (the state line, the versions table, the score sources) and in the Excel export of a signed version."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import time_machine
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import VendorMonth
from tests.settlement import helpers

from ..conftest import World
from ..quality.helpers import tenant_id
from .test_settlement_pages import form, table

#: 01:30 UTC is 09:30 in the express tenant's zone (Asia/Shanghai), on the same day.
SIGNED = datetime(2026, 4, 1, 1, 30, tzinfo=UTC)


def test_sign_off_and_entry_times_are_in_the_tenants_zone_with_its_name(db: Database, world: World, api_as,
                                                                         unique) -> None:
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        row = helpers.worked_month(session, unique("v"))
        month = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == row.id)).one()
        month.updated_by, month.updated_at = "li", datetime(2026, 3, 31, 23, 5, tzinfo=UTC)  # 07:05 on 1 April
        vendor_id = row.id
    admin = api_as(world.admin_a, world.tenant_a)
    url = f"/settlement/vendors/{vendor_id}/statement?month=2026-03"
    with time_machine.travel(SIGNED, tick=False):
        assert form(admin, f"/settlement/vendors/{vendor_id}/sign", {"month": "2026-03"}).status_code == 302
    page = admin.get(url).get_data(as_text=True)
    versions = table(page, "versions")
    assert versions[0][2] == "签核时间（Asia/Shanghai）" and versions[1][2] == "2026-04-01 09:30"
    signed = admin.get(url + "&version=1").get_data(as_text=True)
    state = signed.split('data-testid="state"', 1)[1].split("</p>", 1)[0]
    assert f"第 1 版，{versions[1][1]} 签核，2026-04-01 09:30（Asia/Shanghai）" in state
    sources = table(signed, "score-sources")
    assert sources[2][2] == "由 li 于 2026-04-01 07:05（Asia/Shanghai）录入"
    english = admin.get(url + "&lang=en").get_data(as_text=True)
    assert table(english, "versions")[0][2] == "Signed at (Asia/Shanghai)"
    book = openpyxl.load_workbook(io.BytesIO(admin.get(url + "&version=1&format=xlsx&lang=zh_CN").data))
    state_line = [r[0] for r in book.active.iter_rows(max_row=2, values_only=True)][1]
    assert state_line == f"第 1 版，{versions[1][1]} 签核，2026-04-01 09:30（Asia/Shanghai）"
