"""Colour thresholds: which figures the supervisor colours, which way is worse, and the checks on a setting.

A figure is green until it reaches the amber level, amber until it reaches the red level, red beyond. For a
figure where more is worse (calls waiting, longest wait, abandon rate, average speed of answer) the amber
level must be below the red one; for the service level, where less is worse, amber must be above red. Either
level may be left empty (only a red alarm, say). A queue's own setting wins over the tenant-wide one, which
wins over the built-in defaults below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.wallboard import ALL_QUEUES, WallboardThreshold


@dataclass(frozen=True, slots=True)
class Metric:
    """A figure that can be coloured."""

    name: str
    label: str  # English UI text (the i18n key)
    unit: str  # "", "s" or "%"
    higher_is_worse: bool
    maximum: float | None = None  # percentages stop at 100


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("waiting", "Calls waiting", "", True),
    Metric("longest_wait", "Longest wait", "s", True),
    Metric("service_level", "Service level", "%", False, 100.0),
    Metric("abandon_rate", "Abandon rate", "%", True, 100.0),
    Metric("asa", "Average speed of answer", "s", True),
)}


@dataclass(frozen=True, slots=True)
class Levels:
    amber: float | None
    red: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"amber": self.amber, "red": self.red}


#: What a new tenant sees before its supervisor changes anything (common contact-centre targets).
DEFAULTS: dict[str, Levels] = {
    "waiting": Levels(3, 8),
    "longest_wait": Levels(30, 60),
    "service_level": Levels(80, 60),
    "abandon_rate": Levels(5, 10),
    "asa": Levels(15, 30),
}

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"


def colour(metric: str, value: float | None, levels: Levels) -> str:
    """green / amber / red for a value, or "none" when there is no value (no calls yet)."""
    if value is None:
        return NONE
    if METRICS[metric].higher_is_worse:
        if levels.red is not None and value >= levels.red:
            return RED
        if levels.amber is not None and value >= levels.amber:
            return AMBER
        return GREEN
    if levels.red is not None and value <= levels.red:
        return RED
    if levels.amber is not None and value <= levels.amber:
        return AMBER
    return GREEN


def check(metric: str, amber: float | None, red: float | None) -> list[str]:
    """What is wrong with a pair of levels for `metric`, in words (English i18n keys with {placeholders})."""
    spec = METRICS.get(metric)
    if spec is None:
        return [f"unknown figure {metric!r}"]
    problems = []
    for value in (amber, red):
        if value is None:
            continue
        if value < 0:
            problems.append("Levels cannot be negative.")
        elif spec.maximum is not None and value > spec.maximum:
            problems.append("A percentage cannot be above 100.")
    if amber is not None and red is not None and not problems:
        if spec.higher_is_worse and amber >= red:
            problems.append("Amber must be below red (a higher value is worse).")
        if not spec.higher_is_worse and amber <= red:
            problems.append("Amber must be above red (a lower value is worse).")
    return problems


@dataclass(frozen=True, slots=True)
class ThresholdSet:
    """All levels of one tenant: tenant-wide rows and per-queue rows, resolved against the defaults."""

    tenant_wide: Mapping[str, Levels]
    per_queue: Mapping[str, Mapping[str, Levels]]

    def levels(self, metric: str, queue: str | None = None) -> Levels:
        if queue is not None and metric in self.per_queue.get(queue, {}):
            return self.per_queue[queue][metric]
        return self.tenant_wide.get(metric, DEFAULTS[metric])

    def for_queue(self, queue: str | None) -> dict[str, Levels]:
        return {name: self.levels(name, queue) for name in METRICS}


def load(session: Session) -> ThresholdSet:
    """The thresholds of the session's tenant (one query; the session is tenant-scoped)."""
    tenant_wide: dict[str, Levels] = {}
    per_queue: dict[str, dict[str, Levels]] = {}
    for row in session.scalars(select(WallboardThreshold)):
        if row.metric not in METRICS:
            continue  # a figure retired since: ignored, not an error on the live board
        levels = Levels(row.amber, row.red)
        if row.queue == ALL_QUEUES:
            tenant_wide[row.metric] = levels
        else:
            per_queue.setdefault(row.queue, {})[row.metric] = levels
    return ThresholdSet(tenant_wide, per_queue)


def save(session: Session, tenant_id: int, queue: str | None, levels: Mapping[str, Levels], actor: str) -> None:
    """Stores the levels of one scope (the tenant when `queue` is None or "", else that queue).

    For a queue, a metric whose levels are both empty has no row, so it follows the tenant-wide setting.
    Callers check the levels first (`check`); this refuses anything unchecked rather than storing it.
    """
    scope = queue or ALL_QUEUES
    for metric, pair in levels.items():
        problems = check(metric, pair.amber, pair.red)
        if problems:
            raise ValueError(f"{metric}: {' '.join(problems)}")
    existing = {row.metric: row for row in session.scalars(
        select(WallboardThreshold).where(WallboardThreshold.queue == scope))}
    for metric, pair in levels.items():
        row = existing.get(metric)
        inherit = scope != ALL_QUEUES and pair.amber is None and pair.red is None
        if inherit:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = WallboardThreshold(tenant_id=tenant_id, queue=scope, metric=metric)
            session.add(row)
        row.amber, row.red, row.updated_by = pair.amber, pair.red, actor
    session.flush()


def queue_overrides(thresholds: ThresholdSet) -> Iterable[str]:
    """Queues that have a setting of their own."""
    return sorted(thresholds.per_queue)
