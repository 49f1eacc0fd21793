"""Data for the settlement tests: a vendor with a contract, agents with shifts adding up to given hours, QA
evaluations and the month's entries, all through the models in a tenant's scoped session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from hotline.platform.models import (
    Evaluation,
    Membership,
    Role,
    Shift,
    User,
    Vendor,
    VendorAgent,
    VendorContract,
    VendorMonth,
)
from hotline.platform.settlement.terms import EXAMPLE

#: The month the tests settle (the tenants of tests/platform/factories.py are in UTC).
MONTH_START = datetime(2026, 3, 1, tzinfo=UTC)


def agent(session: Session, name: str) -> int:
    """A user who is an agent of the session's tenant."""
    user = User(username=f"{name}{uuid.uuid4().hex[:8]}", display_name=name)
    session.add(user)
    session.flush()
    session.add(Membership(user_id=user.id, role=Role.AGENT))
    session.flush()
    return user.id


def shifts(session: Session, user_id: int, seat_type: str, hours: str, start: datetime = MONTH_START) -> None:
    """Shifts of 8 h a day from `start`, the last one shorter, adding up to exactly `hours`."""
    left = int(Decimal(hours) * 3600)
    day = 0
    while left > 0:
        length = min(left, 8 * 3600)
        begins = start + timedelta(days=day, hours=1)
        session.add(Shift(user_id=user_id, seat_type=seat_type, starts_at=begins,
                          ends_at=begins + timedelta(seconds=length), break_minutes=0))
        left -= length
        day += 1
    session.flush()


def vendor(session: Session, name: str = "partner", terms: dict[str, Any] | None = None, *,
           self_operated: bool = False, queues: list[str] | None = None) -> Vendor:
    row = Vendor(name=name, title=f"{name} 外包", self_operated=self_operated, queues=queues or [])
    session.add(row)
    session.flush()
    session.add(VendorContract(vendor_id=row.id, title="2026 合同", valid_from=MONTH_START.date().replace(month=1),
                               terms=terms if terms is not None else EXAMPLE))
    session.flush()
    return row


def member(session: Session, vendor_id: int, user_id: int, joined: str = "2025-01-01", left: str | None = None) -> None:
    session.add(VendorAgent(vendor_id=vendor_id, user_id=user_id, joined_on=datetime.fromisoformat(joined).date(),
                            left_on=datetime.fromisoformat(left).date() if left else None))
    session.flush()


def evaluation(session: Session, agent_id: int, total: float, at: datetime | None = None) -> None:
    session.add(Evaluation(call_uuid=uuid.uuid4().hex, agent_id=agent_id, reviewer="qa", sheet_name="s",
                           total=total, created_at=at or MONTH_START + timedelta(days=3)))
    session.flush()


def entries(session: Session, vendor_id: int, business: str = "88", overall: str = "95",
            achieved: str = "31234", incidents: int = 1) -> None:
    session.add(VendorMonth(vendor_id=vendor_id, month="2026-03", business_score=Decimal(business),
                            overall_score=Decimal(overall), achieved={"answered_calls": achieved},
                            penalties={"major_incident": incidents} if incidents else {}))
    session.flush()


def worked_month(session: Session, name: str = "partner") -> Vendor:
    """The worked example of test_formula.test_the_worked_month_to_the_cent, from shifts: 27826.23."""
    row = vendor(session, name)
    for label, seat_type, hours in (("a1", "agent", "166.64"), ("a2", "agent", "180"), ("a3", "agent", "83.32"),
                                    ("t1", "trainee", "100"), ("l1", "team_lead", "166.64")):
        uid = agent(session, label)
        member(session, row.id, uid)
        shifts(session, uid, seat_type, hours)
        if label == "a1":
            evaluation(session, uid, 90.0)
            evaluation(session, uid, 95.0)
    entries(session, row.id)
    return row
