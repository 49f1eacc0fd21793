"""A campaign's results as rows for CSV and Excel: every attempt with its disposition and answers, in labels.

Codes never reach the file: outcomes go through the caller's translation, dispositions and answers through the
script's own labels (the version the campaign runs). Times are in the tenant's zone. The cells are written by
services/spreadsheet_cells, so no tenant text becomes a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from ..models import CallTask, Campaign, CampaignEntry, Contact, DialAttempt, Tenant, Ticket
from ..scoping import tenant_of
from ..services import spreadsheet_cells
from ..wallboard.today import tenant_zone
from . import reasons
from .campaigns import script_body
from .disposition_words import Dispositions
from .skips import SKIP_REASONS, is_agent_skip

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
OUTCOMES = ("dialing", "answered", "busy", "no_answer", "invalid", "failed", "machine", "abandoned", "skipped", "lost")
HEADER = ("Time", "Contact", "Phone", "Outcome", "Abandoned", "Disposition", "Agent", "Answered at", "Ended at",
          "Answers", "Why", "Ticket")
#: Columns holding times, in the tenant's zone (named in their headers).
TIMED = frozenset({"Time", "Answered at", "Ended at"})
#: Most attempts one export writes (a bound per request; a larger campaign is exported by date range later).
MAX_ROWS = 200_000


def _labels(script: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, dict[str, str]]]]:
    dispositions = {d["code"]: d.get("label", d["code"]) for d in script.get("dispositions", [])}
    questions = {q["name"]: (q.get("label", q["name"]), {o["value"]: o.get("label", o["value"])
                                                          for o in q.get("options", [])})
                 for page in (script.get("pages") or {}).values() for q in page.get("questions", [])}
    return dispositions, questions


def rows(session: Session, campaign: Campaign, translate: Callable[[str], str],
         say: Callable[[Any], str] = reasons.plain) -> Iterator[list[str]]:
    """The header, then one row per attempt, oldest first; `say` words a stored reason (a code and its parameters,
    reasons.py) in the reader's language — the default is the English for logs."""
    tenant = session.get(Tenant, tenant_of(session))
    zone = tenant_zone(tenant.settings if tenant is not None else None)
    _, questions = _labels(script_body(session, campaign))
    words = Dispositions(session, campaign, translate)
    yes, no = translate("yes"), translate("no")

    def when(value: Any) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""

    def answers(values: Mapping[str, Any] | None) -> str:
        parts = []
        for name, value in (values or {}).items():
            label, options = questions.get(name, (name, {}))
            shown = [options.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value])]
            parts.append(f"{label}: {'、'.join(shown)}")
        return "; ".join(parts)

    def disposition(attempt: DialAttempt, task_script: str | None) -> str:
        if not attempt.disposition:
            return ""
        if attempt.outcome == "skipped":  # the dialer's refusing rule, or the agent's preview skip reason
            return translate(f"rule.{attempt.disposition}")
        # the label the call offered it by: the script's, a call task's, the tasks campaign's defaults (review
        # leftover 4: the tasks campaign's codes were written as they are stored)
        return words.word(attempt.disposition, task_script)

    # The times' columns name the zone they are in: a file leaves the page that said it (issue 16, item 6).
    yield [f"{translate(h)} ({zone.key})" if h in TIMED else translate(h) for h in HEADER]
    query = (select(DialAttempt, Contact.name, Ticket.number, CallTask.script)
             .outerjoin(Contact, Contact.id == DialAttempt.contact_id)
             .outerjoin(Ticket, Ticket.id == DialAttempt.ticket_id)
             .outerjoin(CampaignEntry, CampaignEntry.id == DialAttempt.entry_id)
             .outerjoin(CallTask, CallTask.id == CampaignEntry.call_task_id)
             .where(DialAttempt.campaign_id == campaign.id).order_by(DialAttempt.at, DialAttempt.id).limit(MAX_ROWS))
    for attempt, name, ticket, task_script in session.execute(query):
        outcome = "agent_skipped" if is_agent_skip(attempt.outcome, attempt.disposition) else attempt.outcome
        yield [when(attempt.at), name or "", attempt.phone_e164, translate(f"outcome.{outcome}"),
               yes if attempt.abandoned else no,
               disposition(attempt, task_script),
               attempt.agent or "", when(attempt.answered_at), when(attempt.ended_at), answers(attempt.answers),
               say(attempt.reason) if attempt.reason else "", ticket or ""]


#: The entry states that end a contact's dialling.
ENDED = ("done", "skipped", "failed", "closed")


def ended_reasons(session: Session, campaign: Campaign) -> list[tuple[str, str, int]]:
    """(state, code, contacts) of the campaign's ended entries: the code is the entry's last outcome (a refusing
    rule, an outcome, a disposition, or task_closed), stored as a code so the page shows its label in the reader's
    language (QA 13 #4) — closed_reason keeps the English words for logs."""
    # an agent's skip stored before its code was kept (last outcome "skipped"): its reason's code from the words
    legacy = [(CampaignEntry.closed_reason == f"skipped in preview: {words}", code)
              for code, (_state, _due, words) in SKIP_REASONS.items()]
    code = case(*[((CampaignEntry.last_outcome == "skipped") & match, literal(skip)) for match, skip in legacy],
                else_=CampaignEntry.last_outcome)
    query = (select(CampaignEntry.state, code, func.count())
             .where(CampaignEntry.campaign_id == campaign.id, CampaignEntry.state.in_(ENDED))
             .group_by(CampaignEntry.state, code).order_by(CampaignEntry.state, code))
    return [(state, code or "", count) for state, code, count in session.execute(query)]


def reason_label(session: Session, campaign: Campaign, translate: Callable[[str], str]) -> Callable[[str], str]:
    """code → its label: a rule's, an outcome's, else the script's disposition label."""
    dispositions = Dispositions(session, campaign, translate).all_labels()

    def label(code: str) -> str:
        for key in (f"rule.{code}", f"outcome.{code}"):
            words = translate(key)
            if words != key:
                return words
        return dispositions.get(code, code) if code else "—"
    return label


def export(session: Session, campaign: Campaign, fmt: str, translate: Callable[[str], str],
           say: Callable[[Any], str] = reasons.plain) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"export format is one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "csv":
        return spreadsheet_cells.csv_bytes(rows(session, campaign, translate, say))
    return spreadsheet_cells.xlsx_bytes(rows(session, campaign, translate, say), "results")
