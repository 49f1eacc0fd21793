"""A call's answers stored as a ticket when the script says so (`create_ticket` on the outbound script).

A return visit whose customer says the problem is not solved must become work for someone, not a line in an
export: `create_ticket: {form, fields: {form field: text with {{answer.x}} / {{contact.x}}}, on: [codes]}` makes a
ticket of the tenant's form when the wrap-up ends with one of `on` (default: the dispositions whose outcome is
`success`). Made once per attempt (attempt.ticket_id), linked to the customer who owns the number.

A ticket the form refuses (a required field the answers did not fill) does not undo the disposition: the
disposition is what happened on the call, and losing it would lose the contact's answer. The refusal is kept on
the attempt (`reason`, coded as reasons.py stores every outbound reason: the form and each finding with its JSON
Pointer) for the agent and the export, worded in the reader's language there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from .. import templating
from ..models import Contact, DialAttempt, Ticket
from ..services import customers, tickets
from ..services.documents import DocumentService
from ..services.errors import InvalidDocument, NotFound
from . import reasons

#: A text that is exactly one answer ("{{answer.score}}") keeps the answer's own type (a number, a list).
_ONE_ANSWER = re.compile(r"^\{\{\s*answer\.([\w\u4e00-\u9fff]+)\s*\}\}$")
#: The stored reason's code (reasons.py): the form, and each finding as "JSON Pointer: why".
TICKET_REFUSED = "reason.ticket_refused"
#: At most this many findings are kept on the attempt (a form has a bounded number of fields; this bounds the row).
MAX_FINDINGS = 20


def wanted(script: Mapping[str, Any], code: str) -> bool:
    """Whether ending with disposition `code` makes a ticket under this script."""
    spec = script.get("create_ticket")
    if not spec:
        return False
    on = spec.get("on")
    if on:
        return code in on
    return any(d.get("code") == code and d.get("outcome") == "success" for d in script.get("dispositions") or ())


def ticket_data(spec: Mapping[str, Any], answers: Mapping[str, Any], contact: Mapping[str, Any]) -> dict[str, Any]:
    """The form data: each field's text rendered (bounded, sandboxed); empty results are left out, so the form's
    own defaults and required checks apply."""
    data: dict[str, Any] = {}
    for name, source in spec["fields"].items():
        whole = _ONE_ANSWER.match(source.strip())
        if whole is not None:
            value: Any = answers.get(whole.group(1))
        else:
            value = templating.render(source, {"answer": dict(answers), "contact": dict(contact)})
        if value not in (None, "", []):
            data[name] = value
    return data


def _form_title(session: Session, name: str) -> str:
    """The form's title as the designer shows it (readers see labels, never the stored name); the name when the form
    is gone or was never published."""
    try:
        body = DocumentService(session, tickets.SYSTEM).published("form", name).body
    except NotFound:
        return name
    return str(body.get("title") or name)


def create_from_answers(session: Session, attempt: DialAttempt, script: Mapping[str, Any], code: str,
                        actor: str) -> Ticket | None:
    """The ticket of this attempt's answers if the script asks for one on `code`; None when it does not, or when
    the form refused the data (then attempt.reason says why, finding by finding)."""
    if not wanted(script, code):
        return None
    if attempt.ticket_id is not None:  # a second wrap-up of the same call: the first ticket stands
        return session.get(Ticket, attempt.ticket_id)
    spec = script["create_ticket"]
    contact_row = session.get(Contact, attempt.contact_id) if attempt.contact_id is not None else None
    contact = {"name": contact_row.name if contact_row else "", "phone": attempt.phone_e164,
               **((contact_row.fields or {}) if contact_row else {})}
    try:
        data = ticket_data(spec, attempt.answers or {}, contact)
    except templating.TemplateError as exc:
        attempt.reason = reasons.coded(TICKET_REFUSED, form=_form_title(session, spec["form"]), form_name=spec["form"],
                                       findings=[f"/create_ticket/fields: {exc}"[:reasons.MAX_PARAM]])
        return None
    owners = customers.find_by_phone(session, attempt.phone_e164)
    try:
        with session.begin_nested():  # the form's refusal rolls back the ticket only, never the disposition
            ticket = tickets.create(session, spec["form"], data, actor,
                                    customer_id=owners[0].id if owners else None)
    except (InvalidDocument, NotFound) as exc:
        findings = [f"{f.pointer or '/'}: {f.message}"[:reasons.MAX_PARAM]
                    for f in getattr(exc, "findings", ())][:MAX_FINDINGS]
        attempt.reason = reasons.coded(TICKET_REFUSED, form=_form_title(session, spec["form"]), form_name=spec["form"],
                                       findings=findings or [str(exc)[:reasons.MAX_PARAM]])
        return None
    attempt.ticket_id = ticket.id
    return ticket
