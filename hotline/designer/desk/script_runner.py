"""The outbound script runner: the published script's pages for one campaign call, with the contact's fields, the
answers kept as the agent goes, branches taken on the server (platform/conditions.py, the same evaluator as the
agentless calls), and the wrap-up: a disposition from the script, required before the agent can take calls again.

`GET /desk/outbound/<attempt>` shows a page (`?page=` a page of the script); `POST` the same URL with the page's
answers either moves on (`action=next`) or ends the call's wrap-up (`action=finish`, with a disposition and, for a
callback, the time the contact chose, in the tenant's zone). Only an attempt of the signed-in agent's tenant
opens (another tenant's is a 404); the answers are bounded (names from the script, texts of at most 500
characters) and stored on the attempt (`dialing.record_disposition`).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform.conditions import evaluate
from ...platform.models import Campaign, Contact, DialAttempt, Ticket
from ...platform.outbound import dialing
from ...platform.outbound.runner_script import runner_script
from ..auth import Principal
from ..campaigns.messages import ticket_refusal
from ..i18n import current_locale, translate
from ..request_input import form_json
from .acd_bridge import desk_acd
from .call_state import call_state, describe
from .common import agent_id_of, require_desk, tenant_session, timezone_of

log = logging.getLogger("hotline.desk")
MAX_TEXT = 500
MAX_ANSWERS = 100
_VARIABLE = re.compile(r"\{\{\s*contact\.([\w\u4e00-\u9fff]+)\s*\}\}")


def _t(text: str) -> str:
    return translate(text, current_locale())


def pending_disposition(session: Session, agent: str) -> DialAttempt | None:
    """The agent's answered campaign call that still has no disposition (the desk holds wrap-up until it has)."""
    return session.scalar(select(DialAttempt).where(DialAttempt.agent == agent, DialAttempt.campaign_id.is_not(None),
                                                    DialAttempt.answered_at.is_not(None),
                                                    DialAttempt.disposition.is_(None))
                          .order_by(DialAttempt.id.desc()).limit(1))


def _load(session: Session, attempt_id: int) -> tuple[DialAttempt, Campaign, dict[str, Any], dict[str, Any]]:
    attempt = session.get(DialAttempt, attempt_id)
    if attempt is None or attempt.campaign_id is None:
        abort(404)
    campaign = session.get(Campaign, attempt.campaign_id)
    if campaign is None:
        abort(404)
    script = runner_script(session, attempt, campaign)
    contact = session.get(Contact, attempt.contact_id) if attempt.contact_id else None
    fields = {"name": contact.name if contact else "", "phone": attempt.phone_e164,
              **((contact.fields or {}) if contact else {})}
    return attempt, campaign, script, fields


def _answers_from(form: Any, page: dict[str, Any], known: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The answers so far plus this page's; problems in words (a required question left empty, a bad number)."""
    answers = {k: v for k, v in known.items() if isinstance(k, str) and len(k) <= 64}
    problems = []
    for question in page.get("questions") or ():
        name, kind = question["name"], question["type"]
        if kind == "multi":
            value: Any = [v for v in form.getlist(name) if v in {o["value"] for o in question.get("options", ())}]
        else:
            value = (form.get(name) or "").strip()[:MAX_TEXT]
            if kind in ("choice", "rating") and question.get("options") and value and value not in {
                    o["value"] for o in question["options"]}:
                problems.append(_t("%(label)s: choose one of the options") % {"label": question["label"]})
                continue
            if kind == "number" and value:
                try:
                    float(value)
                except ValueError:
                    problems.append(_t("%(label)s: a number, please") % {"label": question["label"]})
                    continue
        if value in ("", []):
            answers.pop(name, None)
            if question.get("required"):
                problems.append(_t("%(label)s: an answer is required") % {"label": question["label"]})
            continue
        answers[name] = value
    return dict(list(answers.items())[:MAX_ANSWERS]), problems


def _next_page(page: dict[str, Any], answers: dict[str, Any], contact: dict[str, Any]) -> str | None:
    for branch in page.get("branches") or ():
        if evaluate(branch["when"], {"answer": answers, "contact": contact}):
            return str(branch["next"])
    return page.get("next")


def _callback_time(text: str, zone: str) -> datetime:
    """A datetime-local value read in the tenant's zone; ValueError with the reason otherwise."""
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_t("Callback time: give a date and time, e.g. 2026-11-24 15:30")) from None
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return (local if local.tzinfo else local.replace(tzinfo=tz)).astimezone(UTC)


def _render(who: Principal, session: Session, attempt: DialAttempt, campaign: Campaign, script: dict[str, Any],
            contact: dict[str, Any], name: str, answers: dict[str, Any], problems: list[str],
            status: int = 200) -> ResponseReturnValue:
    pages = script.get("pages") or {}
    page = dict(pages.get(name) or {})
    if page.get("system"):
        page["title"] = _t(page["title"])
    dispositions = [{**d, "label": _t(d["label"])} if d.get("system") else d
                    for d in script.get("dispositions") or ()]
    say = _VARIABLE.sub(lambda m: str(contact.get(m.group(1), "")), page.get("say") or "")
    return render_template("desk/outbound.html", attempt=attempt, campaign=campaign, script=script, page=page,
                           page_name=name, say=say, contact=contact, answers=answers,
                           answers_json=json.dumps(answers, ensure_ascii=False), problems=problems,
                           answer_limit=MAX_TEXT,
                           dispositions=dispositions, done=attempt.disposition is not None,
                           is_last=_next_page(page, answers, contact) is None,
                           ticket=session.get(Ticket, attempt.ticket_id) if attempt.ticket_id else None,
                           call=describe(attempt, current_locale()),
                           ticket_refusal=ticket_refusal(attempt.reason, current_locale()),
                           chosen=request.form.get("disposition") or page.get("disposition") or "",
                           callback_text=(request.form.get("callback_at") or "")[:40]), status


def _end_held_wrap_up(agent: str) -> None:
    """The disposition ends the call's wrap-up: the runtime held the agent in an open wrap-up (offered no call,
    runtime/dialer/answered.py) until now, so the agent is available again. A timed wrap-up, a break or a call
    already offered are left as they are; the disposition is kept even if the ACD cannot be reached."""
    try:
        acd = desk_acd()
        now = acd.agent(agent)
        if now is not None and now.state == "wrap_up" and now.wrap_until is None:
            acd.set_state(agent, "available")
    except Exception:  # the agent can still choose available in the desk (no longer refused)
        log.warning("could not end agent %s's wrap-up after the disposition", agent, exc_info=True)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/outbound/<int:attempt_id>/state", "outbound_call_state", call_state, methods=["GET"])

    @bp.get("/outbound/<int:attempt_id>")
    def outbound_script(attempt_id: int) -> ResponseReturnValue:
        who = require_desk()
        with tenant_session(who) as session:
            attempt, campaign, script, contact = _load(session, attempt_id)
            name = request.args.get("page") or script.get("start") or ""
            if name not in (script.get("pages") or {}):
                name = script.get("start") or ""
            return _render(who, session, attempt, campaign, script, contact, name, dict(attempt.answers or {}), [])

    @bp.post("/outbound/<int:attempt_id>")
    def outbound_step(attempt_id: int) -> ResponseReturnValue:
        who = require_desk()
        with tenant_session(who) as session:
            attempt, campaign, script, contact = _load(session, attempt_id)
            pages = script.get("pages") or {}
            name = request.form.get("page") or ""
            unknown = name not in pages
            if unknown:  # an old form or a changed script: back to the start page, the rest of what was sent kept
                name = str(script.get("start"))
            try:
                known = form_json(request.form.get("answers") or "{}")
            except ValueError:
                known = {}
            answers, problems = _answers_from(request.form, pages[name], known if isinstance(known, dict) else {})
            if unknown and request.form.get("action") != "finish":
                problems.insert(0, _t("The script has no such page; continue from its first page."))
            if request.form.get("action") == "finish" and attempt.answered_at is None:
                problems = []  # never connected (busy, no answer): the wrap-up needs only a disposition (QA 13 #8)
            if request.form.get("action") != "finish":
                if problems:
                    return _render(who, session, attempt, campaign, script, contact, name, answers, problems, 400)
                following = _next_page(pages[name], answers, contact)
                if following not in pages:
                    return _render(who, session, attempt, campaign, script, contact, name, answers, problems)
                attempt.answers = answers  # kept as the agent goes: a reload or a second tab keeps them
                return _render(who, session, attempt, campaign, script, contact, following, answers, [])
            codes = {d["code"]: d for d in script.get("dispositions") or ()}
            code = request.form.get("disposition") or pages[name].get("disposition") or ""
            if code not in codes:
                problems.append(_t("Choose a disposition before ending the wrap-up."))
            callback_at = None
            if code in codes and codes[code].get("outcome") == "callback":
                try:
                    callback_at = _callback_time(request.form.get("callback_at") or "",
                                                 timezone_of(session, campaign.tenant_id))
                except ValueError as exc:
                    problems.append(str(exc))
            if problems:
                return _render(who, session, attempt, campaign, script, contact, name, answers, problems, 400)
            agent = attempt.agent or agent_id_of(who)
            dialing.record_disposition(session, attempt.id, code, datetime.now(UTC), agent=agent, answers=answers,
                                       callback_at=callback_at, actor=who.username)
        if agent:
            _end_held_wrap_up(agent)
        return redirect(url_for("desk.outbound_script", attempt_id=attempt_id))
