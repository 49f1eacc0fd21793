"""Exporting the customers of the current filter as CSV or Excel, in the import's own columns.

What the customers list shows (search text, VIP, flag) is what gets exported, so "export" means "these"; the
columns are `customer_import.COLUMNS` plus every `data` key as an extra column, so an exported file imports
again unchanged (a round trip merges every line into its existing customer by phone).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import customer_flags
from ..models import Customer
from ..scoping import tenant_of
from ..words import yes_no
from . import spreadsheet_cells
from .customer_import import COLUMNS, _cell
from .customers import _filters

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _customers(session: Session, text: str | None, vip: bool | None, flag: str | None) -> list[Customer]:
    if tenant_of(session) is None:
        raise ValueError("customers are exported from a tenant-scoped session")
    query = _filters(session, select(Customer), text, vip, flag).options(selectinload(Customer.phones))
    return list(session.scalars(query.order_by(Customer.id)))


def rows(session: Session, *, text: str | None = None, vip: bool | None = None,
         flag: str | None = None, locale: str = "zh_CN") -> Iterator[list[str]]:
    """The header, then one row per matching customer (oldest first); VIP and flags in the reader's language
    (both read back by the import: 是/否 and Yes/No alike)."""
    found = _customers(session, text, vip, flag)
    extra = sorted({key for c in found for key in (c.data or {}) if key.strip().lower() not in COLUMNS})
    yield [*COLUMNS, *extra]
    for c in found:
        yield [c.name, ";".join(p.phone for p in c.phones), c.address, yes_no(c.vip, locale),
               ";".join(customer_flags.labels(map(str, c.flags), locale)), c.note,
               *(_cell((c.data or {}).get(key)) for key in extra)]


def export(session: Session, fmt: str, locale: str = "zh_CN", **filters: Any) -> bytes:
    """The file's bytes: CSV in UTF-8 with a byte-order mark (Excel needs it for Chinese), or .xlsx; cells go
    through spreadsheet_cells, so no tenant text becomes a formula."""
    if fmt not in FORMATS:
        raise ValueError(f"export format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "csv":
        return spreadsheet_cells.csv_bytes(rows(session, locale=locale, **filters))
    return spreadsheet_cells.xlsx_bytes(rows(session, locale=locale, **filters), "customers")
