"""The lookup node's data-table and column pickers in headless Chromium (issue 16, task H): the tenant's tables
are offered by their labels, a column of the chosen table is picked for a variable, and changing the table
clears a column the new table does not have (it used to stay, naming a column of the old table); in Chinese
and in English, with no console error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hotline.platform.models import DataRow, DataTable
from hotline.platform.services.tenants import get_tenant

from ..conftest import World
from .browser_helpers import choose_label, draft_of, options_of, picked, select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

LOOKUP_IVR = {
    "title": "查件", "start": "find", "fallback": "bye",
    "nodes": {
        "find": {"type": "lookup", "label": "查运单", "source": {"table": "waybills"}, "key": "{{caller}}",
                 "assign": {"where": "location"}, "found": "bye", "not_found": "bye",
                 "position": {"x": 0, "y": 0}},
        "bye": {"type": "hangup", "label": "再见", "prompt": {"text": "再见"}, "position": {"x": 0, "y": 300}},
    },
}


def add_parcels_table(db, slug: str) -> None:
    """A second table of the tenant, whose rows have other columns than the template's waybills."""
    with db.platform() as session:
        tenant_id = get_tenant(session, slug).id
    with db.tenant(tenant_id) as session:
        if session.query(DataTable).filter_by(name="parcels").first() is None:
            table = DataTable(name="parcels", label="包裹重量", key_label="parcel")
            table.rows = [DataRow(key="P1", data={"weight": "2kg", "location": "北京"})]
            session.add(table)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_lookup_picks_a_table_by_label_then_a_column_and_a_new_table_clears_a_column_it_lacks(
        page, open_ivr, db, world: World, api_as, console_errors, lang: str) -> None:
    add_parcels_table(db, world.tenant_a)
    name = f"lookup_{lang}"
    open_ivr(name, LOOKUP_IVR, lang)
    select_node(page, "find")

    table = "#root_source_table"
    expect(page.locator(table)).to_be_visible()
    assert {"运单状态 (waybills)", "包裹重量 (parcels)"} <= set(options_of(page, table))
    column = "#root_assign_where"
    assert {"status", "location", "eta"} <= set(options_of(page, column))
    expect(picked(page, column)).to_have_attribute("title", "location")

    # Changing to a table whose rows have no "eta": a column it has stays, one it lacks is cleared.
    choose_label(page, column, "eta")
    choose_label(page, table, "包裹重量 (parcels)")
    expect(picked(page, column)).not_to_have_attribute("title", re.compile("."))
    assert {"weight", "location"} <= set(options_of(page, column))
    assert "eta" not in options_of(page, column)
    choose_label(page, column, "weight")
    wait_saved(page)
    node = draft_of(api_as(world.analyst_a), name)["nodes"]["find"]
    assert node["source"] == {"table": "parcels"} and node["assign"] == {"where": "weight"}

    # Back to the waybills: "location" is a column of both, so it is kept.
    choose_label(page, column, "location")
    choose_label(page, table, "运单状态 (waybills)")
    expect(picked(page, column)).to_have_attribute("title", "location")
    wait_saved(page)
    node = draft_of(api_as(world.analyst_a), name)["nodes"]["find"]
    assert node["source"] == {"table": "waybills"} and node["assign"] == {"where": "location"}
    assert console_errors == []
