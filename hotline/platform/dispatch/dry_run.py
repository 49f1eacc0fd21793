"""A dry run of dispatch rules (a designer's unsaved draft) on one ticket or call: what each rule would do.

Why the real engine and not a simulation: the designer must see exactly what the rules will do once
published, so `run_rules` runs the draft's rules (its `rules=` argument) on the real ticket, its actions
included, inside a savepoint that is rolled back. Messages are *queued* on a queue that drops every job, so
their rendered text can be read back from the delivery rows before the rollback, and nothing is ever sent. The engine's
`trace` says why each rule did or did not fire; `explain.failed_parts` names the failing condition parts.

The caller must not commit the session either (the API discards its transaction): the savepoint removes
every row, the discarded transaction every after-commit side effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Notification, Ticket, utcnow
from ..services import ticket_lists, tickets
from ..ticket_form_fields import options
from .engine import RuleBody, Step, run_rules
from .explain import failed_parts
from .message_labels import local_text

#: The document name the draft's rules run under (never a real document: names are identifiers).
DRAFT = "(draft)"


class DroppingQueue:
    """An RQ queue stand-in that drops every job: a dry run must never deliver anything.

    Dropping rather than refusing: SQLAlchemy runs after-commit hooks when a savepoint is released too, so the
    engine's per-action savepoints already hand queued messages to their queue during the run.
    """

    name = "dry-run"

    def enqueue(self, *_args: Any, **_kwargs: Any) -> None:
        return None

    enqueue_at = enqueue_in = enqueue_call = enqueue


class Labels:
    """Field titles, choice labels and status labels of a ticket's form (codes pass through unchanged)."""

    def __init__(self, form_doc: Mapping[str, Any] | None) -> None:
        props = ((form_doc or {}).get("schema") or {}).get("properties") or {}
        self.titles = {f"ticket.{n}": str(s.get("title") or n) for n, s in props.items() if isinstance(s, Mapping)}
        self.choices = {f"ticket.{n}": dict(options(s) or options(s.get("items") or {}))
                        for n, s in props.items() if isinstance(s, Mapping)}
        self.choices["ticket.status"] = {s.get("name"): s.get("label") or s.get("name")
                                         for s in (form_doc or {}).get("statuses", []) if isinstance(s, Mapping)}

    def field(self, path: str) -> str | None:
        return self.titles.get(path)

    def value(self, path: str, value: Any) -> Any:
        choices = self.choices.get(path) or {}
        if isinstance(value, list):
            return [self.value(path, v) for v in value]
        if isinstance(value, dict | list) or value is None:
            return value
        try:
            return choices.get(value, value)
        except TypeError:
            return value


def _notifications(session: Session, records: list[dict[str, Any]]) -> dict[int, Notification]:
    ids: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, Mapping):
            if isinstance(value.get("notification"), int):
                ids.add(value["notification"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(records)
    if not ids:
        return {}
    return {n.id: n for n in session.scalars(select(Notification).where(Notification.id.in_(ids)))}


def _effects(action: Mapping[str, Any], labels: Labels, sent: Mapping[int, Notification]) -> list[dict[str, Any]]:
    """What an action did, as the designer shows it: labels, rendered messages."""
    found: list[dict[str, Any]] = []
    for key, value in action.items():
        if key in ("type", "status", "reason"):
            continue
        if key == "notification" or (isinstance(value, Mapping) and "notification" in value):
            row = sent.get(action["notification"] if key == "notification" else value["notification"])
            if row is not None:
                found.append({"kind": "message", "channel": row.channel, "to": row.to, "subject": row.subject,
                              "text": row.body})
            continue
        if key in ("channel", "to", "delivery") and "notification" in action:
            continue
        if key == "fields" and isinstance(value, Mapping):
            for name, new in value.items():
                path = f"ticket.{name}"
                found.append({"kind": "set_field", "field": name, "label": labels.field(path) or name,
                              "value": labels.value(path, new)})
            continue
        if action.get("type") == "set_status" and key in ("from", "to"):
            found.append({"kind": "status", "which": key, "value": labels.value("ticket.status", value)})
            continue
        found.append({"kind": "fact", "key": key, "value": value})
    return found


def _explain(step: Step, labels: Labels, zone: Any) -> list[dict[str, Any]]:
    when = step.rule.body.get("when")
    if step.verdict != "condition_false" or not isinstance(when, Mapping) or step.context is None:
        return []
    parts = failed_parts(when, step.context)
    for part in parts:
        path = part["field"]
        part["label"] = labels.field(path)
        if part.get("actual") is not None:
            part["actual"] = local_text(labels.value(path, part["actual"]), zone)
        if "expected" in part:
            part["expected"] = labels.value(path, part["expected"])
    return parts


def _by_index(rules: list[RuleBody], trace: list[Step]) -> dict[int, Step]:
    """The engine's step of each rule by its place in the draft (rules are told apart by identity: two
    rules may have equal bodies)."""
    by_rule = {id(r): i for i, r in enumerate(rules)}
    return {by_rule[id(step.rule)]: step for step in trace}


def dry_run(session: Session, draft: Mapping[str, Any], event: str, context: Mapping[str, Any], *,
            actor: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Runs the draft's rules for `event` on `context` (as `run_rules` takes it) and returns one entry per
    rule of the draft, in order: number (from 1, as the editor shows), name, label, verdict, the failing
    condition parts, outcome, warnings and each action's effects. Nothing is kept (see the module doc)."""
    now = now or utcnow()
    rules = [RuleBody(DRAFT, 0, r) for r in draft.get("rules") or [] if isinstance(r, Mapping)]
    number = context.get("ticket").number if isinstance(context.get("ticket"), Ticket) else None
    labels = Labels(tickets.form_of(session, context["ticket"]) if number is not None else None)
    zone = ticket_lists.tenant_zone(session)
    trace: list[Step] = []
    savepoint = session.begin_nested()
    try:
        run_rules(session, event, context, actor=actor, queue=DroppingQueue(), now=now, rules=rules, trace=trace)
        records = [s.firing.record() for s in trace if s.firing is not None]
        sent = _notifications(session, records)
        seen = _by_index(rules, trace)
        found = []
        for i, rule in enumerate(rules):
            body = rule.body
            step = seen.get(i)
            entry: dict[str, Any] = {"number": i + 1, "name": body.get("name"), "label": body.get("label"),
                                     "event": body.get("event"),
                                     "verdict": step.verdict if step is not None else "not_reached"}
            if step is not None:
                entry["failed"] = _explain(step, labels, zone)
                if step.firing is not None:
                    firing = step.firing
                    entry.update(outcome=firing.outcome, warnings=list(firing.warnings),
                                 actions=[{"type": a.get("type"), "status": a.get("status"), "reason": a.get("reason"),
                                           "effects": _effects(a, labels, sent)} for a in firing.actions],
                                 routing=list(firing.routing), tasks=list(firing.tasks))
            found.append(entry)
        return found
    finally:
        savepoint.rollback()
