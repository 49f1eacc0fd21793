"""Customer imports as background jobs: the upload is stored, an RQ job imports it in batches, the page polls.

The file format, the columns, the per-line checks and the merge rules are `customer_import`'s (read its
docstring); this module adds what a large file run in the background needs:

* the upload is kept on an `ImportJob` row, so the worker (another process, maybe another machine) reads it
  from the database, and the page reads progress and the report from the same row;
* lines are imported in batches of `BATCH` in one transaction each, progress committed with the batch, so a
  page polling the row sees the count grow and a worker crash keeps the batches already done;
* a batch looks up all its phone numbers in one query and inserts its new customers in one flush, instead
  of two queries and three inserts per line; lines about known customers (a phone already on file) are merged,
  by `customer_import`'s rules, into rows loaded for the whole batch in two queries.

New and merged customers are audited once per batch ("customer.import.batch": the ids created, and the
fields changed by id of each customer merged) and once per job
("customer.import": the counts), not once each: an import of 100,000 customers is one act of one person.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from ..db import Database
from ..findings import Finding
from ..models import Customer, CustomerPhone, ImportJob, utcnow
from ..scoping import tenant_of
from . import audit, import_files
from .customer_import import ImportReport, _header, _Line, merged_fields, parse_counted
from .errors import InvalidDocument, NotFound
from .import_files import FileRefused, LineError, Record

FORMATS = ("csv", "xlsx")
#: Largest upload accepted (the request limit for the upload view is raised to this).
MAX_FILE_BYTES = 50 * 1024 * 1024
BATCH = 5000
#: Line errors kept on the job (the counts stay exact; the page says how many more there were).
MAX_ERRORS = 5000
_MERGED_COLUMNS = ("name", "address", "vip", "flags", "note", "data")
DONE, DONE_WITH_ERRORS = "done", "done_with_errors"
FINISHED = (DONE, DONE_WITH_ERRORS)


def detect_format(filename: str, content: bytes) -> str | None:
    """csv or xlsx from the file name, else from the content (an .xlsx is a zip file: it starts with PK)."""
    lower = filename.lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    if lower.endswith(".xlsx"):
        return "xlsx"
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    return None


CUSTOMERS = "customers"


def create(session: Session, filename: str, content: bytes, actor: str, *, kind: str = CUSTOMERS,
           target_id: int | None = None) -> ImportJob:
    """Stores an upload as a queued import of `kind` (into `target_id`, for a data table); InvalidDocument for
    an empty, oversized or unknown file."""
    if tenant_of(session) is None:
        raise ValueError("imports are created in a tenant-scoped session")
    filename = (filename or "upload").strip()[:300] or "upload"
    findings: list[Finding] = []
    fmt = detect_format(filename, content)
    if not content:
        findings.append(Finding("/file", "error", "the file is empty", "required"))
    elif len(content) > MAX_FILE_BYTES:
        findings.append(Finding("/file", "error", f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; "
                                "split it", "size"))
    elif fmt is None:
        findings.append(Finding("/file", "error", f"{filename!r} is neither CSV nor Excel .xlsx (old .xls: save "
                                "it as .xlsx or CSV UTF-8 first)", "format"))
    if findings:
        raise InvalidDocument("the file cannot be imported", findings)
    job = ImportJob(kind=kind, target_id=target_id, filename=filename, format=fmt, content=content,
                    status="queued", created_by=actor, errors=[])
    session.add(job)
    session.flush()
    audit.record(session, actor, "customer.import.upload" if kind == CUSTOMERS else f"{kind}.import.upload",
                 "import_job", str(job.id), {"filename": filename, "bytes": len(content)})
    return job


def get(session: Session, job_id: int, kind: str = "customers") -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None or job.kind != kind:
        raise NotFound(f"import #{job_id} not found")
    return job


def as_dict(job: ImportJob) -> dict[str, Any]:
    percent = 100 if job.status in FINISHED else (int(100 * job.done / job.total) if job.total else 0)
    return {"id": job.id, "filename": job.filename, "format": job.format, "status": job.status,
            "total": job.total, "done": job.done, "percent": percent, "created": job.created,
            "merged": job.merged, "skipped": job.skipped,
            "errors": [{"line": line, "reason": reason} for line, reason in job.errors],
            "errors_not_shown": job.skipped - len(job.errors) if len(job.errors) >= MAX_ERRORS else 0,
            "failure": job.failure, "created_by": job.created_by,
            "created_at": job.created_at.isoformat() if job.created_at else None,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


def recent(session: Session, limit: int = 10) -> list[ImportJob]:
    return list(session.scalars(select(ImportJob).where(ImportJob.kind == "customers")
                                .order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(limit)))


# -- running -----------------------------------------------------------------------------------------------------


def read_records(fmt: str, content: bytes) -> tuple[list[tuple[int, list[str]]], list[LineError]]:
    """(line number, cells) of every non-blank record, header first, and lines that could not be read (all
    in memory: for tests and small files; `run` streams)."""
    records: list[tuple[int, list[str]]] = []
    problems: list[LineError] = []
    try:
        for item in import_files.records(fmt, content):
            if isinstance(item, LineError):
                problems.append(item)
            else:
                records.append((item.line, item.cells))
    except FileRefused as exc:
        return [], [LineError(1, f"{exc}; nothing was imported")]
    return records, problems


def import_batch(session: Session, keys: list[str], rows: list[tuple[int, list[str]]], actor: str,
                 report: ImportReport) -> None:
    """Imports one batch of lines in the caller's transaction, counting into `report`.

    Two queries find every customer the batch's numbers already belong to (with their phones); merged
    customers are changed in memory and written by one flush (one batched UPDATE), new ones are inserted in
    bulk at the end.
    """
    parsed: list[_Line] = []
    for number, cells in rows:
        line = parse_counted(number, keys, cells, report)
        if line is not None:
            parsed.append(line)
    owners: dict[str, Customer | _NewCustomer] = dict(_owners(session, sorted(
        {phone for line in parsed for phone in line.phones})))
    new: list[_NewCustomer] = []
    merged: dict[int, set[str]] = {}
    for line in parsed:
        found = list({id(c): c for c in (owners[p] for p in line.phones if p in owners)}.values())
        if len(found) > 1:
            names = ", ".join(f"#{c.id} {c.name!r}" if c.id else repr(c.name) for c in found)
            report.errors.append(LineError(line.number, f"its phones belong to several customers ({names}); "
                                                        "merge those first"))
            report.skipped += 1
            continue
        customer: Customer | _NewCustomer
        if found:
            customer = found[0]
            changed = merge_line(customer, line)
            if isinstance(customer, Customer):
                merged.setdefault(customer.id, set()).update(changed)
            report.merged += 1
        else:
            customer = _NewCustomer(name=line.name, address=line.address, vip=bool(line.vip), flags=line.flags,
                                    note=line.note, data=dict(line.data), phones=list(line.phones))
            new.append(customer)
            report.created += 1
        owners.update({p: customer for p in line.phones})
    session.flush()  # the merges
    created = _insert(session, new)
    if created or merged:
        audit.record(session, actor, "customer.import.batch", "customer", "",
                     {"created": created, "merged": {str(k): sorted(v) for k, v in merged.items()}})


@dataclass
class _NewCustomer:
    """A customer first seen in this batch, inserted at its end (later lines of the batch may merge into it)."""

    name: str
    address: str
    vip: bool
    flags: list[str]
    note: str
    data: dict[str, Any]
    phones: list[str]
    id: int | None = None


def _insert(session: Session, new: list[_NewCustomer]) -> list[int]:
    """Inserts the batch's new customers and their phones in bulk; returns their ids.

    Not through the unit of work: at thousands of rows the ORM's per-object bookkeeping, and even multi-row
    INSERT statements (psycopg parses each one's thousands of placeholders), cost more than the database
    does. PostgreSQL gets COPY with ids taken from the table's sequence; other databases two multi-row
    INSERTs. The tenant is set explicitly, as the session's flush guard would.
    """
    if not new:
        return []
    tenant_id, now = tenant_of(session), utcnow()
    if session.get_bind().dialect.name == "postgresql":
        ids = _copy(session, new, tenant_id, now)
    else:
        ids = list(session.scalars(
            insert(Customer).returning(Customer.id, sort_by_parameter_order=True),
            [{"tenant_id": tenant_id, "name": c.name, "address": c.address, "vip": c.vip, "flags": c.flags,
              "note": c.note, "data": c.data, "created_at": now, "updated_at": now} for c in new]))
        session.execute(insert(CustomerPhone), [{"tenant_id": tenant_id, "customer_id": customer_id, "phone": phone,
                                                 "label": ""} for c, customer_id in zip(new, ids, strict=True)
                                                for phone in c.phones])
    for customer, customer_id in zip(new, ids, strict=True):
        customer.id = customer_id
    return ids


def _copy(session: Session, new: list[_NewCustomer], tenant_id: int | None, now: Any) -> list[int]:
    """PostgreSQL: ids from the sequence, then COPY into customer and customer_phone, in the session's transaction."""
    ids = list(session.scalars(text("SELECT nextval(pg_get_serial_sequence('customer', 'id')) "
                                    "FROM generate_series(1, :n)"), {"n": len(new)}))
    raw = session.connection().connection.driver_connection  # the psycopg connection of this transaction
    with raw.cursor() as cursor:
        with cursor.copy("COPY customer (id, tenant_id, name, address, vip, flags, note, data, created_at, "
                         "updated_at) FROM STDIN") as copy:
            for customer_id, c in zip(ids, new, strict=True):
                copy.write_row((customer_id, tenant_id, c.name, c.address, c.vip,
                                json.dumps(c.flags, ensure_ascii=False), c.note,
                                json.dumps(c.data, ensure_ascii=False), now, now))
        with cursor.copy("COPY customer_phone (tenant_id, customer_id, phone, label) FROM STDIN") as copy:
            for customer_id, c in zip(ids, new, strict=True):
                for phone in c.phones:
                    copy.write_row((tenant_id, customer_id, phone, ""))
    return ids


def _owners(session: Session, numbers: list[str]) -> dict[str, Customer]:
    """The customer (phones loaded) each of these numbers already belongs to, by number."""
    owner_ids: dict[str, int] = {}
    for start in range(0, len(numbers), 5000):
        owner_ids.update(session.execute(select(CustomerPhone.phone, CustomerPhone.customer_id)
                                         .where(CustomerPhone.phone.in_(numbers[start:start + 5000]))).all())
    loaded: dict[int, Customer] = {}
    ids = sorted(set(owner_ids.values()))
    for start in range(0, len(ids), 5000):
        loaded.update((c.id, c) for c in session.scalars(
            select(Customer).where(Customer.id.in_(ids[start:start + 5000])).options(selectinload(Customer.phones))))
    return {number: loaded[cid] for number, cid in owner_ids.items() if cid in loaded}


def merge_line(customer: Customer | _NewCustomer, line: _Line) -> list[str]:
    """A line about a known customer, merged as `customer_import` merges: phones and flags united, the name and
    any non-empty field overwritten, non-empty extra columns set in `data`. Returns the fields changed."""
    changed = []
    known = isinstance(customer, Customer)
    have = [p.phone for p in customer.phones] if known else customer.phones
    extra = [p for p in line.phones if p not in have]
    if extra:
        if isinstance(customer, Customer):
            customer.phones.extend(CustomerPhone(phone=p) for p in extra)
        else:
            customer.phones.extend(extra)
        changed.append("phones")
    for field_name, value in merged_fields(line, customer.flags, customer.data).items():
        if getattr(customer, field_name) != value:
            setattr(customer, field_name, value)
            changed.append(field_name)
    if changed and known:
        # Every merged row then updates the same columns, so the flush sends one batched UPDATE for the whole
        # batch instead of one statement per distinct set of changed columns.
        for field_name in _MERGED_COLUMNS:
            flag_modified(customer, field_name)
    return changed


def run(db: Database, tenant_id: int, job_id: int, *, batch: int = BATCH,
        on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Runs a queued import to the end (the RQ job's body); returns the finished row (detached).

    A job already done or running elsewhere is left alone (a duplicate job must not import twice).
    """
    with db.tenant(tenant_id) as session:
        job = session.scalar(select(ImportJob).where(ImportJob.id == job_id).with_for_update())
        if job is None:
            raise NotFound(f"import #{job_id} of tenant {tenant_id} not found")
        if job.status != "queued":
            return job
        job.status = "running"
        fmt, content, actor = job.format, job.content or b"", job.created_by
    report = committed = ImportReport()
    try:
        hints: dict[str, int] = {}
        stream: Iterator[Record | LineError] = iter(())
        header: Record | None = None
        try:
            stream = import_files.records(fmt, content, hints=hints)
            header = _header_record(stream, report)
        except FileRefused as exc:
            report.errors.append(LineError(1, f"{exc}; nothing was imported"))
        if header is None and not report.errors:
            report.errors.append(LineError(1, "the file is empty; it needs a header row with at least the "
                                              "columns name and phones"))
        keys: list[str] = []
        if header is not None:
            keys, refused = _header(header.cells)
            if refused:
                report.errors.append(LineError(header.line, refused))
                for _item in stream:  # counted, not imported
                    report.total += 1
                    report.skipped += 1
                header = None
        estimate = max(hints.get("lines", 0) - (header.line if header else 0), 0) if header else 0
        _save(db, tenant_id, job_id, report, total=report.total + estimate)
        pending: list[tuple[int, list[str]]] = []
        for item in stream if header is not None else ():
            if isinstance(item, LineError):
                report.errors.append(item)
                report.total += 1
                report.skipped += 1
            else:
                pending.append((item.line, item.cells))
            if len(pending) >= batch:
                committed = copy.deepcopy(report)
                _run_batch(db, tenant_id, job_id, keys, pending, actor, report, on_batch,
                           max(estimate, report.total + len(pending)))
                pending = []
        if pending:
            committed = copy.deepcopy(report)
            _run_batch(db, tenant_id, job_id, keys, pending, actor, report, on_batch, report.total + len(pending))
        committed = report
        with db.tenant(tenant_id) as session:
            report.errors.sort(key=lambda e: e.line)
            # A job that skipped any line never reads as plainly "done": the page shows the errors' label.
            job = _save_in(session, job_id, report, status=DONE_WITH_ERRORS if report.errors else DONE,
                           total=report.total)
            job.content, job.finished_at = None, utcnow()
            audit.record(session, actor, "customer.import", "import_job", str(job_id), {
                "created": report.created, "merged": report.merged, "skipped": report.skipped,
                "total": report.total})
            return job
    except Exception as exc:
        with db.tenant(tenant_id) as session:  # the counts of the batches that committed, not the failed one
            job = _save_in(session, job_id, committed, status="failed")
            job.failure, job.finished_at = f"{type(exc).__name__}: {exc}", utcnow()
        raise


def _header_record(stream: Iterator[Record | LineError], report: ImportReport) -> Record | None:
    """The first record (the header); unreadable lines before it are counted into the report."""
    for item in stream:
        if isinstance(item, Record):
            return item
        report.errors.append(item)
        report.total += 1
        report.skipped += 1
    return None


def _run_batch(db: Database, tenant_id: int, job_id: int, keys: list[str], rows: list[tuple[int, list[str]]],
               actor: str, report: ImportReport, on_batch: Callable[[ImportJob], None] | None, total: int) -> None:
    with db.tenant(tenant_id) as session:
        import_batch(session, keys, rows, actor, report)
        saved = _save_in(session, job_id, report, total=total)
    if on_batch is not None:
        on_batch(saved)


def _save_in(session: Session, job_id: int, report: ImportReport, *, status: str | None = None,
             total: int | None = None) -> ImportJob:
    job = get(session, job_id)
    job.done = report.total
    job.created, job.merged, job.skipped = report.created, report.merged, report.skipped
    # a file of nothing but bad lines must not grow a row of megabytes rewritten at every batch
    job.errors = [list(e) for e in report.errors[:MAX_ERRORS]]
    if total is not None:
        job.total = total
    if status is not None:
        job.status = status
    session.flush()
    return job


def _save(db: Database, tenant_id: int, job_id: int, report: ImportReport, total: int) -> None:
    with db.tenant(tenant_id) as session:
        _save_in(session, job_id, report, total=total)

