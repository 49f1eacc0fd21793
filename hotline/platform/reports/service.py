"""The report service: figures per period and dimension, added up from the interval rows of one tenant.

Everything runs in the tenant's scoped session, and every statement also names the tenant (the service is
used by the scheduled e-mail job too). One GROUP BY per report over (tenant, interval_start) rows; periods
are bucketed in Python in the tenant's zone (a month is at most 2,976 intervals per dimension value).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..models import (
    DID,
    AgentExtension,
    DirectoryEntry,
    Document,
    DocumentVersion,
    Membership,
    Queue,
    ReportInterval,
    ReportTicketInterval,
    Ticket,
    User,
)
from ..ticket_forms import field_specs, options
from . import classify as cl
from . import credit, overdue
from .figures import call_figures, ticket_figures
from .labels import label
from .periods import Period

CALL_DIMENSIONS = ("", "queue", "skill", "agent", "did")
TICKET_DIMENSIONS = ("", "form", "category", "status", "source", "handler")
SUM_COLUMNS = (*cl.CALL_COUNTS, *cl.CALL_SUMS)
#: The call row columns a report reads: the sums, then the maxima (combined by MAX, never added).
READ_COLUMNS = (*SUM_COLUMNS, *cl.CALL_MAXES)
#: Complaint texts read for the hottest topics at most (the newest of the range).
TOPIC_SAMPLE = 2000
TOPIC_FIELDS = ("details", "description", "content", "question", "summary", "title")
#: By skill, the rows of the calls no skill row holds (QA 14 #3): never queued (IVR only), and a queue naming no
#: skill; with them every call is in at least one row, and the note (report.skill_note) says why rows can exceed
#: the total.
NOT_QUEUED_KEY, NO_SKILL_KEY = "", "-"


@dataclass(slots=True)
class Report:
    """Rows of (period, dimension value) with their figures, the totals of each period and of the range."""

    period: Period
    dimension: str
    #: what the reader must know to reconcile the rows with the total (shown under the table and in exports)
    note: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    #: per bucket, what 合计 counts for it (each record once; by skill the rows add up to more): the chart's lines
    period_totals: list[dict[str, Any]] = field(default_factory=list)


def _add(into: dict[str, float], values: Mapping[str, Any], names: Iterable[str]) -> None:
    for name in names:
        into[name] = into.get(name, 0) + (values[name] or 0)


def _combine(into: dict[str, float], values: Mapping[str, float]) -> None:
    """Adds one row's sums into a running total; a maximum of maxima, not their sum (QA 14 round 4 #2)."""
    for name, value in values.items():
        value = value or 0
        into[name] = max(into.get(name, 0), value) if name in cl.CALL_MAXES else into.get(name, 0) + value


def _tabulate(period: Period, dimension: str, sums: dict[tuple[datetime, Any], dict[str, float]],
              labels: Mapping[Any, str], figures: Any,
              grand: Mapping[datetime, Mapping[str, float]] | None = None, translate: Any = None) -> Report:
    """The rows and the totals; `grand` is each bucket's own sums where one record counts in several rows (a call
    of a queue with two skills is in both skills' rows, and once in the total: QA 14 round 4 #1, and once in the
    chart: review leftover 2)."""
    keys = sorted({k for _, k in sums}, key=lambda k: labels.get(k, str(k))) if dimension else [""]
    if not keys:  # a breakdown of an empty period: one row of zeros per bucket ("—"), never no rows at all
        keys = [None]
        labels = {**labels, None: labels.get(None, "—")}
    report = Report(period, dimension)
    total: dict[str, float] = {}
    for bucket in period.buckets():  # every bucket, so an empty one shows zeros
        name = period.label(bucket, translate)
        in_bucket: dict[str, float] = {}
        for key in keys:
            values = sums.get((bucket, key), {})
            if grand is None:
                _combine(in_bucket, values)
            report.rows.append({"period": name, "period_start": bucket.isoformat(),
                                "key": key, "label": labels.get(key, str(key)) if dimension else "",
                                **figures(values)})
        if grand is not None:
            _combine(in_bucket, grand.get(bucket, {}))
        _combine(total, in_bucket)
        report.period_totals.append({"period": name, "period_start": bucket.isoformat(), **figures(in_bucket)})
    report.totals = figures(total)
    return report


def _time_key(session: Session, period: Period, column: Any) -> tuple[Any, Any]:
    """What a report groups its rows by in SQL, and how a value of it becomes an interval start (UTC).

    On PostgreSQL a report by day, week, month or total adds its intervals up by the tenant's local day in the
    database (`date_trunc('day', timezone(zone, interval_start))`): a month is 31 rows to the process instead of
    2,976 (profiled: the per-row Python sums were the largest share of the monthly report). Elsewhere, and for
    15/30/60-minute buckets, the rows stay per interval and are bucketed in Python."""
    if period.group.endswith("min") or session.get_bind().dialect.name != "postgresql":
        return column, lambda value: value
    zone = period.zone

    def start_of(value: datetime) -> datetime:
        return datetime.combine(value.date(), time.min, tzinfo=zone).astimezone(UTC)

    return func.date_trunc("day", func.timezone(zone.key, column)), start_of


# -- calls -----------------------------------------------------------------------------------------------------


def _queue_skills(session: Session, tenant_id: int) -> dict[str, list[str]]:
    return {name: list(skills or []) for name, skills in session.execute(
        select(Queue.name, Queue.skills).where(Queue.tenant_id == tenant_id))}


def call_labels(session: Session, tenant_id: int, dimension: str) -> dict[Any, str]:
    """What users read for a dimension value: the queue's label, the agent's name, the DID's label."""
    if dimension in ("queue", "skill"):
        from ..models import Skill

        model = Queue if dimension == "queue" else Skill
        return {name: label or name for name, label in session.execute(
            select(model.name, model.label).where(model.tenant_id == tenant_id))}
    if dimension == "agent":
        # Users are shared by tenants: only members of this tenant are named (a row keyed by another
        # tenant's user id must not show that user's name).
        return {user_id: display or username for user_id, display, username in session.execute(
            select(User.id, User.display_name, User.username).where(User.id.in_(
                select(Membership.user_id).where(Membership.tenant_id == tenant_id))))}
    if dimension == "did":
        label = getattr(DID, "label", None)
        if label is not None:
            return {number: text or number for number, text in session.execute(
                select(DID.number, label).where(DID.tenant_id == tenant_id))}
    return {}


#: The key prefix of a by-agent row that is an extension no user holds ("ext:1001"), not a user id.
EXTENSION_KEY = "ext:"


def extension_label(extension: str, translate: Any = None) -> str:
    """What a call answered on an extension with no user is attributed to: 分机 1001（未绑定用户）."""
    template = translate("agent.extension") if translate else label("agent.extension")
    return template % {"extension": extension}


def call_report(session: Session, tenant_id: int, period: Period, dimension: str = "",
                filters: Mapping[str, Any] | None = None, translate: Any = None) -> Report:
    """Call figures per bucket of the period (and dimension value: queue, skill, agent, DID). By agent, a call
    answered on an extension no user holds is its extension's row (key "ext:<extension>"), not "—"."""
    if dimension not in CALL_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    filters = filters or {}
    column = {"queue": ReportInterval.queue, "skill": ReportInterval.queue, "agent": ReportInterval.agent_id,
              "did": ReportInterval.did}.get(dimension)
    # by agent, the extension is read too (one more GROUP BY column); users' rows have it ''
    extra = [ReportInterval.extension] if dimension == "agent" else []
    when, start_of = _time_key(session, period, ReportInterval.interval_start)
    query = select(when, *([column] if column is not None else []), *extra,
                   *(func.sum(getattr(ReportInterval, c)).label(c) for c in SUM_COLUMNS),
                   *(func.max(getattr(ReportInterval, c)).label(c) for c in cl.CALL_MAXES)).where(
        ReportInterval.tenant_id == tenant_id, ReportInterval.interval_start >= period.start,
        ReportInterval.interval_start < period.end)
    for name in ("queue", "did"):
        if filters.get(name):
            query = query.where(getattr(ReportInterval, name) == str(filters[name]))
    if filters.get("agent"):  # the agent's calls: recorded with the user, or bridged to the user's extension
        held = member_extensions(session, tenant_id, [int(filters["agent"])])
        query = query.where(or_(ReportInterval.agent_id == int(filters["agent"]),
                                and_(ReportInterval.agent_id == 0, ReportInterval.extension.in_(list(held)))))
    if filters.get("extension"):
        query = query.where(ReportInterval.agent_id == 0, ReportInterval.extension == str(filters["extension"]))
    query = query.group_by(when, *([column] if column is not None else []), *extra)
    skills = _queue_skills(session, tenant_id) if dimension == "skill" else {}
    offset = 1 + (column is not None) + len(extra)
    totals: dict[tuple[datetime, Any], list[float]] = {}
    grand: dict[datetime, list[float]] = {}
    for row in session.execute(query):  # plain tuples: up to thousands of rows of 40 sums each
        bucket = period.bucket(start_of(row[0]))
        if dimension == "skill":
            keys = ([k for k in skills.get(row[1]) or [] if k] or [NO_SKILL_KEY]) if row[1] else [NOT_QUEUED_KEY]
        elif extra and row[2]:  # answered on an extension no user holds
            keys = [EXTENSION_KEY + row[2]]
        elif column is not None:
            keys = [row[1]]
        else:
            keys = [""]
        values = row[offset:]
        if dimension == "skill":
            grand[bucket] = _merge(grand.get(bucket), values)
        for key in keys:
            totals[(bucket, key)] = _merge(totals.get((bucket, key)), values)
    sums: dict[tuple[datetime, Any], dict[str, float]] = {k: dict(zip(READ_COLUMNS, v, strict=True))
                                                          for k, v in totals.items()}
    if dimension in ("queue", "did"):
        sums = {k: v for k, v in sums.items() if k[1] != ""} | {k: v for k, v in sums.items() if k[1] == ""}
    labels = call_labels(session, tenant_id, dimension)
    if dimension == "queue":
        labels[""] = "—"
    if dimension == "skill":
        labels.update({NOT_QUEUED_KEY: (translate or label)("skill.not_queued"),
                       NO_SKILL_KEY: (translate or label)("skill.none")})
    if dimension == "agent":
        sums = _credit_holders(session, tenant_id, sums)
        labels[0] = "—"
        for _bucket, key in sums:
            if isinstance(key, str) and key.startswith(EXTENSION_KEY):
                labels[key] = extension_label(key[len(EXTENSION_KEY):], translate)
    report = _tabulate(period, dimension, sums, labels, call_figures,
                       {bucket: dict(zip(READ_COLUMNS, values, strict=True)) for bucket, values in grand.items()}
                       if dimension == "skill" else None, translate)
    if dimension == "skill":
        report.note = (translate or label)("report.skill_note")
    return report


def member_extensions(session: Session, tenant_id: int, user_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Extension → the member of the tenant who holds it (of `user_ids` only, when given). Users and extensions are
    platform-wide: an extension held by a user of another tenant only is nobody's here."""
    query = select(AgentExtension.extension, AgentExtension.user_id).where(AgentExtension.user_id.in_(
        select(Membership.user_id).where(Membership.tenant_id == tenant_id)))
    if user_ids is not None:
        query = query.where(AgentExtension.user_id.in_(list(user_ids)))
    return {extension: user_id for extension, user_id in session.execute(query)}


def _credit_holders(session: Session, tenant_id: int,
                    sums: dict[tuple[datetime, Any], dict[str, float]]) -> dict[tuple[datetime, Any], dict[str, float]]:
    """By agent, a call bridged to an extension a member holds is that member's, also when its record was written
    without the user (QA 14: half the answered calls were credited to no agent — the user is looked up when the record
    is written, and an extension given to the user later, or a failed lookup, left the call the extension's)."""
    extensions = {k[len(EXTENSION_KEY):] for _b, k in sums if isinstance(k, str) and k.startswith(EXTENSION_KEY)}
    if not extensions:
        return sums
    holders = {ext: user for ext, user in member_extensions(session, tenant_id).items() if ext in extensions}
    out: dict[tuple[datetime, Any], dict[str, float]] = {}
    for (bucket, key), values in sums.items():
        if isinstance(key, str) and key.startswith(EXTENSION_KEY):
            key = holders.get(key[len(EXTENSION_KEY):], key)
        into = out.setdefault((bucket, key), {})
        for name, value in values.items():  # sums add up, the longest call stays the longest
            value = value or 0
            into[name] = max(into.get(name, 0), value) if name in cl.CALL_MAXES else into.get(name, 0) + value
    return out


def _merge(into: list[float] | None, values: Any) -> list[float]:
    """Adds one row's read columns to a running row: sums add up, maxima take the larger."""
    if into is None:
        return [v or 0 for v in values]
    added = len(SUM_COLUMNS)
    return ([a + (b or 0) for a, b in zip(into[:added], values[:added], strict=True)]
            + [max(a, b or 0) for a, b in zip(into[added:], values[added:], strict=True)])


# -- tickets ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class FormLabels:
    titles: dict[str, str] = field(default_factory=dict)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    categories: dict[tuple[str, str], str] = field(default_factory=dict)
    category_fields: dict[str, str] = field(default_factory=dict)  # form -> the field its tickets are sorted by


def form_labels(session: Session, tenant_id: int) -> FormLabels:
    """Titles of the tenant's forms, their status labels and category option titles (latest published)."""
    found = FormLabels()
    rows = session.execute(
        select(Document.name, DocumentVersion.body).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.tenant_id == tenant_id, Document.kind == "form",
               DocumentVersion.number == Document.published_version)).all()
    for name, body in rows:
        body = body or {}
        found.titles[name] = str(body.get("title") or name)
        for status in body.get("statuses") or []:
            found.statuses[(name, status.get("name"))] = str(status.get("label") or status.get("name"))
        category = cl.category_field(body)
        if category:
            found.category_fields[name] = category
            for spec in field_specs(body):
                if spec.name == category:
                    for code, title in options(spec.schema):
                        found.categories[(name, str(code))] = str(title)
    return found


#: The key prefix of a by-handler row that is a directory entry (a courier, a technician), not a user id.
ENTRY_KEY = credit.ENTRY_KEY


def entry_labels(session: Session, tenant_id: int, ids: Iterable[int]) -> dict[int, str]:
    """Names of the tenant's directory entries a ticket was dispatched to (张师傅), by id; another tenant's
    entry is never named."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {entry_id: name or str(entry_id) for entry_id, name in session.execute(
        select(DirectoryEntry.id, DirectoryEntry.name).where(DirectoryEntry.tenant_id == tenant_id,
                                                             DirectoryEntry.id.in_(wanted)))}


#: i18n keys of the ticket sources (the designer's report strings hold their words)
SOURCE_LABELS = {"ivr": "source.ivr", "call": "source.call", "desk": "source.desk"}


def _overdue_unresponded(session: Session, tenant_id: int, period: Period, dimension: str,
                         filters: Mapping[str, Any], now: datetime) -> dict[tuple[datetime, Any], dict[str, float]]:
    """Tickets created in the period, never responded to and past their response due at `now`, per bucket and key:
    late for 响应及时率 (in time ÷ (responded + these)). They depend on "now", so they are counted from the tickets
    at read time, in SQL (overdue.py), never stored in interval rows."""
    when, start_of = _time_key(session, period, Ticket.created_at)
    return {key: {"response_overdue": n} for key, n in overdue.counts(
        session, tenant_id, period, dimension, filters, now, when, start_of).items()}


def ticket_report(session: Session, tenant_id: int, period: Period, dimension: str = "",
                  filters: Mapping[str, Any] | None = None, translate: Any = None, *,
                  now: datetime | None = None) -> Report:
    """Ticket figures per bucket of the period and dimension (form, category, status, source, handler); tickets
    past their response due without a response at `now` (default: the clock) count late in 响应及时率."""
    if dimension not in TICKET_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    filters = filters or {}
    t = ReportTicketInterval
    columns = {"form": [t.form_name], "category": [t.form_name, t.category], "status": [t.form_name, t.status],
               "source": [t.source], "handler": [t.agent_id, t.handler_entry_id]}.get(dimension, [])
    counts = cl.TICKET_COUNTS
    when, start_of = _time_key(session, period, t.interval_start)
    query = select(when, *columns, *(func.sum(getattr(t, c)).label(c) for c in counts)).where(
        t.tenant_id == tenant_id, t.interval_start >= period.start, t.interval_start < period.end)
    if filters.get("form"):
        query = query.where(t.form_name == str(filters["form"]))
    if filters.get("complaints"):
        query = query.where(t.complaints > 0)
    query = query.group_by(when, *columns)
    sums: dict[tuple[datetime, Any], dict[str, float]] = defaultdict(dict)
    for row in session.execute(query).all():
        values = row._mapping
        key = tuple(row[1:1 + len(columns)])
        # by handler: the person credited (credit.py), else the dispatched entry ("entry:<id>"), else 0
        key = credit.handler_key(*key) if dimension == "handler" else key[0] if len(key) == 1 else (key or "")
        _add(sums[(period.bucket(start_of(row[0])), key)], values, counts)
    for key, values in _overdue_unresponded(session, tenant_id, period, dimension, filters,
                                            now or datetime.now(UTC)).items():
        _add(sums[key], values, values)
    forms = form_labels(session, tenant_id)
    tr = translate or (lambda text: text)
    labels: dict[Any, str] = {}
    for _bucket, key in sums:
        if dimension == "form":
            labels[key] = forms.titles.get(key, key)
        elif dimension == "category":
            labels[key] = f"{forms.titles.get(key[0], key[0])} / " + (
                forms.categories.get(key, key[1]) if key[1] else tr("(none)"))
        elif dimension == "status":
            labels[key] = f"{forms.titles.get(key[0], key[0])} / {forms.statuses.get(key, key[1])}"
        elif dimension == "source":
            labels[key] = tr(SOURCE_LABELS.get(key, key))
    if dimension == "handler":
        names = call_labels(session, tenant_id, "agent")
        entries = entry_labels(session, tenant_id, {int(k[len(ENTRY_KEY):]) for _b, k in sums
                                                    if isinstance(k, str) and k.startswith(ENTRY_KEY)})
        labels = {k: names.get(k, str(k)) if isinstance(k, int) else entries.get(int(k[len(ENTRY_KEY):]), k)
                  for _b, k in sums}
        labels[0] = tr("(nobody)")
    return _tabulate(period, dimension, sums, labels, ticket_figures, translate=translate)


def hot_topics(session: Session, tenant_id: int, period: Period, limit: int = 10, *,
               form: str = "") -> list[tuple[str, int]]:
    """The words most complaints of the range share (each complaint counts a word once), from the newest
    TOPIC_SAMPLE complaint tickets (of `form` only when the report is filtered by one, QA 14 item 3), cut by
    jieba's precise mode (topics.topic_words: a word's parts are not counted again)."""
    from .topics import topic_words

    forms = {name for name, title in session.execute(
        select(Document.name, Document.name).where(Document.tenant_id == tenant_id, Document.kind == "form"))
             if cl.is_complaint_form(name, {})}
    forms |= {name for name, body in session.execute(
        select(Document.name, DocumentVersion.body).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.tenant_id == tenant_id, Document.kind == "form",
               DocumentVersion.number == Document.published_version)) if cl.is_complaint_form(name, body or {})}
    if form:
        forms &= {form}
    if not forms:
        return []
    datas = session.scalars(
        select(Ticket.data).where(Ticket.tenant_id == tenant_id, Ticket.form_name.in_(forms),
                                  Ticket.created_at >= period.start, Ticket.created_at < period.end)
        .order_by(Ticket.created_at.desc()).limit(TOPIC_SAMPLE))
    counter: Counter[str] = Counter()
    for data in datas:
        text = " ".join(str((data or {}).get(f) or "") for f in TOPIC_FIELDS)
        counter.update(topic_words(text))
    return counter.most_common(limit)
