"""Writes the interval rows (models/reports.py) from call records and tickets for a range: the recompute.

`rebuild_calls` / `rebuild_tickets` replace every row of a tenant in a [from, to) range of intervals with
what the raw records say now: delete, aggregate, insert, in the caller's transaction. Running it twice gives
the same rows (idempotent). As records change, rows are kept up by counter deltas instead (counters.py), computed
by the same functions over the changed records only, so a rebuild of a range gives the rows the deltas built.
Ticket rows belong to the ticket's creation interval (see models).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, text
from sqlalchemy.orm import Session

from ..acd import defaults as acd_defaults
from ..models import (
    CallRecord,
    Document,
    DocumentVersion,
    Queue,
    ReportInterval,
    ReportIvrEdge,
    ReportIvrNode,
    ReportTicketInterval,
    Tenant,
    Ticket,
    TicketUrge,
)
from . import classify as cl
from . import credit

log = logging.getLogger("hotline.reports")

_BATCH = 2000

#: Each interval table's key columns, tenant first: a row's identity. The rebuild inserts rows by them and the
#: counters upsert deltas on them; the second name is the count whose 0 means the row is gone (for ticket rows, every
#: count's: counts_nothing).
KEYS: dict[Any, tuple[tuple[str, ...], str]] = {
    ReportInterval: (("tenant_id", "interval_start", "queue", "did", "agent_id", "extension"), "calls"),
    ReportIvrNode: (("tenant_id", "interval_start", "ivr_document", "ivr_version", "node"), "reached"),
    ReportIvrEdge: (("tenant_id", "interval_start", "ivr_document", "ivr_version", "node", "next_node", "digit"),
                    "passes"),
    ReportTicketInterval: (("tenant_id", "interval_start", "form_name", "category", "source", "agent_id", "status",
                            "handler_entry_id"), "created"),
}


def counts_nothing(model: Any) -> Any:
    """The condition of a row a delta brought to zero, which a rebuild would not write. A ticket row may count
    responses or completions credited to a person without a ticket created (intervals.ticket_sums): it is gone only
    when every count is zero."""
    if model is ReportTicketInterval:
        return and_(*(getattr(model, name) <= 0 for name in cl.TICKET_COUNTS))
    return getattr(model, KEYS[model][1]) <= 0


#: (table, key with the tenant first, values) — what a set of records adds to one interval row.
RowContribution = tuple[Any, tuple[Any, ...], Mapping[str, float]]


def call_contributions(tenant_id: int, calls: Mapping[tuple[Any, ...], Mapping[str, float]],
                       nodes: Mapping[tuple[Any, ...], Mapping[str, int]],
                       edges: Mapping[tuple[Any, ...], int]) -> Iterable[RowContribution]:
    """What aggregate_calls found, as (table, key with the tenant first, values): the one shape both the rebuild
    (rows to insert) and the counters (deltas to add) write, so the two never key a row differently."""
    for key, values in calls.items():
        yield ReportInterval, (tenant_id, *key), values
    for key, counts in nodes.items():
        yield ReportIvrNode, (tenant_id, *key), counts
    for key, passes in edges.items():
        yield ReportIvrEdge, (tenant_id, *key), {"passes": passes}


def ticket_contributions(tenant_id: int, sums: Mapping[tuple[Any, ...], Mapping[str, int]]) -> Iterable[
        RowContribution]:
    """What ticket_sums found, in the same (table, key, values) shape."""
    for key, values in sums.items():
        yield ReportTicketInterval, (tenant_id, *key), values


def _as_rows(contributions: Iterable[RowContribution],
             blank: Mapping[Any, Mapping[str, float]] | None = None) -> dict[Any, list[dict[str, Any]]]:
    """Contributions as insertable rows per table: the key's columns by name, the values over `blank`."""
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for model, key, values in contributions:
        rows[model].append({**(blank or {}).get(model, {}), **values,
                            **dict(zip(KEYS[model][0], key, strict=True))})
    return rows


def facts_of(rows: Iterable[tuple[str, int | None, float | None]]) -> dict[str, cl.QueueFacts]:
    """Queue facts from (name, service_level_seconds, wrap_up_seconds) rows."""
    return {name: cl.QueueFacts(int(sl or cl.DEFAULT_TARGET_SECONDS),
                                float(wrap if wrap is not None else acd_defaults.WRAP_UP_SECONDS))
            for name, sl, wrap in rows}


def queue_facts(session: Session, tenant_id: int) -> dict[str, cl.QueueFacts]:
    return facts_of(session.execute(select(Queue.name, Queue.service_level_seconds, Queue.wrap_up_seconds)
                                    .where(Queue.tenant_id == tenant_id)).all())


def short_abandon_seconds(settings: Mapping[str, Any] | None) -> float:
    """The tenant's short-abandon threshold (`short_abandon_seconds`, 0-60 s; 5 s when unset or invalid)."""
    value = (settings or {}).get("short_abandon_seconds", cl.DEFAULT_SHORT_ABANDON_SECONDS)
    return float(value) if isinstance(value, int | float) and 0 <= value <= 60 else cl.DEFAULT_SHORT_ABANDON_SECONDS


CALL_COLUMNS = (CallRecord.started_at, CallRecord.queue, CallRecord.did, CallRecord.agent_id, CallRecord.outcome,
                 CallRecord.wait_seconds, CallRecord.answered_at, CallRecord.ended_at, CallRecord.talk_seconds,
                 CallRecord.trace, CallRecord.ivr_document, CallRecord.ivr_version)


def aggregate_calls(rows: Iterable[Mapping[str, Any]], queues: Mapping[str, cl.QueueFacts], short: float) -> tuple[
        dict[tuple[Any, ...], dict[str, float]], dict[tuple[Any, ...], dict[str, int]], dict[tuple[Any, ...], int]]:
    """Call rows → (call sums by (interval, queue, DID, agent, extension), node counts by (interval, document, version,
    node), edge counts by (interval, document, version, node, next, digit))."""
    calls: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
    nodes: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: {"reached": 0, "hangups": 0, "completed": 0})
    edges: dict[tuple[Any, ...], int] = defaultdict(int)
    for row in rows:
        start = cl.floor_interval(row["started_at"])
        target = calls[(start, *cl.call_key(row))]
        for name, value in cl.call_counts(row, queues, short_abandon_seconds=short).items():
            target[name] = max(target.get(name, 0), value) if name in cl.CALL_MAXES else target.get(name, 0) + value
        if row.get("ivr_document") and row.get("ivr_version") is not None:
            ivr = (start, str(row["ivr_document"])[:64], int(row["ivr_version"]))
            node_counts, edge_counts = cl.funnel_counts(row)
            for node, counts in node_counts.items():
                into = nodes[(*ivr, node)]
                for name, value in counts.items():
                    into[name] += value
            for edge, value in edge_counts.items():
                edges[(*ivr, *edge)] += value
    return calls, nodes, edges


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Writes the rows: COPY on PostgreSQL (executemany cost 0.3 ms a row, COPY a few µs), Core executemany on
    SQLite. Within the session's transaction either way."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        columns = list(rows[0])
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    for i in range(0, len(rows), _BATCH):
        connection.execute(insert(model.__table__), rows[i:i + _BATCH])


def lock_tenant(session: Session, tenant_id: int, *, exclusive: bool) -> None:
    """PostgreSQL: a range rebuild (delete + insert) holds the tenant's lock exclusively; counter updates share
    it, so a delta is never added to rows a rebuild is replacing (it waits, and lands on the rebuilt rows)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:t, 0)"), {"t": tenant_id})


def counted_calls(tenant_id: int, *criteria: Any) -> Any:
    """The SELECT of the tenant's call records that count in reports (inbound, not test calls)."""
    return select(*CALL_COLUMNS).where(CallRecord.tenant_id == tenant_id, CallRecord.test_call.is_(False),
                                        CallRecord.direction == "inbound", *criteria)


def rebuild_calls(session: Session, tenant_id: int, start: datetime, end: datetime) -> int:
    """Replaces the tenant's call, IVR node and IVR edge rows of the intervals in [start, end) (both on
    15-minute boundaries) with the sums of its call records; returns the call records read."""
    tenant = session.get(Tenant, tenant_id)
    short = short_abandon_seconds(tenant.settings if tenant is not None else None)
    queues = queue_facts(session, tenant_id)
    for model in (ReportInterval, ReportIvrNode, ReportIvrEdge):
        session.execute(delete(model).where(model.tenant_id == tenant_id, model.interval_start >= start,
                                            model.interval_start < end).execution_options(synchronize_session=False))
    result = session.execute(counted_calls(tenant_id, CallRecord.started_at >= start, CallRecord.started_at < end)
                             .execution_options(yield_per=_BATCH))
    read = 0

    def rows() -> Iterable[Mapping[str, Any]]:
        nonlocal read
        for row in result.mappings():
            read += 1
            yield row

    blank = dict.fromkeys(cl.CALL_COUNTS, 0) | dict.fromkeys((*cl.CALL_SUMS, *cl.CALL_MAXES), 0.0)
    rows_of = _as_rows(call_contributions(tenant_id, *aggregate_calls(rows(), queues, short)),
                       {ReportInterval: blank})
    for model in (ReportInterval, ReportIvrNode, ReportIvrEdge):
        _insert(session, model, rows_of.get(model, []))
    return read


def _forms(session: Session, tenant_id: int, wanted: set[tuple[str, int]]) -> dict[tuple[str, int], dict[str, Any]]:
    if not wanted:
        return {}
    rows = session.execute(
        select(Document.name, DocumentVersion.number, DocumentVersion.body)
        .join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.tenant_id == tenant_id, Document.kind == "form",
               Document.name.in_({name for name, _ in wanted}))).all()
    return {(name, number): body or {} for name, number, body in rows if (name, number) in wanted}


def ticket_sums(session: Session, tenant_id: int, *criteria: Any,
                forms: dict[tuple[str, int], dict[str, Any]] | None = None) -> tuple[
        dict[tuple[Any, ...], dict[str, int]], int]:
    """What the tenant's tickets matching `criteria` add to the ticket rows, by (interval, form, category,
    source, handler, status, handling directory entry); and the number of tickets read. `forms` caches form
    bodies (versions are immutable) across calls.

    A ticket's responses count in the row of its responder and its completion in the row of its completer (credit.py:
    read from its history), with the ticket's other keys; created, urges and complaints in its handler's row. So a
    row may hold responses and no created ticket, and every other breakdown, which adds up over the handler
    columns, is unchanged."""
    urges = (select(TicketUrge.ticket_id, func.count().label("n")).where(TicketUrge.tenant_id == tenant_id)
             .group_by(TicketUrge.ticket_id).subquery())
    rows = session.execute(
        select(Ticket.id, Ticket.created_at, Ticket.form_name, Ticket.form_version, Ticket.data, Ticket.status,
               Ticket.assignee_id, Ticket.handler_entry_id, Ticket.created_by, Ticket.call_id,
               Ticket.first_responded_at, Ticket.first_response_due, Ticket.resolved_at, Ticket.resolution_due,
               func.coalesce(urges.c.n, 0).label("urges"))
        .outerjoin(urges, urges.c.ticket_id == Ticket.id)
        .where(Ticket.tenant_id == tenant_id, *criteria)).mappings().all()
    forms = {} if forms is None else forms
    wanted = {(r["form_name"], r["form_version"]) for r in rows} - set(forms)
    found = _forms(session, tenant_id, wanted)
    forms.update({key: found.get(key, {}) for key in wanted})
    people = credit.credited(session, tenant_id, *criteria) if rows else {}
    sums: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: dict.fromkeys(cl.TICKET_COUNTS, 0))
    for row in rows:
        form = forms.get((row["form_name"], row["form_version"]), {})
        field = cl.category_field(form)
        category = str((row["data"] or {}).get(field) or "")[:64] if field else ""
        handler = int(row["assignee_id"] or 0)
        key = (cl.floor_interval(row["created_at"]), row["form_name"], category,
               cl.ticket_source(row["created_by"] or "", row["call_id"]), handler, row["status"],
               int(row["handler_entry_id"] or 0))
        complaint = cl.is_complaint_form(row["form_name"], form)
        found = people.get(row["id"], credit.Credit())
        for name, value in cl.ticket_counts(row, int(row["urges"]), complaint).items():
            person = credit.person_of(name, found)
            # the handler's own row when the person is the handler (or unknown): one row per ticket, as before
            sums[key if person is None or person == handler else (*key[:4], person, key[5], 0)][name] += value
    return sums, len(rows)


def rebuild_tickets(session: Session, tenant_id: int, start: datetime, end: datetime) -> int:
    """Replaces the tenant's ticket rows of the intervals in [start, end) with the tickets created then;
    returns the tickets read."""
    session.execute(delete(ReportTicketInterval).where(
        ReportTicketInterval.tenant_id == tenant_id, ReportTicketInterval.interval_start >= start,
        ReportTicketInterval.interval_start < end).execution_options(synchronize_session=False))
    sums, read = ticket_sums(session, tenant_id, Ticket.created_at >= start, Ticket.created_at < end)
    _insert(session, ReportTicketInterval,
            _as_rows(ticket_contributions(tenant_id, sums)).get(ReportTicketInterval, []))
    return read


def _form_facts(session: Session, tenant_id: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Each form version the range's tickets use: its category field and whether it is a complaint form."""
    wanted = {(name, version) for name, version in session.execute(
        select(Ticket.form_name, Ticket.form_version).distinct().where(
            Ticket.tenant_id == tenant_id, Ticket.created_at >= start, Ticket.created_at < end))}
    bodies = _forms(session, tenant_id, wanted)
    return [{"form_name": name, "form_version": version, "field": cl.category_field(bodies.get((name, version), {})),
             "complaint": cl.is_complaint_form(name, bodies.get((name, version), {}))} for name, version in wanted]


def rebuild(session: Session, tenant_id: int, start: datetime, end: datetime, *,
            in_database: bool | None = None) -> tuple[int, int]:
    """Both kinds of rows for [start, end), widened to whole intervals; returns (calls, tickets) read.

    `in_database` (default: on PostgreSQL) aggregates with set-based SQL (set_based.py) instead of classifying
    each record in Python; both write the same rows."""
    start, last = cl.floor_interval(start), cl.floor_interval(end)
    end = last + cl.INTERVAL if last < end else last
    lock_tenant(session, tenant_id, exclusive=True)
    if in_database is None:
        in_database = session.get_bind().dialect.name == "postgresql"
    if not in_database:
        return rebuild_calls(session, tenant_id, start, end), rebuild_tickets(session, tenant_id, start, end)
    from . import set_based

    for model in (ReportInterval, ReportIvrNode, ReportIvrEdge, ReportTicketInterval):
        session.execute(delete(model).where(model.tenant_id == tenant_id, model.interval_start >= start,
                                            model.interval_start < end).execution_options(synchronize_session=False))
    tenant = session.get(Tenant, tenant_id)
    short = short_abandon_seconds(tenant.settings if tenant is not None else None)
    return (set_based.rebuild_calls(session, tenant_id, start, end, short),
            set_based.rebuild_tickets(session, tenant_id, start, end, _form_facts(session, tenant_id, start, end)))
