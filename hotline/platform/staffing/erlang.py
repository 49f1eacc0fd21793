"""Erlang C (M/M/N) and Erlang A (M/M/N+M, callers with exponential patience) for agent sizing.

Everything is computed with recurrences and in log space, never with factorials or powers of the load, so a
forecast of thousands of agents stays finite and exact: Erlang B by its recurrence gives Erlang C; Erlang A's
stationary distribution is a birth-death chain whose probabilities are summed relative to their largest term.

Erlang A's "answered within t" follows one caller through the queue: with j callers ahead it moves up when an
agent frees (N·mu) or one ahead gives up (i·theta), and leaves when its own patience runs out (theta). The
probability of being answered by t is computed by uniformization of that small chain, which is stable for any j.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Terms of a distribution smaller than e**-45 of the largest are dropped: far below the figures' precision.
_NEGLIGIBLE_LOG = -45.0


@dataclass(frozen=True)
class Staffing:
    """The figures of one agent count for one interval's forecast."""

    agents: int
    offered_erlangs: float
    p_wait: float
    service_level: float
    asa_seconds: float
    occupancy: float
    abandon_rate: float = 0.0  # Erlang A only: callers who give up ÷ callers offered


def offered_load(calls: float, interval_seconds: float, handle_seconds: float) -> float:
    """Traffic in Erlangs: calls per interval × handle time ÷ interval length."""
    if calls < 0 or interval_seconds <= 0 or handle_seconds <= 0:
        raise ValueError("calls must be 0 or more, interval and handle time above 0")
    return calls * handle_seconds / interval_seconds


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of N agents and no queue, by the recurrence B(n) = A·B(n-1) / (n + A·B(n-1))."""
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability that a caller waits (M/M/N); 1.0 when the agents cannot carry the load."""
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1.0 - blocking))


def erlang_c_staffing(agents: int, load: float, handle_seconds: float, target_seconds: float) -> Staffing:
    """Erlang C's figures for `agents` at `load`: P(wait), answered within target, ASA, occupancy."""
    p_wait = erlang_c(agents, load)
    if agents <= load:
        return Staffing(agents, load, 1.0, 0.0, math.inf, 1.0)
    spare = agents - load
    service_level = 1.0 - p_wait * math.exp(-spare * target_seconds / handle_seconds)
    return Staffing(agents, load, p_wait, service_level, p_wait * handle_seconds / spare, load / agents)


def _birth_death_log(agents: int, arrival: float, service: float, patience: float) -> list[float]:
    """log π_n (unnormalised) of M/M/N+M up to where the terms vanish."""
    logs = [0.0]
    peak = 0.0
    n = 0
    while True:
        n += 1
        rate = n * service if n <= agents else agents * service + (n - agents) * patience
        logs.append(logs[-1] + math.log(arrival / rate))
        peak = max(peak, logs[-1])
        if n > agents and logs[-1] < peak + _NEGLIGIBLE_LOG:
            return logs


def _answered_within(agents: int, most_ahead: int, service: float, patience: float, seconds: float) -> list[float]:
    """P(answered within `seconds`) for a caller who finds j = 0..most_ahead callers waiting ahead.

    Uniformization with one rate for every j: u_k(j) is the chance of being answered within k jumps of the
    uniformized chain, u_k(j) = stay_j·u_(k-1)(j) + forward_j·u_(k-1)(j-1) with u(-1) = 1; the answer weighs u_k
    by the Poisson number of jumps in `seconds`. One pass serves every j. A target of 0 s answers nobody who
    waits (no jumps happen in no time; the Poisson weights would need log 0).
    """
    if seconds <= 0:
        return [0.0] * (most_ahead + 1)
    total_rate = agents * service + (most_ahead + 1) * patience
    mean_jumps = total_rate * seconds
    max_jumps = int(mean_jumps + 12 * math.sqrt(mean_jumps) + 30)
    forward = [(agents * service + j * patience) / total_rate for j in range(most_ahead + 1)]
    stay = [1.0 - f - patience / total_rate for f in forward]
    within = [0.0] * (most_ahead + 1)
    answered = [0.0] * (most_ahead + 1)
    log_poisson = -mean_jumps
    for k in range(1, max_jumps + 1):
        answered = [stay[j] * answered[j] + forward[j] * (answered[j - 1] if j else 1.0)
                    for j in range(most_ahead + 1)]
        log_poisson += math.log(mean_jumps / k)
        weight = math.exp(log_poisson)
        for j in range(most_ahead + 1):
            within[j] += weight * answered[j]
    return within


def erlang_a_staffing(agents: int, calls: float, interval_seconds: float, handle_seconds: float,
                      patience_seconds: float, target_seconds: float) -> Staffing:
    """Erlang A's figures: callers give up after an exponential patience of mean `patience_seconds`.

    Service level is the share of all offered callers answered within the target (those who give up count as
    not answered); the ASA reported is the mean wait of every offered caller, answered or giving up (Lq ÷ λ),
    the figure Little's law gives without assuming who is answered.
    """
    if agents < 1 or patience_seconds <= 0 or target_seconds < 0:
        raise ValueError("agents must be 1 or more, patience above 0 and the target 0 s or more")
    arrival, service, patience = calls / interval_seconds, 1.0 / handle_seconds, 1.0 / patience_seconds
    load = offered_load(calls, interval_seconds, handle_seconds)
    if arrival == 0:
        return Staffing(agents, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    logs = _birth_death_log(agents, arrival, service, patience)
    peak = max(logs)
    weights = [math.exp(value - peak) for value in logs]
    total = sum(weights)
    pi = [w / total for w in weights]
    p_wait = sum(pi[agents:])
    queue_length = sum((n - agents) * pi[n] for n in range(agents, len(pi)))
    abandon = patience * queue_length / arrival
    most_ahead = max((n - agents for n in range(agents, len(pi)) if pi[n] > 1e-15), default=0)
    within = _answered_within(agents, most_ahead, service, patience, target_seconds)
    answered_in_time = sum(pi[:agents]) + sum(pi[agents + j] * within[j] for j in range(most_ahead + 1))
    asa = queue_length / arrival
    carried = load * (1.0 - abandon)
    return Staffing(agents, load, p_wait, answered_in_time, asa, carried / agents, abandon)


def agents_for(target_level: float, target_seconds: float, calls: float, interval_seconds: float,
               handle_seconds: float, patience_seconds: float | None = None, max_agents: int = 5000) -> Staffing:
    """The fewest agents that answer `target_level` of callers within `target_seconds` (Erlang C, or Erlang A
    when a patience is given). Raises ValueError naming the limit when no count up to `max_agents` meets it."""
    if not 0 < target_level < 1:
        raise ValueError("the service-level target must be between 0 and 1 (e.g. 0.8)")
    load = offered_load(calls, interval_seconds, handle_seconds)
    agents = max(1, math.floor(load) + (0 if patience_seconds else 1))
    while agents <= max_agents:
        figures = (erlang_a_staffing(agents, calls, interval_seconds, handle_seconds, patience_seconds,
                                     target_seconds) if patience_seconds
                   else erlang_c_staffing(agents, load, handle_seconds, target_seconds))
        if figures.service_level >= target_level:
            return figures
        agents += 1
    raise Unreachable({"most": str(max_agents), "level": f"{target_level:.0%}", "within": f"{target_seconds:g}",
                       "load": f"{load:.1f}"})


UNREACHABLE = "no number of agents up to %(most)s answers %(level)s within %(within)s s at %(load)s Erlangs"


class Unreachable(ValueError):
    """A target no count of agents up to the limit meets: the English template and its values, so the page
    can say it in the reader's language."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(UNREACHABLE % values)
        self.template, self.values = UNREACHABLE, values


def positions(agents: int, shrinkage: float) -> int:
    """Scheduled positions so that `agents` are on the phones after shrinkage (breaks, training, absence)."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be at least 0 and below 1 (e.g. 0.3 for 30%)")
    return math.ceil(agents / (1.0 - shrinkage) - 1e-9)
