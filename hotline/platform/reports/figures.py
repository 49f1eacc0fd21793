"""Ratios and percentiles computed from summed interval rows (never averaged averages)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..models.reports import HANDLE_BUCKETS, HANDLE_COLUMNS


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _avg(total: float, count: float) -> float | None:
    return round(total / count, 1) if count else None


def handle_p90(sums: Mapping[str, float]) -> float | None:
    """The 90th percentile of handle time from the histogram: the nearest-rank caller's bucket, interpolated
    linearly inside it (exact when that bucket holds one value at its upper edge; within one bucket's width,
    30-600 s, otherwise). The rows' longest handle time (`handle_max`) closes the bucket that holds it, so the
    percentile is never above the longest call (QA: 45 s for three 35 s calls); above the last edge (3600 s) the
    longest call bounds the open bucket, else the edge itself is given."""
    counts = [int(sums.get(c, 0)) for c in HANDLE_COLUMNS]
    total = sum(counts)
    if not total:
        return None
    rank = math.ceil(0.9 * total)
    longest = float(sums.get("handle_max") or 0) or math.inf  # 0: rows written before the column existed
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= rank:
            low = HANDLE_BUCKETS[index - 1] if index else 0
            if index == len(HANDLE_BUCKETS):
                return round(longest, 1) if math.isfinite(longest) and longest > low else float(low)
            high = min(HANDLE_BUCKETS[index], longest) if longest > low else HANDLE_BUCKETS[index]
            estimate = low + (high - low) * (rank - seen) / count
            return round(min(estimate, longest, _longest_possible(counts, sums.get("handle_sum"), index)), 1)
        seen += count
    return None


def _longest_possible(counts: list[int], handle_sum: float | None, index: int) -> float:
    """An upper bound of the longest handle time: the sum less the least every other call can hold (each at
    least its bucket's lower edge). The histogram alone put p90 at a bucket's top, above every call (QA: 60 s
    for three 35 s calls); no call is longer than this bound, so neither is the percentile."""
    if handle_sum is None:
        return math.inf
    lows = [HANDLE_BUCKETS[i - 1] if i else 0 for i in range(len(counts))]
    others = sum(c * low for c, low in zip(counts, lows, strict=True)) - lows[index]
    return max(float(handle_sum) - others, float(lows[index]))


def service_level(in_target: float, offered: float, short: float) -> float | None:
    """Service level in %: answered within the queue's target ÷ (offered − short abandons). The one definition the
    reports, the site dashboard and the wallboard share, so the same calls never show two service levels."""
    return _pct(in_target, offered - short)


def abandon_rate(abandoned_queue: float, offered: float, short: float) -> float | None:
    """Abandon rate in %: queue abandons (short ones apart) ÷ (offered − short abandons); the one definition of the
    reports, the site dashboard and the wallboard (QA 14: the wallboard counted the short abandons too)."""
    return _pct(abandoned_queue, offered - short)


def asa(wait_sum: float, wait_count: float) -> float | None:
    """Average speed of answer in s: the answered calls' waits, queue entry to the agent's answer with the ring
    time (classify.answer_wait), ÷ answered calls with a known wait; shared by reports, dashboard and wallboard
    (QA 14: the wallboard stopped the wait when an agent was claimed)."""
    return _avg(wait_sum, wait_count)


def call_figures(s: Mapping[str, float]) -> dict[str, Any]:
    """The figures of summed call rows. Service level: answered within target ÷ (offered − short abandons)."""
    offered = s.get("offered", 0)
    short = s.get("abandoned_short", 0)
    return {
        "calls": int(s.get("calls", 0)),
        "offered": int(offered),
        "answered": int(s.get("answered", 0)),
        "abandoned_ivr": int(s.get("abandoned_ivr", 0)),
        "abandoned_queue": int(s.get("abandoned_queue", 0)),
        "abandoned_short": int(short),
        "timed_out": int(s.get("timed_out", 0)),
        "answered_in_target": int(s.get("answered_in_target", 0)),
        "service_level": service_level(s.get("answered_in_target", 0), offered, short),
        "abandon_rate": abandon_rate(s.get("abandoned_queue", 0), offered, short),
        "timeout_rate": _pct(s.get("timed_out", 0), offered - short),
        "asa": asa(s.get("wait_sum", 0), s.get("wait_count", 0)),
        "aht": _avg(s.get("handle_sum", 0), s.get("handle_count", 0)),
        "aht_p90": handle_p90(s),
        "transfers": int(s.get("transfers", 0)),
        "callbacks": int(s.get("callbacks", 0)),
        "self_service": int(s.get("self_service", 0)),
        "self_service_rate": _pct(s.get("self_service", 0), s.get("calls", 0)),
        "surveys": int(s.get("survey_count", 0)),
        "satisfaction": _pct(s.get("survey_satisfied", 0), s.get("survey_count", 0)),
        "survey_average": _avg(s.get("survey_sum", 0), s.get("survey_count", 0)),
    }


CALL_FIGURES = tuple(call_figures({}).keys())


def ticket_figures(s: Mapping[str, float]) -> dict[str, Any]:
    """响应及时率 = responded in time ÷ (responded + unanswered past their response due, `response_overdue`);
    完成及时率 = completed in time ÷ completed."""
    r_in, r_late = s.get("responded_in_time", 0), s.get("responded_late", 0)
    overdue = s.get("response_overdue", 0)
    c_in, c_late = s.get("completed_in_time", 0), s.get("completed_late", 0)
    return {
        "created": int(s.get("created", 0)),
        "responded_in_time": int(r_in),
        "responded_late": int(r_late),
        "response_overdue": int(overdue),
        "response_rate": _pct(r_in, r_in + r_late + overdue),
        "completed_in_time": int(c_in),
        "completed_late": int(c_late),
        "completion_rate": _pct(c_in, c_in + c_late),
        "urges": int(s.get("urges", 0)),
        "urged_tickets": int(s.get("urged_tickets", 0)),
        "complaints": int(s.get("complaints", 0)),
    }


TICKET_FIGURES = tuple(ticket_figures({}).keys())
