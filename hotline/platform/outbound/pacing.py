"""How many lines the predictive dialer opens now, from what it has measured so far.

At each decision the dialer knows the calls already ringing, the free agents, and how long each busy agent has
been talking. It predicts, over the horizon in which the calls it dials now would be answered:

* answers: each line is answered with the measured answer rate (calls still ringing keep their chance);
* agents: free agents, plus each busy agent who finishes within the horizon — the chance read from the
  measured handle times of calls that lasted at least as long as this one has so far (no distribution assumed).

It then opens the largest number of new lines whose expected abandoned answers (answers beyond agents, the
expectation taken over both binomials) stay within the abandon budget. The budget is the cap less a margin,
and it shrinks when the measured abandon rate runs above it, so the cap holds over the campaign, the day and
24 hours, not only on average: the cap is a hard constraint, and occupancy is what it buys.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Lines per free agent at most, whatever the model says (protects against a mis-estimated answer rate).
MAX_LINES_PER_AGENT = 5.0
#: Before this many calls have ended, the answer rate and handle times are priors, and the dialer is cautious.
WARM_UP_CALLS = 30


@dataclass
class PacingModel:
    """What the dialer has measured, updated as calls end; `lines_to_open` decides."""

    abandon_cap: float = 0.03
    margin: float = 0.25  # the share of the cap kept back as a safety margin
    prior_answer_rate: float = 0.25
    prior_handle_seconds: float = 180.0
    dialled: int = 0
    answered: int = 0
    abandoned: int = 0
    handle_times: list[float] = field(default_factory=list)  # sorted
    ring_times: list[float] = field(default_factory=list)  # seconds to answer, of answered calls

    def record_dial_result(self, answered: bool, ring_seconds: float) -> None:
        self.dialled += 1
        if answered:
            self.answered += 1
            self.ring_times.append(ring_seconds)

    def record_abandon(self) -> None:
        self.abandoned += 1

    def record_handle(self, seconds: float) -> None:
        bisect.insort(self.handle_times, seconds)

    @property
    def answer_rate(self) -> float:
        weight = min(1.0, self.dialled / WARM_UP_CALLS)
        measured = self.answered / self.dialled if self.dialled else self.prior_answer_rate
        return weight * measured + (1 - weight) * self.prior_answer_rate

    @property
    def horizon(self) -> float:
        """Seconds until a line dialled now is answered, typically (the median measured ring time)."""
        if not self.ring_times:
            return 12.0
        ordered = sorted(self.ring_times[-500:])
        return ordered[len(ordered) // 2]

    def finish_chance(self, elapsed: float, within: float) -> float:
        """P(a call that has lasted `elapsed` s ends within `within` s more), from the measured handle times."""
        times = self.handle_times
        if len(times) < WARM_UP_CALLS:
            return 1.0 - math.exp(-within / self.prior_handle_seconds)
        still = len(times) - bisect.bisect_left(times, elapsed)
        if still == 0:
            return 0.5
        ended = bisect.bisect_right(times, elapsed + within) - bisect.bisect_left(times, elapsed)
        return ended / still

    def budget(self) -> float:
        """Expected abandons allowed per expected answer now: the cap less the margin, less any overrun."""
        target = self.abandon_cap * (1.0 - self.margin)
        if self.answered >= WARM_UP_CALLS:
            measured = self.abandoned / self.answered
            if measured > target:
                target *= max(0.0, 1.0 - (measured - target) / target)
        return max(0.0, target)

    def lines_to_open(self, ringing: int, free_agents: int, busy_elapsed: Sequence[float]) -> int:
        """New lines to dial now, given lines ringing, free agents and busy agents' elapsed talk times."""
        if free_agents + len(busy_elapsed) == 0:
            return 0
        p = self.answer_rate
        horizon = self.horizon
        agents = _distribution_of_sum([1.0] * free_agents + [self.finish_chance(e, horizon) for e in busy_elapsed])
        budget = self.budget()
        excess = _ExcessOver(agents)
        cap = max(0, int(MAX_LINES_PER_AGENT * max(1, free_agents)) - ringing)

        def within_budget(extra: int) -> bool:
            lines = ringing + extra
            if lines == 0:
                return True
            return excess.expected(_binomial(lines, p)) <= budget * p * lines

        if not within_budget(0):
            return 0
        low, high = 0, cap  # the loss ratio grows with the lines: the largest extra within budget, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            if within_budget(middle):
                low = middle
            else:
                high = middle - 1
        return low


#: Above this many terms a sum of Bernoullis is taken as a discretized normal (the error is far below the
#: noise in the measured rates, and a decision stays under a millisecond for hundreds of agents).
EXACT_TERMS = 48


def _normal(mean: float, variance: float, upper: int) -> list[float]:
    """P(S = k), k = 0..upper, of a discretized normal (continuity-corrected), renormalised."""
    sd = math.sqrt(max(variance, 1e-9))
    low = max(0, int(mean - 7 * sd))
    high = min(upper, int(mean + 7 * sd) + 1)
    probs = [0.0] * (high + 1)

    def cdf(x: float) -> float:
        return 0.5 * (1 + math.erf((x - mean) / (sd * math.sqrt(2))))

    for k in range(low, high + 1):
        probs[k] = cdf(k + 0.5) - cdf(k - 0.5)
    total = sum(probs) or 1.0
    return [prob / total for prob in probs]


def _binomial(n: int, p: float) -> list[float]:
    """P(X = k) for k = 0..n, X ~ Binomial(n, p), by the stable recurrence (normal beyond EXACT_TERMS)."""
    if n > EXACT_TERMS and 0 < p < 1:
        return _normal(n * p, n * p * (1 - p), n)
    if n == 0:
        return [1.0]
    if p <= 0:
        return [1.0] + [0.0] * n
    if p >= 1:
        return [0.0] * n + [1.0]
    probs = [0.0] * (n + 1)
    probs[0] = (1 - p) ** n
    ratio = p / (1 - p)
    for k in range(1, n + 1):
        probs[k] = probs[k - 1] * ratio * (n - k + 1) / k
    return probs


def _distribution_of_sum(chances: Sequence[float]) -> list[float]:
    """P(S = k) for S the sum of independent Bernoulli(chance) (a Poisson-binomial), by convolution."""
    if len(chances) > EXACT_TERMS:
        return _normal(sum(chances), sum(c * (1 - c) for c in chances), len(chances))
    dist = [1.0]
    for chance in chances:
        nxt = [0.0] * (len(dist) + 1)
        for k, prob in enumerate(dist):
            nxt[k] += prob * (1 - chance)
            nxt[k + 1] += prob * chance
        dist = nxt
    return dist


class _ExcessOver:
    """E[(X − A)+] for answers X against a fixed distribution of agents A, in O(len(X)) per X.

    E[(x − A)+] = x·F(x−1) − G(x−1), with F(k) = P(A ≤ k) and G(k) = Σ_{a≤k} a·P(A = a), both precomputed.
    """

    def __init__(self, agents: Sequence[float]) -> None:
        self.cdf: list[float] = []
        self.first_moment: list[float] = []
        cdf = moment = 0.0
        for a, prob in enumerate(agents):
            cdf += prob
            moment += a * prob
            self.cdf.append(cdf)
            self.first_moment.append(moment)

    def expected(self, answers: Sequence[float]) -> float:
        last = len(self.cdf) - 1
        total = 0.0
        for x, px in enumerate(answers):
            if x == 0 or px < 1e-12:
                continue
            k = min(x - 1, last)
            total += px * (x * self.cdf[k] - self.first_moment[k])
        return total
