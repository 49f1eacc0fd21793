"""Keeps the interval rows up as records change: counter deltas per changed call record or ticket.

Before a write, what the touched records contribute to the rows is read from the database (their stored state);
after it, what they contribute now; the difference is added to the rows with one upsert per table
(`INSERT … ON CONFLICT (row key) DO UPDATE SET n = n + excluded.n`, on PostgreSQL and SQLite alike, keyed by the
unique indexes of migration 0025). Both sides go through the functions the range rebuild uses
(intervals.aggregate_calls, intervals.ticket_sums), so the incremental rows equal a recompute of the range.

Why deltas and not "recompute the touched interval": a busy interval holds hundreds of calls, and every call
ending re-read and re-classified all of them (and rewrote every row). A delta reads only the changed records.

Idempotent: the delta is between two stored states, so writing the same state again (a replayed CDR, a save
that changes nothing that counts) adds zero; a row whose count drops to zero is deleted, as a rebuild would not
write it. Writes seen: ORM flushes of CallRecord, Ticket and TicketUrge (new, changed, deleted), new TicketHistory
entries (who responded and completed is read from them: credit.py), and ORM-enabled
UPDATE / DELETE statements on them (`session.execute(update(Ticket)…)`, as tickets._save does). Plain Core or
COPY writes are not seen: `hotline reports rebuild` covers a bulk load. The delta is applied in a savepoint in
the same transaction as the change: it commits or rolls back with it, and a failure of its own is logged and
loses no record (the rebuild repairs the range). Not covered: a later change of a queue's target or wrap-up, or
of the tenant's short-abandon threshold, applies to calls written after it; rebuild a range to re-apply it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, event, func, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from ..models import (
    CallRecord,
    Queue,
    ReportInterval,
    ReportIvrEdge,
    ReportIvrNode,
    ReportTicketInterval,
    Tenant,
    Ticket,
    TicketHistory,
    TicketUrge,
)
from . import classify as cl
from . import intervals

log = logging.getLogger("hotline.reports")

_BEFORE = "hotline.reports.before"
_FORMS = "hotline.reports.forms"
_ACTIVE = "hotline.reports.applying"

#: Each table's row key (its unique index, migration 0025) and the column whose zero means "no row".
KEYS = intervals.KEYS
_VALUES: dict[Any, tuple[str, ...]] = {
    ReportInterval: (*cl.CALL_COUNTS, *cl.CALL_SUMS, *cl.CALL_MAXES),
    ReportIvrNode: ("reached", "hangups", "completed"),
    ReportIvrEdge: ("passes",),
    ReportTicketInterval: cl.TICKET_COUNTS,
}


@dataclass(slots=True)
class Contribution:
    """What a set of records adds to each table, by row key (tenant first)."""

    rows: dict[Any, dict[tuple[Any, ...], dict[str, float]]] = field(
        default_factory=lambda: {model: defaultdict(dict) for model in KEYS})

    def add(self, model: Any, key: tuple[Any, ...], values: Mapping[str, float], sign: int = 1) -> None:
        into = self.rows[model][key]
        for name, value in values.items():
            if name in cl.CALL_MAXES:  # a maximum only grows: what a change removes cannot be taken off it
                if sign > 0 and value:
                    into[name] = max(into.get(name, 0), value)
            elif value:
                into[name] = into.get(name, 0) + sign * value

    def minus(self, other: Contribution) -> Contribution:
        out = Contribution()
        for model in KEYS:
            for source, sign in ((self, 1), (other, -1)):
                for key, values in source.rows[model].items():
                    out.add(model, key, values, sign)
            # A row whose counts and sums did not move keeps its maximum too (the call's handle time is unchanged).
            out.rows[model] = {k: v for k, v in out.rows[model].items()
                               if any(value for name, value in v.items() if name not in cl.CALL_MAXES)}
        return out

    def empty(self) -> bool:
        return not any(self.rows[model] for model in KEYS)


def _facts(session: Session, tenant_id: int) -> tuple[float, dict[str, cl.QueueFacts]]:
    """The tenant's short-abandon threshold and its queues' facts, in one statement (a round trip less on the
    runtime's end-of-call write)."""
    rows = session.execute(select(Tenant.settings, Queue.name, Queue.service_level_seconds, Queue.wrap_up_seconds)
                           .select_from(Tenant).outerjoin(Queue, Queue.tenant_id == Tenant.id)
                           .where(Tenant.id == tenant_id)).all()
    short = intervals.short_abandon_seconds(rows[0][0] if rows else None)
    return short, intervals.facts_of((name, sl, wrap) for _settings, name, sl, wrap in rows if name is not None)


def _calls(session: Session, ids: Mapping[int, set[int]], into: Contribution,
           written: Mapping[int, list[dict[str, Any]]] | None = None) -> None:
    """Adds what the records contribute: those in `ids` as stored, those in `written` (records this flush
    inserted, column values from the objects) as they were just written."""
    written = written or {}
    for tenant_id in {*ids, *written}:
        wanted = ids.get(tenant_id) or set()
        memory = [row for row in written.get(tenant_id, ())
                  if not row["test_call"] and row["direction"] == "inbound"]
        if not wanted and not memory:
            continue
        short, queues = _facts(session, tenant_id)
        rows: list[Any] = list(session.execute(intervals.counted_calls(
            tenant_id, CallRecord.id.in_(wanted))).mappings()) if wanted else []
        for model, key, values in intervals.call_contributions(
                tenant_id, *intervals.aggregate_calls([*rows, *memory], queues, short)):
            into.add(model, key, values)


def _tickets(session: Session, ids: Mapping[int, set[int]], into: Contribution) -> None:
    forms = session.info.setdefault(_FORMS, {})
    for tenant_id, wanted in ids.items():
        if not wanted:
            continue
        sums, _read = intervals.ticket_sums(session, tenant_id, Ticket.id.in_(wanted),
                                            forms=forms.setdefault(tenant_id, {}))
        for model, key, values in intervals.ticket_contributions(tenant_id, sums):
            into.add(model, key, values)


@dataclass(slots=True)
class Touched:
    """The records a write touches, by tenant."""

    calls: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    tickets: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: call records this flush inserted, as the column values written (no read back: the runtime's hot path)
    written: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def state(self, session: Session) -> Contribution:
        """What the touched records contribute as stored now."""
        out = Contribution()
        with session.no_autoflush:
            _calls(session, self.calls, out, self.written)
            _tickets(session, self.tickets, out)
        return out

    def __bool__(self) -> bool:
        return any(self.calls.values()) or any(self.tickets.values()) or any(self.written.values())


def _touched(objects: Iterable[Any], into: Touched) -> Touched:
    for obj in objects:
        if isinstance(obj, CallRecord) and obj.id is not None and obj.tenant_id is not None:
            into.calls[obj.tenant_id].add(obj.id)
        elif isinstance(obj, Ticket) and obj.id is not None and obj.tenant_id is not None:
            into.tickets[obj.tenant_id].add(obj.id)
        elif isinstance(obj, TicketUrge) and obj.ticket_id is not None and obj.tenant_id is not None:
            into.tickets[obj.tenant_id].add(obj.ticket_id)
        elif isinstance(obj, TicketHistory):  # who responded or completed (credit.py): appended with the ticket
            ticket_id = obj.ticket_id if obj.ticket_id is not None else getattr(obj.ticket, "id", None)
            tenant_id = obj.tenant_id if obj.tenant_id is not None else getattr(obj.ticket, "tenant_id", None)
            if ticket_id is not None and tenant_id is not None:
                into.tickets[tenant_id].add(ticket_id)
    return into


def apply(session: Session, delta: Contribution) -> None:
    """Adds the delta to the rows (upsert by row key), then deletes the rows it brought to zero."""
    if delta.empty():
        return
    dialect = session.get_bind().dialect.name
    for tenant_id in sorted({key[0] for model in KEYS for key in delta.rows[model]}):
        intervals.lock_tenant(session, tenant_id, exclusive=False)
    for model, (key_names, _presence) in KEYS.items():
        changes = delta.rows[model]
        if not changes:
            continue
        names = _VALUES[model]
        # Sorted by key: two transactions adding to the same rows lock them in the same order.
        rows = [{**dict(zip(key_names, key, strict=True)), **{n: values.get(n, 0) for n in names}}
                for key, values in sorted(changes.items(), key=lambda kv: tuple(map(str, kv[0])))]
        statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model.__table__)
        table = model.__table__
        statement = statement.on_conflict_do_update(
            index_elements=list(key_names),
            set_={n: (func.greatest if dialect == "postgresql" else func.max)(table.c[n], statement.excluded[n])
                  if n in cl.CALL_MAXES else table.c[n] + statement.excluded[n] for n in names})
        session.execute(statement, rows)
        if any(v < 0 for values in changes.values() for v in values.values()):
            for tenant_id, starts in _starts(changes).items():
                session.execute(delete(model).where(
                    model.tenant_id == tenant_id, model.interval_start.in_(starts),
                    intervals.counts_nothing(model)).execution_options(synchronize_session=False))


def _starts(changes: Mapping[tuple[Any, ...], Any]) -> dict[int, set[Any]]:
    found: dict[int, set[Any]] = defaultdict(set)
    for key in changes:
        found[key[0]].add(key[1])
    return found


def _apply_safely(session: Session, before: Contribution, touched: Touched) -> None:
    """Reads the touched records' new state and applies the delta in a savepoint: a failure is logged and
    rolls back the delta only, never the records."""
    session.info[_ACTIVE] = True
    try:
        connection = session.connection()
        savepoint = connection.begin_nested()
        try:
            apply(session, touched.state(session).minus(before))
        except Exception:
            savepoint.rollback()
            log.exception("report counters not updated for %d call and %d ticket records; "
                          "`hotline reports rebuild` repairs the range",
                          sum(map(len, touched.calls.values())), sum(map(len, touched.tickets.values())))
        else:
            savepoint.commit()
    finally:
        session.info.pop(_ACTIVE, None)


# -- the hooks ---------------------------------------------------------------------------------------------------


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """The stored state of the records this flush changes or deletes (and of the tickets whose urges change)."""
    touched = _touched((*session.dirty, *session.deleted), Touched())
    _touched((obj for obj in session.new if isinstance(obj, TicketUrge | TicketHistory)), touched)
    session.info[_BEFORE] = (touched, touched.state(session) if touched else Contribution())


#: The columns a new call record's contribution is computed from (intervals.counted_calls reads the same).
_WRITTEN = (*(c.key for c in intervals.CALL_COLUMNS), "test_call", "direction")


def _after_flush(session: Session, _context: Any) -> None:
    touched, before = session.info.pop(_BEFORE, (Touched(), Contribution()))
    for obj in session.new:
        if isinstance(obj, CallRecord) and obj.tenant_id is not None:
            # __dict__, not getattr: a column the insert left to NULL is unloaded, and loading it mid-flush
            # would query; every default (test_call, direction, started_at, trace) is in it after the insert.
            touched.written[obj.tenant_id].append({name: obj.__dict__.get(name) for name in _WRITTEN})
    _touched((obj for obj in (*session.new, *session.dirty, *session.deleted)
              if not (isinstance(obj, CallRecord) and obj in session.new)), touched)
    if touched:
        _apply_safely(session, before, touched)


_TRACKED = (CallRecord, Ticket, TicketUrge)


def _on_execute(state: ORMExecuteState) -> Any:
    """ORM-enabled UPDATE / DELETE of tracked records: the delta between the matched rows before and after."""
    if not (state.is_update or state.is_delete) or state.session.info.get(_ACTIVE):
        return None
    mapper = state.bind_mapper
    model = mapper.class_ if mapper is not None else None
    if model not in _TRACKED:
        return None
    session = state.session
    where = state.statement.whereclause if state.statement.whereclause is not None else true()
    id_column = TicketUrge.ticket_id if model is TicketUrge else model.id
    touched = Touched()
    with session.no_autoflush:
        for tenant_id, record_id in session.execute(select(model.tenant_id, id_column).where(where)):
            (touched.calls if model is CallRecord else touched.tickets)[tenant_id].add(record_id)
    if not touched:
        return None
    before = touched.state(session)
    result = state.invoke_statement()
    _apply_safely(session, before, touched)
    return result


_REGISTERED = False


def register() -> None:
    """Installs the hooks on every session (once per process)."""
    global _REGISTERED
    if _REGISTERED:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    _REGISTERED = True
