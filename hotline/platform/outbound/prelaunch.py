"""The pre-launch check: before a campaign starts, what the dialer would refuse now and why, per rule, with
the contacts (and their import lines) behind each count, and the script variables the list does not supply."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Contact, ContactList, DialAttempt
from . import dnc
from .compliance import ContactFacts, check

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


def _detail_code(rule: str, params: Mapping[str, Any]) -> str:
    """The string-table code of a refusal's detail (QA 13 #2: the page words it, in the reader's language)."""
    if rule == "outside_window" and params.get("next") is None:
        return "detail.outside_window_none"
    return f"detail.{rule}"


#: Numbers per IN query: PostgreSQL takes at most 65,535 parameters per statement, and a 100,000-contact list
#: sent in one IN refused the whole check (QA 13, round 4, #1).
IN_CHUNK = 1000


def _attempts_by_phone(session: Session, phones: set[str]) -> dict[str, list[tuple[datetime, bool]]]:
    """{E.164 number: [(attempt time, abandoned)]} of earlier dials of these numbers, in bounded IN queries; an
    agent's skip in preview or a compliance refusal (outcome `skipped`) dialled nobody and does not count."""
    wanted = sorted(phones)
    attempts: dict[str, list[tuple[datetime, bool]]] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        query = (select(DialAttempt.phone_e164, DialAttempt.at, DialAttempt.abandoned)
                 .where(DialAttempt.phone_e164.in_(wanted[start:start + IN_CHUNK]),
                        DialAttempt.outcome != "skipped"))  # a skip is no dial (QA 13 round 4 #2)
        for phone, at, abandoned in session.execute(query):
            attempts.setdefault(phone, []).append((at, abandoned))
    return attempts


def prelaunch(session: Session, contact_list: ContactList, script: Mapping[str, Any], now: datetime, *,
              holidays: list[str] | None = None, examples: int = 5) -> Prelaunch:
    """What would happen if the campaign dialled the whole list at `now`."""
    dialing = script.get("dialing") or {}
    contacts = list(session.scalars(select(Contact).where(Contact.list_id == contact_list.id).order_by(Contact.id)))
    on_lists = dnc.lists_holding(session, (c.phone_e164 for c in contacts))
    attempts = _attempts_by_phone(session, {c.phone_e164 for c in contacts})
    result = Prelaunch(total=len(contacts))
    for contact in contacts:
        refusal = check(ContactFacts(contact.phone_e164, contact.timezone, contact.consent_at,
                                     on_lists.get(contact.phone_e164, ()), attempts.get(contact.phone_e164, ())),
                        dialing, now, purpose=contact_list.purpose, holidays=holidays or ())
        if refusal is None:
            result.dialable += 1
            continue
        rule = result.refused.setdefault(refusal.rule, {"count": 0, "examples": []})
        rule["count"] += 1
        if len(rule["examples"]) < examples:
            rule["examples"].append({"contact": contact.id, "line": contact.line, "phone": contact.phone_e164,
                                     "detail": refusal.detail,
                                     "message": {"code": _detail_code(refusal.rule, refusal.params),
                                                 **refusal.params}})
    supplied = BUILT_IN_FIELDS | {key for c in contacts for key in (c.fields or {})}
    result.missing_variables = sorted(script_variables(script) - supplied)
    return result
