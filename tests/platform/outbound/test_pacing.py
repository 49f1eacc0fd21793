"""Predictive pacing: lines follow the measured answer rate and agents' expected release, the abandon cap
holds over a simulated day (bench/dialer_sim.py's seeded simulation), and an overrun tightens the pacing."""

from __future__ import annotations

from bench.dialer_sim import Day, Ours, Progressive, simulate
from hotline.platform.outbound.pacing import PacingModel


def _warmed(answer_rate: float, handle: float = 180.0) -> PacingModel:
    model = PacingModel(abandon_cap=0.03)
    for i in range(200):
        model.record_dial_result(i < answer_rate * 200, 10.0)
        model.record_handle(handle)
    return model


def test_no_agents_no_lines_and_more_lines_for_a_lower_answer_rate() -> None:
    model = _warmed(0.25)
    assert model.lines_to_open(ringing=0, free_agents=0, busy_elapsed=[]) == 0
    low, high = _warmed(0.20), _warmed(0.40)
    assert low.lines_to_open(0, 10, []) > high.lines_to_open(0, 10, []) > 10
    # lines already ringing count against what is opened now
    assert model.lines_to_open(ringing=20, free_agents=10, busy_elapsed=[]) < model.lines_to_open(0, 10, [])


def test_agents_about_to_finish_are_counted_and_fresh_ones_are_not() -> None:
    model = PacingModel(abandon_cap=0.03)
    for i in range(200):
        model.record_dial_result(i % 4 == 0, 10.0)
        model.record_handle(100.0 + i % 50)  # calls last 100-149 s
    about_to_finish = model.lines_to_open(0, 2, busy_elapsed=[145.0] * 10)
    just_started = model.lines_to_open(0, 2, busy_elapsed=[1.0] * 10)
    assert about_to_finish > just_started


def test_an_abandon_overrun_tightens_the_pacing() -> None:
    calm = _warmed(0.25)
    overrun = _warmed(0.25)
    for _ in range(4):  # 4 abandons over 50 answers: 8%, above the 3% cap
        overrun.record_abandon()
    assert overrun.budget() < calm.budget()
    assert overrun.lines_to_open(0, 20, []) < calm.lines_to_open(0, 20, [])


def test_the_cap_holds_over_a_simulated_day_and_beats_progressive() -> None:
    day = Day(agents=20, seconds=2 * 3600, answer_rate=0.25, handle_mean=180, seed=11)
    ours = simulate(day, Ours())
    progressive = simulate(day, Progressive())
    assert ours.abandon_rate <= 0.03
    assert ours.occupancy > progressive.occupancy + 0.05
