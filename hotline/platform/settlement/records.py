"""Vendors, their agents, contracts and monthly entries, as the settlement pages edit them.

Every function runs in the tenant's scoped session (another tenant's vendor is not found) and checks what a
tenant typed before it is stored: a bad field is named ("/path: what is expected") and nothing is saved.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Membership, Queue, Vendor, VendorAgent, VendorContract, VendorMonth
from ..models.base import utcnow
from ..schedules.service import SCHEDULED_ROLES
from ..services import audit
from ..services.errors import ServiceError
from .inputs import contract_for, parse_month
from .statements import vendor
from .terms import CODE, CODE_RULE, Problem, decimal, problems

MAX_QUEUES = 50
MAX_NOTE = 2000


class InvalidSettlementInput(ServiceError):
    """Bad vendor, contract or monthly entry; `problems` holds every one as "path: reason"."""

    def __init__(self, what: str, found: list[Problem]) -> None:
        super().__init__(f"{what}: " + "; ".join(found))
        self.problems = found


def save_vendor(session: Session, name: str, title: str, self_operated: bool, queues: list[str], actor: str,
                vendor_id: int | None = None, active: bool = True) -> Vendor:
    """Creates a vendor (vendor_id None) or updates one; an inactive vendor leaves the comparison page but keeps
    its agents, contracts and statements."""
    found: list[Problem] = []
    if vendor_id is None and (not isinstance(name, str) or not CODE.match(name)):
        found.append(Problem("/name", CODE_RULE))
    title = (title or "").strip()
    if not 1 <= len(title) <= 200:
        found.append(Problem("/title", "1 to {most} characters", most=200))
    queues = [q.strip() for q in queues if q.strip()][:MAX_QUEUES + 1]
    if len(queues) > MAX_QUEUES:
        found.append(Problem("/queues", "at most {most} entries", most=MAX_QUEUES))
    known = set(session.scalars(select(Queue.name)))
    found += [Problem(f"/queues/{n}", "no queue named {value}", value=repr(q)) for n, q in enumerate(queues)
              if q not in known]
    if vendor_id is None and not found and session.scalars(select(Vendor).where(Vendor.name == name)).first():
        found.append(Problem("/name", "a vendor named {value} exists", value=repr(name)))
    if found:
        raise InvalidSettlementInput("vendor", found)
    row = vendor(session, vendor_id) if vendor_id is not None else Vendor(name=name)
    row.title, row.self_operated, row.queues, row.active = title, bool(self_operated), queues, bool(active)
    session.add(row)
    session.flush()
    audit.record(session, actor, "vendor.saved", "vendor", row.name,
                 {"title": title, "queues": queues, "active": row.active})
    return row


def _day(text: str, path: str, found: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        found.append(Problem(path, "{value} is not a day (YYYY-MM-DD)", value=repr(str(text)[:20])))
        return None


def assign_agent(session: Session, vendor_id: int, user_id: int, joined_on: str, left_on: str,
                 actor: str) -> VendorAgent:
    """Puts an agent (or a supervisor: a team lead) of the tenant with the vendor (or updates the dates); an
    agent works for one vendor at a time, so overlapping dates with another vendor are refused."""
    row_vendor = vendor(session, vendor_id)
    found: list[Problem] = []
    # A team lead (班长, seed 001's 1:20 seat) holds the supervisor role, so it counts like an agent: the same
    # roles as those put on shifts (QA of issue 15, item 2).
    member = session.scalars(select(Membership).where(Membership.user_id == user_id,
                                                      Membership.role.in_(SCHEDULED_ROLES))).first()
    if member is None:
        found.append(Problem("/user_id", "user #{id} is not an agent or supervisor of this tenant", id=user_id))
    joined = _day(joined_on, "/joined_on", found)
    left = _day(left_on, "/left_on", found) if (left_on or "").strip() else None
    if joined and left and left < joined:
        found.append(Problem("/left_on", "on or after the day the agent joined"))
    if not found:
        for other in session.scalars(select(VendorAgent).where(VendorAgent.user_id == user_id,
                                                               VendorAgent.vendor_id != vendor_id)):
            if (other.left_on is None or joined is None or other.left_on >= joined) and \
                    (left is None or left >= other.joined_on):
                other_title = session.get(Vendor, other.vendor_id)
                found.append(Problem("/joined_on", "the agent works for {vendor} from {day} in those days",
                                     vendor=other_title.title if other_title else "?", day=str(other.joined_on)))
    if found:
        raise InvalidSettlementInput("agent", found)
    assert joined is not None
    row = session.scalars(select(VendorAgent).where(VendorAgent.vendor_id == vendor_id,
                                                    VendorAgent.user_id == user_id)).first()
    if row is None:
        row = VendorAgent(vendor_id=vendor_id, user_id=user_id, joined_on=joined)
        session.add(row)
    row.joined_on, row.left_on = joined, left
    session.flush()
    audit.record(session, actor, "vendor.agent", "vendor", row_vendor.name,
                 {"user_id": user_id, "joined_on": joined.isoformat(), "left_on": left.isoformat() if left else None})
    return row


MONTH_FIELD = re.compile(r"^\d{4}-\d{2}$")


def save_contract(session: Session, vendor_id: int, title: str, valid_from: str, valid_to: str, terms: Any,
                  actor: str, contract_id: int | None = None) -> VendorContract:
    """A contract from month `valid_from` to month `valid_to` (both YYYY-MM, `valid_to` may be empty)."""
    row_vendor = vendor(session, vendor_id)
    found = [p.under("/terms") for p in problems(terms)]
    title = (title or "").strip()
    if not 1 <= len(title) <= 200:
        found.insert(0, Problem("/title", "1 to {most} characters", most=200))
    first = last = None
    try:
        first = parse_month(valid_from or "", _utc()).first
    except ValueError:
        found.append(Problem("/valid_from", "{value} is not a month (YYYY-MM)", value=repr(str(valid_from)[:20])))
    if (valid_to or "").strip():
        try:
            last = parse_month(valid_to, _utc()).first
        except ValueError:
            found.append(Problem("/valid_to", "{value} is not a month (YYYY-MM)", value=repr(str(valid_to)[:20])))
    if first and last and last < first:
        found.append(Problem("/valid_to", "the same month as valid_from or later"))
    if first and not found:  # one contract in force per month, or a statement would depend on which is picked
        for other in session.scalars(select(VendorContract).where(VendorContract.vendor_id == vendor_id)):
            if other.id != contract_id and (other.valid_to is None or other.valid_to >= first) and \
                    (last is None or last >= other.valid_from):
                until = other.valid_to.strftime("%Y-%m") if other.valid_to else "…"
                found.append(Problem("/valid_from", "overlaps the contract {title} ({first} to {last})",
                                     title=repr(other.title), first=f"{other.valid_from:%Y-%m}", last=until))
    if found:
        raise InvalidSettlementInput("contract", found)
    assert first is not None
    if contract_id is not None:
        row = session.get(VendorContract, contract_id)
        if row is None or row.vendor_id != vendor_id:
            raise InvalidSettlementInput("contract", [Problem("/id", "contract #{id} is not this vendor's",
                                                              id=contract_id)])
    else:
        row = VendorContract(vendor_id=vendor_id)
        session.add(row)
    row.title, row.valid_from, row.valid_to, row.terms = title, first, last, terms
    row.updated_by, row.updated_at = actor[:64], utcnow()
    session.flush()
    audit.record(session, actor, "vendor.contract", "vendor", row_vendor.name,
                 {"contract": row.id, "valid_from": first.isoformat()})
    return row


def _utc() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("UTC")


def _score(value: str, path: str, found: list[Problem]) -> Decimal | None:
    if not (value or "").strip():
        return None
    number = decimal(value)
    if number is None or not 0 <= number <= 100 or number.as_tuple().exponent < -2:  # type: ignore[operator]
        found.append(Problem(path, "a score from 0 to 100 with at most 2 decimals"))
        return None
    return number


def save_month(session: Session, vendor_id: int, month_text: str, business: str, overall: str,
               achieved: dict[str, str], penalties: dict[str, str], note: str, actor: str) -> VendorMonth:
    """The month's entered inputs. Achieved values and penalty counts are for the targets and rules of the
    contract in force that month; an empty field is "not entered" (the settlement will name it)."""
    row_vendor = vendor(session, vendor_id)
    found: list[Problem] = []
    try:
        month = parse_month(month_text, _utc())
    except ValueError:
        raise InvalidSettlementInput("month", [Problem("/month", "{value} is not a month (YYYY-MM)",
                                                       value=repr(str(month_text)[:20]))]) from None
    scores = {"business": _score(business, "/business_score", found),
              "overall": _score(overall, "/overall_score", found)}
    contract = contract_for(session, vendor_id, month)
    terms = contract.terms if contract else {}
    targets = {t["code"] for t in terms.get("targets", [])}
    rules = {r["code"] for r in terms.get("penalty_rules", [])}
    kept_achieved: dict[str, str] = {}
    for code, value in achieved.items():
        if not (value or "").strip():
            continue
        number = decimal(value)
        if code not in targets:
            found.append(Problem(f"/achieved/{code}", "not a target of the contract in force in {month}",
                                 month=month.text))
        elif number is None or number < 0 or number > Decimal(10**12):
            found.append(Problem(f"/achieved/{code}", "a number from {low} to {high}", low="0", high="1000000000000"))
        else:
            kept_achieved[code] = str(number)
    kept_penalties: dict[str, int] = {}
    for code, value in penalties.items():
        if not (value or "").strip():
            continue
        if code not in rules:
            found.append(Problem(f"/penalties/{code}", "not a penalty rule of the contract in force in {month}",
                                 month=month.text))
        elif not value.strip().isdigit() or int(value) > 1000:
            found.append(Problem(f"/penalties/{code}", "a whole number of incidents from 0 to 1000"))
        elif int(value):
            kept_penalties[code] = int(value)
    if len(note or "") > MAX_NOTE:
        found.append(Problem("/note", "at most {most} characters", most=MAX_NOTE))
    if found:
        raise InvalidSettlementInput("month", found)
    row = session.scalars(select(VendorMonth).where(VendorMonth.vendor_id == vendor_id,
                                                    VendorMonth.month == month.text)).first()
    if row is None:
        row = VendorMonth(vendor_id=vendor_id, month=month.text)
        session.add(row)
    row.business_score, row.overall_score = scores["business"], scores["overall"]
    row.achieved, row.penalties, row.note = kept_achieved, kept_penalties, note or ""
    row.updated_by, row.updated_at = actor[:64], utcnow()
    session.flush()
    audit.record(session, actor, "vendor.month", "vendor", row_vendor.name, {"month": month.text})
    return row
