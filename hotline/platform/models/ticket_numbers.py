"""The last ticket number given out per tenant and day (PostgreSQL), so that creators never wait for each other.

A ticket number is the day (YYMMDD) and a daily sequence. Counting the day's tickets cannot see tickets that
other transactions have not committed, so concurrent creators collided (500s under load), and locking the
count until commit made them queue behind each other (seconds per save with 30 agents). The counter is
incremented in its own short transaction instead: numbers never repeat and nobody waits; a creation that
rolls back leaves a gap, which a ticket number may have.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class TicketNumberCounter(Base):
    __tablename__ = "ticket_number_counter"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
