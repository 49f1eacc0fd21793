"""The script an answered campaign call runs in the desk, never one the agent cannot finish.

A campaign's own published script, else — for the always-on tasks campaign, which runs none — the script the call
task names (a return visit's or survey's), else nothing; whatever it is, the wrap-up needs dispositions and a
page, so a script without them gets the tasks campaign's defaults (已完成 / 另约时间 / 要求不再来电 / 其他) and one
page. A call-back task otherwise offered only "—" and the agent stayed in wrap-up, refused every presence change
(issue 13, task 13d). The defaults' labels are English message ids, worded per reader where shown (`system`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import CallTask, Campaign, CampaignEntry, DialAttempt
from ..services.documents import DocumentService
from ..services.errors import ServiceError
from . import campaigns

#: The tasks campaign's dispositions (outcomes as the outbound schema names them); `system` marks a label to
#: translate (designer/desk/strings.py), where a script's labels are the tenant's own words.
DEFAULT_DISPOSITIONS: tuple[dict[str, Any], ...] = (
    {"code": "completed", "label": "disposition.completed", "outcome": "success", "system": True},
    {"code": "callback_later", "label": "disposition.callback_later", "outcome": "callback", "system": True},
    {"code": "dnc", "label": "disposition.dnc", "outcome": "dnc", "system": True},
    {"code": "other", "label": "disposition.other", "outcome": "success", "system": True},
)
DEFAULT_PAGE = "call"


def _task_script(session: Session, attempt: DialAttempt) -> dict[str, Any]:
    entry = session.get(CampaignEntry, attempt.entry_id) if attempt.entry_id is not None else None
    task = session.get(CallTask, entry.call_task_id) if entry is not None and entry.call_task_id else None
    if task is None or not task.script:
        return {}
    try:
        return dict(DocumentService(session, "system").published("outbound", task.script).body)
    except ServiceError:  # no such outbound script, or never published: the defaults
        return {}


def runner_script(session: Session, attempt: DialAttempt, campaign: Campaign) -> dict[str, Any]:
    """The script body for this call, with dispositions and at least one page (the defaults where missing)."""
    body = dict(campaigns.script_body(session, campaign) or {}) or _task_script(session, attempt)
    if not body.get("dispositions"):
        body["dispositions"] = [dict(d) for d in DEFAULT_DISPOSITIONS]
    if not body.get("pages"):
        body["pages"] = {DEFAULT_PAGE: {"title": "page.call_task", "questions": [], "system": True}}
        body["start"] = DEFAULT_PAGE
    elif body.get("start") not in body["pages"]:
        body["start"] = next(iter(body["pages"]))
    return body
