"""Monthly statements: the live computation (preview) and signed-off versions.

Signing freezes the statement: the row keeps a copy of every input (contract terms, hours per agent, scores,
entries) and every line, and is never updated afterwards, so later changes of schedules, scores or the
contract do not alter it. Signing again computes from the data as it is then and stores the next version;
the older versions stay readable (docs/settlement.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import SettlementStatement, Vendor
from ..models.base import utcnow
from ..services import audit
from ..services.errors import Conflict, NotFound
from .formula import MissingInputs, compute
from .inputs import HoursSource, Month, gather

#: Tries at the next version number when another sign-off took it meanwhile.
SIGN_ATTEMPTS = 3


@dataclass(slots=True)
class Preview:
    """The month as computed now: its inputs record and either the result or what is missing."""

    record: dict[str, Any] | None
    result: dict[str, Any] | None
    missing: list[Any]


def vendor(session: Session, vendor_id: int) -> Vendor:
    """The tenant's vendor (another tenant's id is not found: the session is scoped)."""
    found = session.get(Vendor, vendor_id)
    if found is None:
        raise NotFound(f"vendor #{vendor_id} does not exist")
    return found


def preview(session: Session, tenant_id: int, vendor_row: Vendor, month: Month,
            hours_source: HoursSource | None = None) -> Preview:
    try:
        inputs, record = gather(session, tenant_id, vendor_row, month, hours_source)
    except MissingInputs as exc:
        return Preview(None, None, exc.missing)
    try:
        return Preview(record, compute(inputs), [])
    except MissingInputs as exc:
        return Preview(record, None, exc.missing)


def versions(session: Session, vendor_id: int, month: str) -> list[SettlementStatement]:
    """The signed versions of a vendor's month, newest first."""
    return list(session.scalars(select(SettlementStatement).where(
        SettlementStatement.vendor_id == vendor_id, SettlementStatement.month == month)
        .order_by(SettlementStatement.version.desc())))


def signed(session: Session, vendor_id: int, month: str, version: int) -> SettlementStatement:
    found = session.scalars(select(SettlementStatement).where(
        SettlementStatement.vendor_id == vendor_id, SettlementStatement.month == month,
        SettlementStatement.version == version)).first()
    if found is None:
        raise NotFound(f"statement {month} version {version} does not exist")
    return found


def sign(session: Session, tenant_id: int, vendor_row: Vendor, month: Month, actor: str,
         hours_source: HoursSource | None = None) -> SettlementStatement:
    """Computes the month from the data as it is now and stores it as the next signed version; MissingInputs
    (and nothing stored) when an input is missing. The month's overtime is rolled up and stored first, and the
    statement bills from the stored roll-up (settlement/overtime.py)."""
    from . import overtime

    rolled = overtime.refresh(session, tenant_id, month) if hours_source is None else None
    inputs, record = gather(session, tenant_id, vendor_row, month, hours_source, rolled)
    result = compute(inputs)
    for _attempt in range(SIGN_ATTEMPTS):
        latest = session.scalar(select(func.max(SettlementStatement.version)).where(
            SettlementStatement.vendor_id == vendor_row.id, SettlementStatement.month == month.text)) or 0
        row = SettlementStatement(vendor_id=vendor_row.id, month=month.text, version=latest + 1, inputs=record,
                                  result=result, total=Decimal(result["total"]), signed_by=actor[:64],
                                  signed_at=utcnow())
        try:
            with session.begin_nested():  # two admins signing at once: the second takes the next number
                session.add(row)
        except IntegrityError:
            continue
        break
    else:
        raise Conflict(f"statement {month.text} is being signed by someone else; try again", latest)
    audit.record(session, actor, "settlement.signed", "vendor", vendor_row.name,
                 {"month": month.text, "version": row.version, "total": result["total"]})
    return row
