"""The contract form in Chromium (issue 15, task D2): the admin removes the overtime seat row, adds it back as a
new row with its price, and saves the contract; the terms hold it; the page logs no console error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import VendorContract
from tests.designer.conftest import World
from tests.designer.console_guard import watch
from tests.settlement import helpers

from ..quality.helpers import tenant_id

pytestmark = pytest.mark.browser


def test_admin_adds_a_seat_type_row_and_saves(db: Database, page, world: World, open_as, unique) -> None:
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        vendor_id = helpers.vendor(session, unique("v")).id
        contract_id = session.scalars(select(VendorContract.id).where(VendorContract.vendor_id == vendor_id)).one()
    errors = watch(page)
    open_as(world.admin_a, f"/settlement/vendors/{vendor_id}/contracts/{contract_id}")
    seats = page.locator('tbody[data-rows="seat"] tr')
    assert seats.count() == 4
    seats.nth(3).locator("[data-remove]").click()
    assert seats.count() == 3
    page.get_by_test_id("add-seat").click()
    assert seats.count() == 4
    seats.nth(3).locator("select[name=seat_code]").select_option("overtime")
    seats.nth(3).locator("input[name=seat_unit_price]").fill("9900.00")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    assert page.get_by_test_id("problems").count() == 0, page.get_by_test_id("problems").inner_text()
    assert page.url.endswith(f"/settlement/vendors/{vendor_id}")
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        terms = session.scalars(select(VendorContract.terms).where(VendorContract.id == contract_id)).one()
    assert terms["seat_types"]["overtime"] == {"unit_price": "9900.00", "ratio": "1"}
    assert errors == []
