"""The pre-launch check: before a campaign starts, what the dialer would refuse now and why, per rule, with
the contacts (and their import lines) behind each count, and the script variables the list does not supply."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from ..models import Contact, ContactList, DialAttempt
from . import dnc
from .compliance import ContactFacts, check
from .reasons import detail_code

_CONTACT_VARIABLE = re.compile(r"\{\{\s*contact\.([A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*)\s*\}\}")
BUILT_IN_FIELDS = frozenset({"name", "phone", "phone_e164"})


@dataclass
class Prelaunch:
    """Counts of dialable and refused contacts now, refusals by rule ({"count", "examples"}), missing script
    variables."""

    total: int = 0
    dialable: int = 0
    refused: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing_variables: list[str] = field(default_factory=list)
    #: {column: {"count", "examples"}}: contacts without a value for a custom column the script reads
    lacking_variables: dict[str, dict[str, Any]] = field(default_factory=dict)


def script_variables(script: Mapping[str, Any]) -> set[str]:
    """The {{contact.x}} names a published outbound script uses anywhere in its texts."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.update(_CONTACT_VARIABLE.findall(value))
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(script)
    return found


def _attempts_on_list(session: Session, contact_list: ContactList) -> dict[str, list[tuple[datetime, bool]]]:
    """{E.164 number: [(attempt time, abandoned)]} of earlier dials of the list's numbers, in one query joined in
    the database (a 100,000-contact list is never sent as parameters: QA 13 round 4 #1, 13b #6); an agent's skip
    in preview or a compliance refusal (outcome `skipped`) dialled nobody and does not count."""
    numbers = select(Contact.phone_e164).where(Contact.list_id == contact_list.id)
    attempts: dict[str, list[tuple[datetime, bool]]] = {}
    query = (select(DialAttempt.phone_e164, DialAttempt.at, DialAttempt.abandoned)
             .where(DialAttempt.phone_e164.in_(numbers),
                    DialAttempt.outcome != "skipped"))  # a skip is no dial (QA 13 round 4 #2)
    for phone, at, abandoned in session.execute(query):
        attempts.setdefault(phone, []).append((at, abandoned))
    return attempts


def prelaunch(session: Session, contact_list: ContactList, script: Mapping[str, Any], now: datetime, *,
              holidays: list[str] | None = None, examples: int = 5) -> Prelaunch:
    """What would happen if the campaign dialled the whole list at `now`.

    Set-based for large lists (issue 13, 13b #6: 16 s for 100,000 contacts on the campaign page): the columns the
    rules need as plain rows, not ORM objects; attempts and do-not-call entries joined in the database; and the
    rules evaluated once per distinct set of facts (zone, consent given, lists, attempts), since a refusal does not
    depend on the number itself — most contacts of a list share one.
    """
    dialing = script.get("dialing") or {}
    rows = session.execute(select(Contact.id, Contact.phone_e164, Contact.timezone, Contact.consent_at.is_(None),
                                  Contact.line)
                           .where(Contact.list_id == contact_list.id).order_by(Contact.id)).all()
    on_lists = dnc.lists_holding_list(session, contact_list.id)
    attempts = _attempts_on_list(session, contact_list)
    result = Prelaunch(total=len(rows))
    decided: dict[tuple[Any, ...], Any] = {}
    for contact_id, phone, zone, no_consent, line in rows:
        tried = tuple(sorted(attempts.get(phone, ())))
        key = (zone, no_consent, on_lists.get(phone, ()), tried)
        if key not in decided:
            decided[key] = check(ContactFacts(phone, zone, None if no_consent else now, key[2], tried),
                                 dialing, now, purpose=contact_list.purpose, holidays=holidays or ())
        refusal = decided[key]
        if refusal is None:
            result.dialable += 1
            continue
        rule = result.refused.setdefault(refusal.rule, {"count": 0, "examples": []})
        rule["count"] += 1
        if len(rule["examples"]) < examples:
            rule["examples"].append({"contact": contact_id, "line": line, "phone": phone,
                                     "detail": refusal.detail,
                                     "message": {"code": detail_code(refusal.rule, refusal.params),
                                                 **refusal.params}})
    used = script_variables(script) - BUILT_IN_FIELDS
    held = _field_keys(session, contact_list)
    result.missing_variables = sorted(used - held)
    result.lacking_variables = _contacts_lacking(session, contact_list, sorted(used & held), examples)
    return result


def _contacts_lacking(session: Session, contact_list: ContactList, names: list[str],
                      examples: int) -> dict[str, dict[str, Any]]:
    """Per custom column the script reads and the list has: the contacts whose cell is absent or empty, so the
    operator sees who would hear a blank (QA 13f #1) — one query, returning only the contacts lacking a value."""
    if not names:
        return {}
    empty = [func.coalesce(Contact.fields[name].as_string(), "") == "" for name in names]
    query = (select(Contact.id, Contact.line, Contact.name, *empty)
             .where(Contact.list_id == contact_list.id, Contact.tenant_id == contact_list.tenant_id, or_(*empty))
             .order_by(Contact.id))
    lacking: dict[str, dict[str, Any]] = {}
    for contact_id, line, name, *flags in session.execute(query):
        for column, is_empty in zip(names, flags, strict=True):
            if is_empty:
                entry = lacking.setdefault(column, {"count": 0, "examples": []})
                entry["count"] += 1
                if len(entry["examples"]) < examples:
                    entry["examples"].append({"contact": contact_id, "line": line, "name": name})
    return lacking


def field_keys(session: Session, *where: Any) -> set[str]:
    """The custom column names any contact matching `where` holds, listed by the database (decoding 100,000 JSON
    objects in Python took 4 s of the check)."""
    if session.get_bind().dialect.name == "postgresql":
        keys = select(func.jsonb_object_keys(Contact.fields)).where(*where).distinct()
        return set(session.scalars(keys))
    each = func.json_each(Contact.fields).table_valued("key")
    return set(session.scalars(select(each.c.key).select_from(Contact).join(each, true()).where(*where)
                               .distinct()))


def _field_keys(session: Session, contact_list: ContactList) -> set[str]:
    """The custom column names any contact of the list holds."""
    return field_keys(session, Contact.list_id == contact_list.id, Contact.tenant_id == contact_list.tenant_id)
