"""The settlement formula of seed 001 on worked examples, to the cent.

Seed 001 gives the formula (每月外包费用 = 结算座席数 × 座席单价 × 考核系数 + 达标超量酬金 − 重大事件扣罚, seats =
hours ÷ 166.64 × 人员座席配比, overtime from hours above 166.64, team leads 1:20, the lowest of three scores
picks the coefficient, the bonus split 20/80) but no figures; the figures below are worked by hand in each
test's comment so a reader can check them with a calculator.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

from hotline.platform.settlement import terms as contract
from hotline.platform.settlement.formula import Inputs, MissingInputs, compute

TERMS = contract.EXAMPLE


def _inputs(hours: dict[int, dict[str, D]] | None = None, terms: dict | None = None, **kw) -> Inputs:
    base = dict(month="2026-03", terms=terms or TERMS,
                hours=hours if hours is not None else {1: {"agent": D("166.64")}},
                scores={"quality": D("92.5"), "business": D("91"), "overall": D("95")},
                achieved={"answered_calls": D("30000")}, penalties={})
    base.update(kw)
    return Inputs(**base)


def test_the_worked_month_to_the_cent() -> None:
    # agents: 166.64 h, 180.00 h (13.36 h overtime), 83.32 h; a trainee 100 h; a team lead 166.64 h.
    # agent seats = (166.64 + 166.64 + 83.32) / 166.64 = 2.5 -> 2.5 × 9800 = 24500.00
    # trainee seats = 100 / 166.64 = 0.60009… -> 0.6001 × 6000 = 3600.60
    # team lead: 1.0 scheduled, capped at (2.5 + 0.6001) / 20 = 0.155005 -> 0.1550 × 12000 = 1860.00
    # overtime = 13.36 / 166.64 = 0.08017… -> 0.0802 × 9800 = 785.96;  subtotal 30746.56
    # scores 92.5 / 88 / 95: the lowest (business 88) is in band [85, 90): 0.95 -> 29209.232 -> 29209.23
    # bonus: (31234 - 30000) × 0.50 = 617.00, partner 20% = 123.40, staff 493.60
    # penalties: 1 × 2000.00;  total = 29209.23 + 617.00 - 2000.00 = 27826.23
    result = compute(_inputs(
        hours={1: {"agent": D("166.64")}, 2: {"agent": D("180.00")}, 3: {"agent": D("83.32")},
               4: {"trainee": D("100")}, 5: {"team_lead": D("166.64")}},
        scores={"quality": D("92.5"), "business": D("88"), "overall": D("95")},
        achieved={"answered_calls": D("31234")}, penalties={"major_incident": 1}))
    lines = {line["seat_type"]: line for line in result["seats"]}
    assert {k: (v["seats"], v["amount"]) for k, v in lines.items()} == {
        "trainee": ("0.6001", "3600.60"), "agent": ("2.5000", "24500.00"), "team_lead": ("0.1550", "1860.00"),
        "overtime": ("0.0802", "785.96")}
    assert lines["team_lead"]["cap"] == "0.1550" and lines["agent"]["cap"] is None
    assert lines["agent"]["hours"] == "416.60" and lines["overtime"]["hours"] == "13.36"
    assert result["seat_subtotal"] == "30746.56"
    assert result["scores"]["lowest"] == "88" and result["scores"]["lowest_of"] == "business"
    assert result["coefficient"] == "0.95" and result["assessed"] == "29209.23"
    assert result["bonus"]["total"] == "617.00"
    assert (result["bonus"]["partner"], result["bonus"]["staff"]) == ("123.40", "493.60")
    assert result["penalties"]["total"] == "2000.00"
    assert result["total"] == "27826.23"


def test_fractional_seats_round_to_four_places_before_the_price() -> None:
    # 50 h / 166.64 = 0.300048… -> 0.3000 seats × 9800 = 2940.00 (not 2940.47 from the unrounded seats)
    # coefficient 1.00 (lowest 91), no bonus (achieved = target), total 2940.00
    result = compute(_inputs(hours={1: {"agent": D("50")}}))
    assert result["seats"][0]["seats"] == "0.3000" and result["seats"][0]["amount"] == "2940.00"
    assert result["total"] == "2940.00"


def test_a_staffing_ratio_scales_the_seats() -> None:
    # ratio 0.85: 166.64 h -> 0.85 seats × 9800 = 8330.00
    terms = copy.deepcopy(TERMS)
    terms["seat_types"]["agent"]["ratio"] = "0.85"
    assert compute(_inputs(terms=terms))["seats"][0]["amount"] == "8330.00"


def test_overtime_hours_are_not_also_regular_seats() -> None:
    # 200 h: 1.0000 regular seat (9800.00) + 33.36 / 166.64 = 0.20019… -> 0.2002 overtime seats (1961.96)
    result = compute(_inputs(hours={1: {"agent": D("200")}}))
    lines = {line["seat_type"]: line for line in result["seats"]}
    assert lines["agent"]["seats"] == "1.0000" and lines["overtime"]["seats"] == "0.2002"
    assert lines["overtime"]["amount"] == "1961.96" and result["total"] == "11761.96"


def test_an_agent_with_two_seat_types_keeps_each_share_of_the_standard_month() -> None:
    # 100 h trainee + 100 h agent = 200 h: each type 100 × 166.64 / 200 = 83.32 h -> 0.5 seat each,
    # 33.36 h overtime -> 0.2002; 0.5 × 6000 + 0.5 × 9800 + 0.2002 × 9800 = 3000 + 4900 + 1961.96
    result = compute(_inputs(hours={1: {"trainee": D("100"), "agent": D("100")}}))
    lines = {line["seat_type"]: line for line in result["seats"]}
    assert (lines["trainee"]["seats"], lines["agent"]["seats"]) == ("0.5000", "0.5000")
    assert result["seat_subtotal"] == "9861.96"


def test_team_leads_within_the_one_to_twenty_ratio_are_not_capped() -> None:
    # 40 agents full month = 40 seats; cap 2.0; two team leads at 166.64 h = 2.0 seats: not capped
    hours = {n: {"agent": D("166.64")} for n in range(40)} | {100: {"team_lead": D("166.64")},
                                                                101: {"team_lead": D("166.64")}}
    lines = {line["seat_type"]: line for line in compute(_inputs(hours=hours))["seats"]}
    assert lines["team_lead"]["seats"] == "2.0000" and lines["team_lead"]["cap"] is None


@pytest.mark.parametrize(("lowest", "coefficient", "assessed"), [
    ("100", "1.05", "10290.00"), ("95", "1.05", "10290.00"), ("94.99", "1.00", "9800.00"),
    ("90", "1.00", "9800.00"), ("89.5", "0.95", "9310.00"), ("85", "0.95", "9310.00"),
    ("84", "0.90", "8820.00"), ("79.99", "0.80", "7840.00"), ("0", "0.80", "7840.00")])
def test_each_band_of_the_lowest_score(lowest: str, coefficient: str, assessed: str) -> None:
    # one full agent seat = 9800.00, times the band's coefficient; the other two scores are higher
    result = compute(_inputs(scores={"quality": D("100"), "business": D(lowest), "overall": D("100")}))
    assert (result["coefficient"], result["assessed"]) == (coefficient, assessed)


def test_the_lowest_of_the_three_scores_picks_the_band() -> None:
    for lowest_of in ("quality", "business", "overall"):
        scores = {"quality": D("96"), "business": D("97"), "overall": D("98")} | {lowest_of: D("86")}
        result = compute(_inputs(scores=scores))
        assert result["scores"]["lowest_of"] == lowest_of and result["coefficient"] == "0.95"


def test_the_bonus_split_always_adds_up_to_the_bonus() -> None:
    # (30001 - 30000) × 0.50 = 0.50 -> partner 0.10, staff 0.40; (30003 - 30000) × 0.5 = 1.50 -> 0.30 / 1.20
    # 0.07 bonus (bonus_per_unit 0.07): partner 0.014 -> 0.01, staff 0.06 (the rest, not 0.056 -> 0.06 by luck)
    for achieved, partner, staff in (("30001", "0.10", "0.40"), ("30003", "0.30", "1.20")):
        bonus = compute(_inputs(achieved={"answered_calls": D(achieved)}))["bonus"]
        assert (bonus["partner"], bonus["staff"]) == (partner, staff)
    terms = copy.deepcopy(TERMS)
    terms["targets"][0]["bonus_per_unit"] = "0.07"
    bonus = compute(_inputs(terms=terms, achieved={"answered_calls": D("30001")}))["bonus"]
    assert (bonus["total"], bonus["partner"], bonus["staff"]) == ("0.07", "0.01", "0.06")


def test_below_target_earns_no_bonus() -> None:
    result = compute(_inputs(achieved={"answered_calls": D("29000")}))
    assert result["bonus"]["total"] == "0.00" and result["bonus"]["lines"][0]["excess"] == "0"


def test_penalties_are_deducted_per_incident() -> None:
    # 9800.00 × 1.00 - 3 × 2000.00 = 3800.00
    result = compute(_inputs(penalties={"major_incident": 3}))
    assert result["penalties"]["lines"][0]["total"] == "6000.00" and result["total"] == "3800.00"


def test_every_missing_input_is_named_and_nothing_is_computed() -> None:
    terms = copy.deepcopy(TERMS)
    del terms["seat_types"]["agent"]["unit_price"]
    with pytest.raises(MissingInputs) as caught:
        compute(_inputs(terms=terms, scores={"quality": None, "business": D("90"), "overall": None}, achieved={}))
    assert [m.text() for m in caught.value.missing] == [
        "The contract has no unit price for seat.agent seats",
        "No QA evaluations of this vendor's agents in 2026-03, so there is no quality score",
        "The overall score of 2026-03 has not been entered and cannot be computed (it needs the quality and "
        "business scores)",
        "The achieved value of target 接通量 in 2026-03 is missing"]


def test_no_schedule_is_missing_input() -> None:
    with pytest.raises(MissingInputs) as caught:
        compute(_inputs(hours={}))
    assert [m.text() for m in caught.value.missing] == ["No scheduled hours for this vendor's agents in 2026-03"]


def test_a_score_no_band_holds_is_missing_input() -> None:
    terms = copy.deepcopy(TERMS)
    terms["bands"] = [b for b in terms["bands"] if b["from"] != "0"]
    with pytest.raises(MissingInputs) as caught:
        compute(_inputs(terms=terms, scores={"quality": D("70"), "business": D("90"), "overall": D("90")}))
    assert caught.value.missing[0].text() == "No assessment band of the contract holds the lowest score 70"


def test_the_example_contract_is_valid() -> None:
    assert contract.problems(TERMS) == []


def test_bad_terms_are_named_by_json_path() -> None:
    bad = copy.deepcopy(TERMS)
    bad["standard_hours"] = 0
    bad["seat_types"]["agent"]["unit_price"] = "-1"
    bad["seat_types"]["vip"] = {}
    bad["team_lead_span"] = 0
    bad["bonus_split"] = {"partner": "0.3", "staff": "0.8"}
    bad["targets"].append({"code": "answered_calls", "label": "", "target": "x", "bonus_per_unit": 1})
    bad["bands"].append({"from": "88", "to": "92", "coefficient": "1"})
    bad["extra"] = 1
    assert contract.problems(bad) == [
        "/extra: not a contract field",
        "/standard_hours: a number more than 0 to 744",
        "/seat_types/vip: not a seat type (trainee, agent, team_lead, overtime)",
        "/seat_types/agent/unit_price: a number from 0 to 100000000",
        "/team_lead_span: a whole number of agents per team lead, 1 to 1000",
        "/targets/1/code: 'answered_calls' is used twice",
        "/targets/1/label: 1 to 100 characters",
        "/targets/1/target: a number from 0 to 1000000000000",
        "/bonus_split: the shares sum to 1.1, not 1",
        "/bands/5: overlaps /bands/2",
        "/bands/1: overlaps /bands/5"]


def test_a_gap_between_bands_is_named_at_save_not_at_the_statement() -> None:
    """QA 15 #5: raising a band's start left scores in no band, and only the month's statement said so."""
    bad = copy.deepcopy(TERMS)
    ordered = sorted(bad["bands"], key=lambda band: D(band["from"]))
    index = bad["bands"].index(ordered[-1])
    gap_from = ordered[-1]["from"]
    bad["bands"][index] = {**ordered[-1], "from": str(D(gap_from) + 2)}
    assert contract.problems(bad) == [
        f"/bands/{index}/from: leaves scores from {gap_from} to {D(gap_from) + 2} in no band"]
    assert contract.problems(copy.deepcopy(TERMS)) == []


def test_fields_a_contract_does_not_have_are_refused_at_every_level() -> None:
    bad = copy.deepcopy(TERMS)
    bad["seat_types"]["agent"]["blob"] = "x" * 1000
    bad["targets"][0]["extra"] = 1
    bad["bonus_split"]["broker"] = "0"
    bad["penalty_rules"][0]["why"] = ""
    bad["bands"][0]["note"] = ""
    assert contract.problems(bad) == [
        "/seat_types/agent/blob: not a field here (unit_price, ratio)",
        "/targets/0/extra: not a field here (code, label, target, bonus_per_unit)",
        "/bonus_split/broker: not a field here (partner, staff)",
        "/penalty_rules/0/why: not a field here (code, label, amount)",
        "/bands/0/note: not a field here (from, to, coefficient)"]
