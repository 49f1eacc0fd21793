"""The dialer's pacing by mode (runtime/dialer/pacing.py): progressive never opens more lines than free agents,
predictive keeps the measured abandon rate under the campaign's cap over a simulated run (bench/dialer_sim.py's
seeded discrete-event day), and falls back to progressive while a span's measured rate is at the cap."""

from __future__ import annotations

from bench.dialer_sim import Day, Progressive, simulate
from hotline.platform.outbound.dialing import CampaignRef
from hotline.platform.outbound.measures import Measures
from hotline.runtime.dialer.pacing import Pacer


def _ref(mode: str, cap: float = 0.03, max_lines: int = 1000) -> CampaignRef:
    return CampaignRef(1, 1, mode, "outbound", None, max_lines, cap)


class DialerPacing:
    """The simulation's policy interface over the live dialer's Pacer (its model learns from the simulated calls,
    its safety line reads the simulated abandons as the database's measures would)."""

    name = "dialer pacer"

    def __init__(self, cap: float) -> None:
        self.pacer = Pacer(_ref("predictive", cap))
        self.model = self.pacer.model
        self.answers = self.drops = 0

    def lines(self, now: float, ringing: int, free: int, busy: list[float]) -> int:
        spans = {span: (self.answers, self.drops) for span in ("campaign", "today", "24h")}
        self.pacer.measures = Measures(answered=self.answers, abandoned=self.drops, spans=spans)
        return self.pacer.lines(ringing, 0, free, busy)

    def answered(self, dropped: bool) -> None:
        self.answers += 1
        if dropped:
            self.drops += 1
            self.model.record_abandon()


def test_predictive_keeps_the_abandon_rate_under_the_cap_over_a_simulated_run() -> None:
    for cap, seed in ((0.03, 5), (0.01, 9)):
        day = Day(agents=20, seconds=2 * 3600, answer_rate=0.25, handle_mean=150, seed=seed)
        ours = simulate(day, DialerPacing(cap))
        progressive = simulate(day, Progressive())
        assert ours.abandon_rate <= cap, (cap, ours)
        assert ours.occupancy > progressive.occupancy  # and it buys occupancy for the margin it spends


def test_progressive_opens_one_line_per_free_agent_within_max_lines() -> None:
    pacer = Pacer(_ref("progressive", max_lines=6))
    assert pacer.lines(ringing=0, live=0, free=4, busy_elapsed=[]) == 4
    assert pacer.lines(ringing=1, live=1, free=4, busy_elapsed=[]) == 2  # ringing and answered-waiting count
    assert pacer.lines(ringing=0, live=0, free=9, busy_elapsed=[]) == 6  # the campaign's share of trunks
    assert pacer.lines(ringing=3, live=0, free=2, busy_elapsed=[]) == 0


def test_predictive_at_the_safety_line_dials_progressively() -> None:
    pacer = Pacer(_ref("predictive"))
    for i in range(400):
        pacer.model.record_dial_result(i % 4 == 0, 8.0)
        pacer.model.record_handle(150.0)
    free_running = pacer.lines(0, 0, 10, [])
    assert free_running > 10  # more lines than free agents
    pacer.measures = Measures(answered=100, abandoned=3, spans={"campaign": (1000, 3), "today": (100, 3),
                                                                 "24h": (100, 3)})
    assert pacer.at_safety_line() and pacer.lines(0, 0, 10, []) == 10
