"""Shifts drawn from the Erlang plan (staffing/plan.py): the fewest fixed-length shifts that give every interval of
the day at least the positions the plan asks for.

Greedy from the first interval: where the shifts started so far cover fewer positions than needed, start the
missing number of shifts there. For intervals of one length and shifts of one length this is the least number of
shifts (each one starts as late as it can while still covering the first interval short of people), and it never
leaves an interval short. A shift that would run past midnight starts earlier so it ends at midnight, so a proposal
stays inside the planned day. The planner then puts an agent on each proposed shift (the draw page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ProposedShift:
    starts_at: datetime  # local, as the plan's intervals
    ends_at: datetime


def propose(needed: Sequence[int], day_start: datetime, interval_minutes: int,
            shift_minutes: int) -> list[ProposedShift]:
    """Shifts covering `needed[i]` positions in interval i (of `interval_minutes`, from the local `day_start`)."""
    if shift_minutes < interval_minutes:
        raise ValueError("a shift must last at least one interval")
    length = -(-shift_minutes // interval_minutes)  # intervals a shift covers, rounded up
    count = len(needed)
    covered = [0] * count
    starts: list[int] = []
    for index, want in enumerate(needed):
        missing = want - covered[index]
        if missing <= 0:
            continue
        first = max(0, min(index, count - length))
        for _ in range(missing):
            starts.append(first)
            for cover in range(first, min(count, first + length)):
                covered[cover] += 1
    step = timedelta(minutes=interval_minutes)
    return [ProposedShift(day_start + first * step, day_start + first * step + timedelta(minutes=shift_minutes))
            for first in sorted(starts)]
