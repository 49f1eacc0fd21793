"""Exporting the ticket list as filtered on screen, as CSV or Excel, in the reader's words.

An analyst takes tickets out with their labels (tester's defect 1): the same arguments (and presets) as the list,
through the same tenant-scoped search, so a filter naming another tenant's ticket or handler finds nothing.
Every coded value is shown by its label: status by its form's label, options by their titles, priority and yes/no
through platform/words.py; times in the tenant's zone, named in the header as the report exports do
(reports/export.py). Cells go through services/spreadsheet_cells (BOM, no formula; the customers export's writer).
The export is bounded (ROW_CAP) so one tenant cannot hold a worker for long; reaching the cap is said in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform.models import Customer, User
from ...platform.services import spreadsheet_cells, ticket_lists, ticket_search
from ...platform.services.customer_export import FORMATS
from ...platform.words import LIST_SEPARATORS, language, priority_label, yes_no
from ..i18n import translate

__all__ = ["FORMATS", "ROW_CAP", "export", "rows"]

#: Most tickets one export holds; beyond it the file says so and the filter should be narrowed.
ROW_CAP = 50_000
DATE_FORMAT = "%Y-%m-%d %H:%M"


def _matching(session: Session, arguments: Mapping[str, Any]) -> tuple[list[ticket_search.TicketRow], int]:
    """The first ROW_CAP matching tickets in the list's order, and how many match in all."""
    found: list[ticket_search.TicketRow] = []
    total = 0
    page = 1
    while len(found) < ROW_CAP:
        batch, total = ticket_search.search(session, page=page, per_page=ticket_search.MAX_PER_PAGE, **arguments)
        found.extend(batch)
        if len(batch) < ticket_search.MAX_PER_PAGE:
            break
        page += 1
    return found[:ROW_CAP], total


def _names(session: Session, found: list[ticket_search.TicketRow]) -> tuple[dict[int, str], dict[int, str]]:
    """Handler and customer names of the exported tickets (the session is the tenant's: no other's rows)."""
    user_ids = {r.ticket.assignee_id for r in found if r.ticket.assignee_id}
    customer_ids = {r.ticket.customer_id for r in found if r.ticket.customer_id}
    users = {uid: display or username for uid, display, username in session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(user_ids)))} if user_ids else {}
    customers = dict(session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(customer_ids))
                                     ).all()) if customer_ids else {}
    return users, customers


def _shown(value: Any, titles: Mapping[Any, str], locale: str) -> str:
    """A field's value as the list's hover shows it: option titles, yes/no in words, lists joined."""
    if isinstance(value, bool):
        return yes_no(value, locale)
    if isinstance(value, list):
        return LIST_SEPARATORS[language(locale)].join(str(titles.get(v, v)) for v in value)
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(titles.get(value, value))


def rows(session: Session, arguments: Mapping[str, Any], locale: str) -> Iterator[list[str]]:
    """The header, one row per ticket (the list's order), then the cap's sentence when it was reached."""
    from .tickets import _choices, _labels  # the list's own field titles and option titles

    def say(text: str) -> str:
        return translate(text, "en" if language(locale) == "en" else "zh_CN")

    found, total = _matching(session, arguments)
    form_names = {r.ticket.form_name for r in found}
    labels, choices = _labels(session, form_names), _choices(session, form_names)
    form_titles = {f.name: f.title for f in ticket_lists.published_forms(session)}
    users, customers = _names(session, found)
    zone = ticket_lists.tenant_zone(session)
    columns: list[str] = []  # the forms' field titles, first seen first; same title, same column
    for r in found:
        for key in r.ticket.data or {}:
            title = labels.get(r.ticket.form_name, {}).get(key, key)
            if title not in columns:
                columns.append(title)
    yield [say("Number"), say("Form"), say("Status"), say("Priority"), say("Customer"), say("Handler"),
           say("Created (%(zone)s)") % {"zone": zone.key}, say("Due (%(zone)s)") % {"zone": zone.key},
           say("Ticket completed"), *columns]
    for r in found:
        t = r.ticket
        fields = {labels.get(t.form_name, {}).get(key, key): _shown(value, choices.get(t.form_name, {}).get(key, {}),
                                                                     locale)
                  for key, value in (t.data or {}).items()}
        yield [t.number, form_titles.get(t.form_name, t.form_name), r.status_label, priority_label(t.priority, locale),
               customers.get(t.customer_id or 0, ""), users.get(t.assignee_id or 0, ""),
               t.created_at.astimezone(zone).strftime(DATE_FORMAT),
               t.resolution_due.astimezone(zone).strftime(DATE_FORMAT) if t.resolution_due else "",
               yes_no(t.resolved_at is not None, locale), *(fields.get(c, "") for c in columns)]
    if total > len(found):
        yield [say("Only the first %(cap)s of %(total)s tickets are exported; narrow the filter for the rest.")
               % {"cap": f"{len(found):,}", "total": f"{total:,}"}]


def export(session: Session, fmt: str, arguments: Mapping[str, Any], locale: str) -> bytes:
    """The file's bytes: CSV in UTF-8 with a byte-order mark, or .xlsx with text cells only."""
    if fmt not in FORMATS:
        raise ValueError(f"export format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "csv":
        return spreadsheet_cells.csv_bytes(rows(session, arguments, locale))
    return spreadsheet_cells.xlsx_bytes(rows(session, arguments, locale), "tickets")
