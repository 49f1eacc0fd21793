"""The contract page as a form (issue 15, task D2): a bad unit price is named beside its field and nothing is
saved, in Chinese and English; the form of a contract saves the same terms as its JSON; rows come back as typed;
another tenant's contract is a 404; the JSON export gives the saved terms back."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Role, VendorContract
from hotline.platform.settlement.terms import EXAMPLE

from ..conftest import World, make_user
from ..quality.helpers import tenant_id
from .test_settlement_pages import _worked_vendor, form


def as_form(terms: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What the contract form posts for these terms (the parallel row lists)."""
    data: dict[str, Any] = {"title": "2027", "valid_from": "2027-01", "valid_to": "", "source": "form",
                            "standard_hours": terms["standard_hours"], "team_lead_span": str(terms["team_lead_span"]),
                            "split_partner": terms["bonus_split"]["partner"],
                            "split_staff": terms["bonus_split"]["staff"]}
    seats = terms["seat_types"]
    data["seat_code"] = list(seats)
    data["seat_unit_price"] = [s.get("unit_price", "") for s in seats.values()]
    data["seat_ratio"] = [s.get("ratio", "") for s in seats.values()]
    for prefix, key in (("target", "targets"), ("penalty", "penalty_rules"), ("band", "bands")):
        for row in terms[key]:
            for name, value in row.items():
                data.setdefault(f"{prefix}_{name}", []).append(value)
    data.update(extra)
    return data


def beside(page: str, path: str) -> list[str]:
    """The problems the page shows beside the field of that JSON path."""
    return [html.unescape(m) for m in re.findall(
        rf'data-testid="field-problem" data-path="{re.escape(path)}">([^<]*)<', page)]


def _contracts(db: Database, slug: str, vendor_id: int) -> list[dict[str, Any]]:
    with db.tenant(tenant_id(db, slug)) as session:
        return [c.terms for c in session.scalars(select(VendorContract).where(VendorContract.vendor_id == vendor_id))]


def test_a_bad_unit_price_is_shown_beside_its_field_and_nothing_is_saved(db: Database, world: World, api_as,
                                                                         unique) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    vendor_id = _worked_vendor(db, world.tenant_a, unique)
    before = _contracts(db, world.tenant_a, vendor_id)
    bad = as_form(EXAMPLE, seat_unit_price=["6000.00", "-1", "12000.00", "9800.00"])
    url = f"/settlement/vendors/{vendor_id}/contracts/new"
    zh = form(admin, url + "?lang=zh_CN", bad)
    assert zh.status_code == 400
    page = zh.get_data(as_text=True)
    assert beside(page, "/terms/seat_types/agent/unit_price") == [
        "合同条款 › 座席类型 › 话务座席 › 单价（/terms/seat_types/agent/unit_price）：应为 0 到 100000000 之间的数字"]
    assert beside(page, "/terms/seat_types/trainee/unit_price") == []
    assert 'name="seat_unit_price" maxlength="20" value="-1"' in page  # what was typed is drawn again
    assert 'name="target_label" maxlength="100" value="接通量"' in page
    en = form(admin, url + "?lang=en", bad).get_data(as_text=True)
    assert beside(en, "/terms/seat_types/agent/unit_price") == [
        "Contract terms › Seat types › Agent seats › Unit price (/terms/seat_types/agent/unit_price): a number from "
        "0 to 100000000"]
    assert "Add a row" in en and "添加一行" in page
    assert _contracts(db, world.tenant_a, vendor_id) == before


def test_the_form_saves_the_same_terms_as_the_json(db: Database, world: World, api_as, unique) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    vendor_id = _worked_vendor(db, world.tenant_a, unique)
    contract_id = _ids(db, world.tenant_a, vendor_id)[0]
    url = f"/settlement/vendors/{vendor_id}/contracts/{contract_id}"
    edited = json.loads(json.dumps(EXAMPLE))
    edited["seat_types"]["agent"]["unit_price"] = "9900.00"
    by_json = {"title": "2026", "valid_from": "2026-01", "valid_to": "", "terms": json.dumps(edited)}
    assert form(admin, url, by_json).status_code == 302
    saved_by_json = _contracts(db, world.tenant_a, vendor_id)
    assert form(admin, url, {**by_json, "terms": json.dumps(EXAMPLE)}).status_code == 302
    # an added row left empty is dropped, not an error
    data = as_form(edited, title="2026", valid_from="2026-01", penalty_code=["major_incident", ""],
                   penalty_label=["重大服务事件", ""], penalty_amount=["2000.00", ""])
    assert form(admin, url, data).status_code == 302
    assert _contracts(db, world.tenant_a, vendor_id) == saved_by_json == [edited]
    page = admin.get(url).get_data(as_text=True)
    assert page.count('name="band_coefficient"') == len(EXAMPLE["bands"]) + 1  # the rows and the new-row template
    assert 'name="seat_unit_price" maxlength="20" value="9900.00"' in page
    exported = admin.get(url + "?format=json")
    assert exported.status_code == 200 and json.loads(exported.data) == edited


def test_a_seat_type_on_two_rows_is_refused(db: Database, world: World, api_as, unique) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    vendor_id = _worked_vendor(db, world.tenant_a, unique)
    data = as_form(EXAMPLE, seat_code=["trainee", "agent", "agent", "overtime"])
    response = form(admin, f"/settlement/vendors/{vendor_id}/contracts/new?lang=zh_CN", data)
    assert response.status_code == 400
    assert beside(response.get_data(as_text=True), "/terms/seat_types/agent") == [
        "合同条款 › 座席类型 › 话务座席（/terms/seat_types/agent）：'agent' 重复使用"]


def _ids(db: Database, slug: str, vendor_id: int) -> list[int]:
    with db.tenant(tenant_id(db, slug)) as session:
        return list(session.scalars(select(VendorContract.id).where(VendorContract.vendor_id == vendor_id)))


def test_another_tenants_contract_form_is_not_found(db: Database, world: World, api_as, unique) -> None:
    vendor_id = _worked_vendor(db, world.tenant_a, unique)
    contract_id = _ids(db, world.tenant_a, vendor_id)[0]
    other = api_as(make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]}), world.tenant_b)
    url = f"/settlement/vendors/{vendor_id}/contracts/{contract_id}"
    assert other.get(url).status_code == 404
    assert other.get(url + "?format=json").status_code == 404
    assert form(other, url, as_form(EXAMPLE)).status_code == 404


def test_the_score_weights_are_form_fields_and_emptied_ones_fall_back_to_the_defaults(
        db: Database, world: World, api_as, unique) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    vendor_id = _worked_vendor(db, world.tenant_a, unique)
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        contract_id = session.scalars(select(VendorContract.id).where(VendorContract.vendor_id == vendor_id)).one()
    url = f"/settlement/vendors/{vendor_id}/contracts/{contract_id}"
    weights = {"title": "2026 合同", "valid_from": "2026-01", "metric_service_level_target": "80",
               "metric_service_level_weight": "1", "overall_quality": "0.7", "overall_business": "0.3"}
    bad = as_form(EXAMPLE, **weights, metric_timeliness_target="0", metric_timeliness_weight="x")
    refused = form(admin, url + "?lang=en", bad)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert beside(page, "/terms/business_metrics/timeliness/target") == [
        "Contract terms › Business score metrics › Ticket timeliness › Target value "
        "(/terms/business_metrics/timeliness/target): a number more than 0 to 100"]
    assert beside(page, "/terms/business_metrics/timeliness/weight")[0].endswith(": a number from 0 to 1")
    assert 'name="metric_timeliness_weight" maxlength="20" value="x"' in page  # kept as typed
    assert "business_metrics" not in _contracts(db, world.tenant_a, vendor_id)[0]
    assert form(admin, url, as_form(EXAMPLE, **weights)).status_code == 302
    terms = _contracts(db, world.tenant_a, vendor_id)[0]
    assert terms["business_metrics"] == {"service_level": {"target": "80", "weight": "1"}}
    assert terms["overall_weights"] == {"quality": "0.7", "business": "0.3"}
    shown = admin.get(url).get_data(as_text=True)
    assert 'name="overall_quality" maxlength="20" value="0.7"' in shown
    # emptied fields drop the weights (the defaults apply), even though the page's JSON still holds them
    cleared = {**as_form(EXAMPLE, title="2026 合同", valid_from="2026-01"), "terms": json.dumps(terms)}
    assert form(admin, url, cleared).status_code == 302
    after = _contracts(db, world.tenant_a, vendor_id)[0]
    assert "business_metrics" not in after and "overall_weights" not in after
