"""A tenant's customers: create, edit, delete, screen pop by caller number, search with paging.

Every function takes a tenant-scoped session (`Database.tenant`), so it only ever sees and writes that
tenant's customers; a phone number is unique among one tenant's customers (`create`/`update` refuse a number
another customer of the tenant already has) and says nothing about other tenants. Every change is written to
the audit log in the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, type_coerce
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import customer_flags
from .. import phones as phone_numbers
from ..findings import Finding, pointer
from ..models import Customer, CustomerPhone
from ..scoping import tenant_of
from . import audit
from .errors import Duplicate, InvalidDocument, NotFound

MAX_NAME = 200
MAX_PER_PAGE = 500
#: `search(sort=...)`: a column, optionally prefixed with '-' for descending; ties are broken by id.
SORTS = {"name": Customer.name, "created_at": Customer.created_at, "updated_at": Customer.updated_at,
         "id": Customer.id}
_UNSET: Any = object()
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE_FRAGMENT = re.compile(r"\+?[0-9]+")


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("customers are managed in a tenant-scoped session")


def clean_flags(flags: Iterable[str]) -> list[str]:
    """Stripped, without empties and repeats, in first-seen order; a known flag's label (月结客户) is stored as
    its code (customer_flags.py), so a file exported with labels loads back."""
    seen: dict[str, None] = {}
    for flag in flags:
        flag = customer_flags.code(str(flag))
        if flag:
            seen.setdefault(flag, None)
    return list(seen)


def _clean_phones(raw: Iterable[str], findings: list[Finding]) -> list[str]:
    numbers: dict[str, None] = {}
    bad = len(findings)
    for index, value in enumerate(raw):
        try:
            numbers.setdefault(phone_numbers.normalize(value), None)
        except ValueError as exc:
            findings.append(Finding(pointer("phones", index), "error", str(exc), "phone"))
    if not numbers and len(findings) == bad:
        findings.append(Finding("/phones", "error", "a customer needs at least one phone number", "phone"))
    return list(numbers)


def _check_name(name: str, findings: list[Finding]) -> str:
    name = (name or "").strip()
    if not name:
        findings.append(Finding("/name", "error", "a customer needs a name", "required"))
    elif len(name) > MAX_NAME:
        findings.append(Finding("/name", "error", f"a name has at most {MAX_NAME} characters", "length"))
    return name


def _check_unique(session: Session, numbers: list[str], customer_id: int | None) -> None:
    """Duplicate when one of the numbers belongs to another customer of this tenant."""
    query = select(CustomerPhone).options(selectinload(CustomerPhone.customer)).where(
        CustomerPhone.phone.in_(numbers))
    if customer_id is not None:
        query = query.where(CustomerPhone.customer_id != customer_id)
    taken = session.scalars(query.order_by(CustomerPhone.id)).first()
    if taken is not None:
        other = taken.customer
        raise Duplicate(f"phone {taken.phone} already belongs to customer {other.name!r} (#{other.id})")


def create(session: Session, name: str, phones: Iterable[str], *, address: str = "", vip: bool = False,
           flags: Iterable[str] = (), note: str = "", data: dict[str, Any] | None = None,
           actor: str) -> Customer:
    """A new customer. InvalidDocument (every finding) for a missing name or phone or a malformed phone;
    Duplicate when a phone already belongs to another customer of the tenant."""
    _require_tenant(session)
    findings: list[Finding] = []
    name = _check_name(name, findings)
    numbers = _clean_phones(phones, findings)
    if findings:
        raise InvalidDocument("the customer is not valid", findings)
    _check_unique(session, numbers, None)
    customer = Customer(name=name, address=(address or "").strip(), vip=bool(vip), flags=clean_flags(flags),
                        note=note or "", data=dict(data or {}))
    customer.phones = [CustomerPhone(phone=number) for number in numbers]
    session.add(customer)
    session.flush()
    audit.record(session, actor, "customer.create", "customer", str(customer.id),
                 {"name": name, "phones": numbers})
    return customer


def get(session: Session, customer_id: int) -> Customer:
    """The customer, or NotFound (also for another tenant's customer)."""
    _require_tenant(session)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"customer #{customer_id} not found")
    return customer


def update(session: Session, customer_id: int, *, name: str = _UNSET, phones: Iterable[str] = _UNSET,
           address: str = _UNSET, vip: bool = _UNSET, flags: Iterable[str] = _UNSET, note: str = _UNSET,
           data: dict[str, Any] = _UNSET, actor: str) -> Customer:
    """Changes the fields given (the others stay). `phones` and `flags` replace the whole list; phones kept
    keep their label. The audit entry lists each changed field as [old, new]."""
    customer = get(session, customer_id)
    findings: list[Finding] = []
    new: dict[str, Any] = {}
    if name is not _UNSET:
        new["name"] = _check_name(name, findings)
    if phones is not _UNSET:
        new["phones"] = _clean_phones(phones, findings)
    if findings:
        raise InvalidDocument("the customer is not valid", findings)
    if address is not _UNSET:
        new["address"] = (address or "").strip()
    if vip is not _UNSET:
        new["vip"] = bool(vip)
    if flags is not _UNSET:
        new["flags"] = clean_flags(flags)
    if note is not _UNSET:
        new["note"] = note or ""
    if data is not _UNSET:
        new["data"] = dict(data or {})
    changes: dict[str, list[Any]] = {}
    for field, value in new.items():
        old = [p.phone for p in customer.phones] if field == "phones" else getattr(customer, field)
        if old == value:
            continue
        changes[field] = [old, value]
        if field == "phones":
            _check_unique(session, value, customer.id)
            kept = {p.phone: p for p in customer.phones}
            customer.phones = [kept.get(number) or CustomerPhone(phone=number) for number in value]
        else:
            setattr(customer, field, value)
    if changes:
        session.flush()
        audit.record(session, actor, "customer.update", "customer", str(customer.id), changes)
    return customer


def delete(session: Session, customer_id: int, actor: str) -> None:
    """Deletes the customer and its phones; tickets and call records keep existing without the link."""
    customer = get(session, customer_id)
    detail = {"name": customer.name, "phones": [p.phone for p in customer.phones]}
    session.delete(customer)
    session.flush()
    audit.record(session, actor, "customer.delete", "customer", str(customer_id), detail)


def find_by_phone(session: Session, phone: str) -> list[Customer]:
    """Screen pop: every customer of the tenant with this number (oldest first); [] for a malformed or
    withheld number."""
    _require_tenant(session)
    try:
        number = phone_numbers.normalize(phone)
    except ValueError:
        return []
    # One statement with the phones joined in, not a second SELECT for them: the pop is one round trip.
    query = (select(Customer).where(Customer.id.in_(select(CustomerPhone.customer_id).where(
        CustomerPhone.phone == number))).options(joinedload(Customer.phones)).order_by(Customer.id))
    return list(session.scalars(query).unique())


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def has_flag(session: Session, flag: str) -> ColumnElement[bool]:
    """The customers carrying `flag`, as a condition the database evaluates (GIN-indexable containment on
    PostgreSQL, json_each on SQLite): callers filter in SQL instead of loading every customer to look."""
    if session.get_bind().dialect.name == "postgresql":
        return type_coerce(Customer.flags, JSONB).contains([flag])  # @>, can use a GIN index
    return exists(select(sql_text("1")).select_from(func.json_each(Customer.flags).table_valued("value"))
                  .where(sql_text("value = :flag").bindparams(flag=flag)))


def _filters(session: Session, query: Select[Any], text_: str | None, vip: bool | None,
             flag: str | None) -> Select[Any]:
    needle = (text_ or "").strip()
    if needle:
        pattern = _like(needle.lower())
        conditions = [func.lower(Customer.name).like(pattern, escape="\\"),
                      func.lower(Customer.address).like(pattern, escape="\\")]
        digits = _PHONE_SEPARATORS.sub("", needle)
        if _PHONE_FRAGMENT.fullmatch(digits):
            conditions.append(Customer.id.in_(select(CustomerPhone.customer_id).where(
                CustomerPhone.phone.like(_like(digits), escape="\\"))))
        query = query.where(or_(*conditions))
    if vip is not None:
        query = query.where(Customer.vip.is_(bool(vip)))
    if flag:
        query = query.where(has_flag(session, flag.strip()))
    return query


def search(session: Session, text: str | None = None, vip: bool | None = None, flag: str | None = None,
           sort: str = "name", page: int = 1, per_page: int = 50) -> tuple[list[Customer], int]:
    """One page of the customers whose name, address or a phone contains `text` (case-insensitive), and the
    number of all that match. `sort` is one of SORTS, '-' in front for descending (e.g. "-created_at")."""
    _require_tenant(session)
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise ValueError(f"cannot sort customers by {sort!r}; use one of {', '.join(sorted(SORTS))} "
                         "(prefix '-' for descending)")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"page starts at 1 and per_page is 1 to {MAX_PER_PAGE}")
    column = SORTS[key]
    descending = sort.startswith("-")
    order = [column.desc() if descending else column.asc()]
    if key != "id":
        order.append(Customer.id.desc() if descending else Customer.id.asc())
    total = session.scalar(_filters(session, select(func.count(Customer.id)), text, vip, flag)) or 0
    rows = session.scalars(_filters(session, select(Customer), text, vip, flag).options(
        selectinload(Customer.phones)).order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total
