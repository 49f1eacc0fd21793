"""How many lines a campaign opens now, by mode.

* progressive: one line per free agent (less the lines already ringing or answered and waiting);
* predictive: the PacingModel (platform/outbound/pacing.py) re-estimated every few seconds from the campaign's
  attempts (platform/outbound/measures.py); the abandon cap is a hard constraint: while the measured rate over
  the campaign, today or 24 hours is at the cap's safety line, the campaign dials progressively, which abandons
  nothing a free agent cannot take;
* agentless: up to `max_lines` calls at once.
Every mode stays within the campaign's `max_lines` (its share of the trunks).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime

from ...platform.db import Database
from ...platform.outbound.dialing import CampaignRef
from ...platform.outbound.measures import Measures, measure
from ...platform.outbound.pacing import PacingModel

#: Seconds between re-estimates from the database.
REFRESH_SECONDS = 5.0
#: The share of the cap at which predictive falls back to progressive (the hard constraint's safety line).
SAFETY_LINE = 0.9


class Pacer:
    def __init__(self, campaign: CampaignRef) -> None:
        self.campaign = campaign
        self.model = PacingModel(abandon_cap=campaign.abandon_cap)
        self.measures = Measures()
        self._refreshed = float("-inf")

    async def refresh(self, db: Database, now: datetime, *, force: bool = False) -> None:
        if self.campaign.mode != "predictive" or (not force and time.monotonic() - self._refreshed < REFRESH_SECONDS):
            return
        self._refreshed = time.monotonic()

        def read() -> Measures:
            with db.tenant(self.campaign.tenant_id) as session:
                return measure(session, self.campaign.id, now)

        found = await asyncio.to_thread(read)
        self.measures = found
        model = self.model
        model.abandon_cap = self.campaign.abandon_cap
        model.dialled, model.answered, model.abandoned = found.dialled, found.answered, found.abandoned
        model.handle_times = list(found.handle_times)
        model.ring_times = list(found.ring_times)

    def dial_result(self, answered: bool) -> None:
        """Between re-estimates, each result updates the answer rate at once."""
        self.model.dialled += 1
        self.model.answered += 1 if answered else 0

    def at_safety_line(self) -> bool:
        line = self.campaign.abandon_cap * SAFETY_LINE
        return any(self.measures.abandon_rate(span) >= line for span in ("campaign", "today", "24h")
                   if self.measures.spans.get(span, (0, 0))[1])

    def lines(self, ringing: int, live: int, free: int, busy_elapsed: Sequence[float]) -> int:
        room = self.campaign.max_lines - ringing - live - len(busy_elapsed)
        if self.campaign.mode == "predictive" and not self.at_safety_line():
            wanted = self.model.lines_to_open(ringing + live, free, busy_elapsed)
        else:
            wanted = free - ringing - live
        return max(0, min(wanted, room))
