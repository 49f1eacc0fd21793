"""Score computation (weights, a fatal item), sheet checks at publish, calibration spread, seeded sampling."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.services import qa_sampling, quality

from ..platform import factories

SHEET = {"sections": [
    {"title": "Manner", "items": [{"key": "greeting", "label": "Greeting", "weight": 15},
                                  {"key": "closing", "label": "Closing", "weight": 15}]},
    {"title": "Business", "items": [{"key": "accuracy", "label": "Accuracy", "weight": 50},
                                    {"key": "ticket", "label": "Ticket", "weight": 20},
                                    {"key": "abuse", "label": "Abuse", "fatal": True}]}]}


def _answers(abuse: bool = False, **points: float) -> dict:
    base = {"greeting": 15, "closing": 10, "accuracy": 37.5, "ticket": 20}
    base.update(points)
    return {**{k: {"points": v} for k, v in base.items()}, "abuse": {"failed": abuse}}


def test_total_is_the_sum_of_weighted_points() -> None:
    assert quality.compute(SHEET, _answers()) == (82.5, False)


def test_a_failed_fatal_item_sets_the_total_to_zero() -> None:
    assert quality.compute(SHEET, _answers(abuse=True)) == (0.0, True)


def test_every_missing_or_out_of_range_answer_is_named() -> None:
    answers = _answers(greeting=16)
    del answers["ticket"]
    answers["abuse"] = {"failed": "yes"}
    answers["extra"] = {"points": 1}
    with pytest.raises(quality.InvalidQuality) as caught:
        quality.compute(SHEET, answers)
    assert caught.value.problems == ["/answers/greeting/points: a number from 0 to 15 (Greeting)",
                                     "/answers/ticket: not answered (Ticket)",
                                     "/answers/abuse/failed: true or false (Abuse)",
                                     "/answers/extra: no such item on the sheet"]


def test_a_sheet_whose_weights_do_not_sum_to_100_is_refused_at_publish_only() -> None:
    sheet = {"sections": [{"title": "A", "items": [{"key": "a", "label": "A", "weight": 60},
                                                   {"key": "b", "label": "B", "weight": 30}]}]}
    assert quality.sheet_problems(sheet, publishing=False) == []
    assert quality.sheet_problems(sheet, publishing=True) == ["/sections: the weights sum to 90, not 100 (A 90)"]
    assert quality.sheet_problems(SHEET, publishing=True) == []
    bad = {"sections": [{"title": "", "items": [{"key": "A b", "label": "x", "weight": 101},
                                                {"key": "f", "label": "F", "fatal": True, "weight": 5}]}]}
    assert quality.sheet_problems(bad, publishing=True) == [
        "/sections/0/title: 1 to 200 characters",
        "/sections/0/items/0/key: lower-case letters, digits and _ (starting with a letter), at most 40",
        "/sections/0/items/0/weight: a number from 0 to 100",
        "/sections/0/items/1/weight: a fatal item carries no points (it sets the score to 0)"]


def test_calibration_spread_per_item_and_total() -> None:
    evs = [SimpleNamespace(sheet=SHEET, answers=_answers(), total=82.5, reviewer="r1"),
           SimpleNamespace(sheet=SHEET, answers=_answers(accuracy=20, greeting=5), total=55.0, reviewer="r2"),
           SimpleNamespace(sheet=SHEET, answers=_answers(abuse=True), total=0.0, reviewer="r3")]
    result = quality.spread(evs)  # type: ignore[arg-type]
    by_key = {row["key"]: row for row in result["items"]}
    assert by_key["accuracy"]["values"] == [37.5, 20.0, 37.5] and by_key["accuracy"]["spread"] == 17.5
    assert by_key["greeting"]["spread"] == 10 and by_key["ticket"]["spread"] == 0
    assert by_key["abuse"]["values"] == [0.0, 0.0, 1.0] and by_key["abuse"]["spread"] == 1
    assert result["total"]["spread"] == 82.5 and result["reviewers"] == ["r1", "r2", "r3"]


def test_the_weekly_sample_is_reproducible_with_a_seed(db: Database) -> None:
    zone = ZoneInfo("Asia/Shanghai")
    monday = date(2026, 3, 9)
    with db.platform() as session:
        tenant = factories.tenant(session, "qs").id
        agents = [factories.user(session).id for _ in range(3)]
    with db.tenant(tenant) as session:
        start = datetime(2026, 3, 9, 0, 30, tzinfo=zone).astimezone(UTC)
        for n in range(60):
            session.add(CallRecord(uuid=f"q{tenant}-{n:03d}", did="400", caller="138", agent_id=agents[n % 3],
                                   started_at=start + timedelta(hours=2 * n), recording=f"calls/{n}.wav"))
        # outside the week, unrecorded, a test call: never sampled
        session.add(CallRecord(uuid=f"q{tenant}-late", did="400", caller="138", agent_id=agents[0],
                               started_at=start + timedelta(days=7), recording="x.wav"))
        session.add(CallRecord(uuid=f"q{tenant}-norec", did="400", caller="138", agent_id=agents[0],
                               started_at=start))
        session.add(CallRecord(uuid=f"q{tenant}-test", did="400", caller="138", agent_id=agents[0],
                               started_at=start, recording="t.wav", test_call=True))
    with db.tenant(tenant) as session:
        first = [c.uuid for c in qa_sampling.sample(session, monday + timedelta(days=3), zone, 4, "s1")]
        again = [c.uuid for c in qa_sampling.sample(session, monday, zone, 4, "s1")]
        other = [c.uuid for c in qa_sampling.sample(session, monday, zone, 4, "s2")]
    owner = {f"q{tenant}-{n:03d}": agents[n % 3] for n in range(60)}
    per_agent = {a: sum(1 for u in first if owner[u] == a) for a in agents}
    assert first == again and len(first) == 12 and first != other
    assert per_agent == dict.fromkeys(agents, 4)
    assert not any(u.endswith(("late", "norec", "test")) for u in first)
