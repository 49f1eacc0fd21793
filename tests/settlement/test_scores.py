"""The business and overall scores are computed from the vendor's figures and the contract's weights, not typed
each month: worked examples to two decimals, a metric without data left out, an entered value winning (with who
and when), the weights checked at save, and another tenant's calls never counted."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Vendor, VendorMonth
from hotline.platform.settlement import scores
from hotline.platform.settlement.inputs import gather
from hotline.platform.settlement.terms import EXAMPLE, problems

from . import helpers
from .test_assessment import DAY, MARCH, _site

#: The partner of test_assessment._site: service level 60, answer rate 80, timeliness 75, QA 85.
FIGURES = {"service_level": 60.0, "answer_rate": 80.0, "timeliness": 75.0}


def test_the_business_score_is_the_weighted_mean_of_each_metric_against_its_target() -> None:
    # default targets 80 / 90 / 95, weights 0.4 / 0.3 / 0.3:
    # 60/80 = 75.00; 80/90 = 88.89; 75/95 = 78.95; 0.4×75 + 0.3×88.888… + 0.3×78.947… = 80.350877… → 80.35
    score, parts = scores.business_score(EXAMPLE, FIGURES)
    assert score == D("80.35")
    assert [(p["metric"], p["score"]) for p in parts] == [
        ("service_level", "75.00"), ("answer_rate", "88.89"), ("timeliness", "78.95")]


def test_the_contract_states_its_own_targets_and_weights() -> None:
    terms = dict(EXAMPLE, business_metrics={"service_level": {"target": "60", "weight": "0.5"},
                                            "answer_rate": {"target": "100", "weight": "0.5"}})
    # 60/60 = 100 (capped, not above); 80/100 = 80 → 0.5×100 + 0.5×80 = 90.00; timeliness not in the contract
    assert scores.business_score(terms, {**FIGURES, "service_level": 75.0})[0] == D("90.00")
    assert problems(terms) == []


def test_a_metric_without_data_is_left_out_and_the_others_carry_the_score() -> None:
    # (0.4×75 + 0.3×88.888…) ÷ 0.7 = 80.952… → 80.95
    assert scores.business_score(EXAMPLE, {**FIGURES, "timeliness": None})[0] == D("80.95")
    assert scores.business_score(EXAMPLE, {"service_level": None, "answer_rate": None, "timeliness": None}) == \
        (None, [])


def test_the_overall_score_weighs_quality_and_business() -> None:
    assert scores.overall_score(EXAMPLE, D("85"), D("80.35"))[0] == D("82.68")  # 42.5 + 40.175 = 82.675 → 82.68
    terms = dict(EXAMPLE, overall_weights={"quality": "0.7", "business": "0.3"})
    assert scores.overall_score(terms, D("85"), D("80.35"))[0] == D("83.61")  # 59.5 + 24.105 = 83.605 → 83.61
    assert scores.overall_score(terms, None, D("80.35"))[0] is None


def test_bad_score_weights_are_named_by_json_path() -> None:
    terms = copy.deepcopy(EXAMPLE)
    terms["business_metrics"] = {"service_level": {"target": "0", "weight": "0.5"}, "speed": {},
                                 "answer_rate": {"target": "90", "weight": "0.4"}}
    terms["overall_weights"] = {"quality": "0.6", "business": "0.6"}
    assert [str(p) for p in problems(terms)] == [
        "/business_metrics/speed: not a field here (service_level, answer_rate, timeliness)",
        "/business_metrics/service_level/target: a number more than 0 to 100",
        "/business_metrics: the weights sum to 0.9, not 1",
        "/overall_weights: the weights sum to 1.2, not 1"]


def _month_of(session, vendor_id: int, business: str | None = None, overall: str | None = None) -> None:
    session.add(VendorMonth(vendor_id=vendor_id, month="2026-03",
                            business_score=D(business) if business else None,
                            overall_score=D(overall) if overall else None, achieved={}, penalties={},
                            updated_by="li", updated_at=datetime(2026, 4, 1, 2, 30, tzinfo=UTC)))
    session.flush()


def test_the_month_is_settled_on_computed_scores_from_its_calls_and_tickets(db: Database) -> None:
    tenant, ids = _site(db)
    other, other_ids = _site(db)
    with db.tenant(other) as session:  # the other tenant's partner abandons every call: it must not count here
        session.add_all([CallRecord(uuid=uuid.uuid4().hex, did="400", caller="139", queue="outsourced",
                                    started_at=DAY + timedelta(minutes=40 + n), wait_seconds=50,
                                    outcome="abandoned") for n in range(30)])
    with db.tenant(tenant) as session:
        partner = session.get(Vendor, ids["partner"])
        inputs, record = gather(session, tenant, partner, MARCH, lambda *_a: {})
    assert inputs.scores == {"quality": D("85.00"), "business": D("80.35"), "overall": D("82.68")}
    sources = record["score_sources"]
    assert sources["quality"] == {"how": "computed"}
    assert [p["score"] for p in sources["business"]["parts"]] == ["75.00", "88.89", "78.95"]
    assert sources["overall"] == {"how": "computed", "weights": {"quality": "0.5", "business": "0.5"}}
    with db.tenant(other) as session:
        other_partner = session.get(Vendor, other_ids["partner"])
        assert gather(session, other, other_partner, MARCH, lambda *_a: {})[0].scores["business"] < D("80.35")


def test_an_entered_score_wins_and_says_who_entered_it_and_when(db: Database) -> None:
    tenant, ids = _site(db)
    with db.tenant(tenant) as session:
        partner = session.get(Vendor, ids["partner"])
        _month_of(session, partner.id, business="70")
        inputs, record = gather(session, tenant, partner, MARCH, lambda *_a: {})
        # the overall score is computed from the entered business score: 0.5×85 + 0.5×70 = 77.50
        assert inputs.scores == {"quality": D("85.00"), "business": D("70"), "overall": D("77.50")}
        assert record["score_sources"]["business"] == {"how": "entered", "by": "li", "at": "2026-04-01 02:30",
                                                      "zone": "UTC"}
        session.query(VendorMonth).update({"overall_score": D("91.5")})
        inputs, record = gather(session, tenant, partner, MARCH, lambda *_a: {})
        assert inputs.scores["overall"] == D("91.5") and record["score_sources"]["overall"]["how"] == "entered"


def test_with_no_figures_and_nothing_entered_the_scores_are_missing(db: Database) -> None:
    tenant, _ids = _site(db)
    with db.tenant(tenant) as session:
        bare = helpers.vendor(session, "bare")  # no queues, no agents
        inputs, record = gather(session, tenant, bare, MARCH, lambda *_a: {})
    assert inputs.scores == {"quality": None, "business": None, "overall": None}
    assert record["score_sources"]["business"] == {"how": "missing"}
