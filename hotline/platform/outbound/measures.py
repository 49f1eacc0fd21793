"""What a campaign's attempts measure: answer rate, abandon rate over the campaign, the day and 24 hours, handle
and ring times. The predictive dialer re-estimates its model from these (every few seconds, so several dialer
processes pace from the same figures), and holds the abandon cap over all three spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Campaign, DialAttempt
from .compliance import _zone

#: Handle and ring times read back (the newest); enough for the model's empirical distribution.
SAMPLE = 2000


@dataclass
class Measures:
    dialled: int = 0
    answered: int = 0  # live answers by a person (abandoned ones included; machines not)
    abandoned: int = 0
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # span -> (answered, abandoned)
    handle_times: list[float] = field(default_factory=list)
    ring_times: list[float] = field(default_factory=list)

    def abandon_rate(self, span: str) -> float:
        answered, abandoned = self.spans.get(span, (0, 0))
        return abandoned / answered if answered else 0.0


def measure(session: Session, campaign_id: int, now: datetime) -> Measures:
    """The campaign's figures now: spans "campaign", "today" (in the campaign's zone) and "24h"."""
    campaign = session.get(Campaign, campaign_id)
    zone: ZoneInfo = _zone((campaign.windows or {}).get("timezone") if campaign else None, "Asia/Shanghai")
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    since = {"today": midnight, "24h": now - timedelta(hours=24)}
    result = Measures()
    counts = {"campaign": [0, 0], "today": [0, 0], "24h": [0, 0]}
    rows = session.execute(select(DialAttempt.at, DialAttempt.outcome, DialAttempt.abandoned, DialAttempt.answered_at,
                                  DialAttempt.ended_at, DialAttempt.agent)
                           .where(DialAttempt.campaign_id == campaign_id, DialAttempt.outcome.not_in(
                               ("skipped", "dialing", "lost")))
                           .order_by(DialAttempt.id.desc()))
    for at, outcome, abandoned, answered_at, ended_at, agent in rows:
        result.dialled += 1
        if answered_at is None or outcome == "machine":
            continue
        live = 1
        for span, counter in counts.items():
            if span == "campaign" or at >= since[span]:
                counter[0] += live
                counter[1] += 1 if abandoned else 0
        if len(result.ring_times) < SAMPLE:
            result.ring_times.append(max(0.0, (answered_at - at).total_seconds()))
        if agent and ended_at is not None and len(result.handle_times) < SAMPLE:
            result.handle_times.append(max(0.0, (ended_at - answered_at).total_seconds()))
    result.answered, result.abandoned = counts["campaign"]
    result.spans = {span: (c[0], c[1]) for span, c in counts.items()}
    result.handle_times.sort()
    return result
