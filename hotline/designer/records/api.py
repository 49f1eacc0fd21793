"""The records JSON endpoints the desk calls during a call: coverage lookup, notify the courier, KB search.

`GET  /records/api/coverage?address=…[&directory=…][&kind=…][&limit=…]` → the best covering entry and the
     alternatives, each with its phone, the matched area keyword and the directory it came from.
`POST /records/api/coverage/notify` `{"entry_id", "ticket"?, "address"?, "message"?}` → an SMS to that entry's
     phone queued through the notifications service (an RQ job delivers it); 202 with the delivery-log entry.
`GET  /records/api/articles?q=…[&limit=…]` → knowledge-base articles matching the question.
`GET  /records/api/imports/<id>` → progress and report of a customer import (the import page polls it).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest, UnprocessableEntity

from ...platform.models import Ticket
from ...platform.services import directory_admin, import_jobs, knowledge, notifications
from ...platform.services.errors import NotFound
from .. import quotas
from ..api.documents import _field, json_body
from ..i18n import current_locale, translate
from .common import MANAGE, int_arg, job_queues, tenant_session

MAX_MESSAGE = 500


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/api/coverage", "api_coverage", coverage_lookup, methods=["GET"])
    bp.add_url_rule("/api/coverage/notify", "api_coverage_notify", coverage_notify, methods=["POST"])
    bp.add_url_rule("/api/articles", "api_articles", article_search, methods=["GET"])
    bp.add_url_rule("/api/imports/<int:job_id>", "api_import", import_progress, methods=["GET"])


def coverage_lookup() -> ResponseReturnValue:
    address = request.args.get("address", "")
    limit = int_arg("limit", 5, 1, 50)
    with tenant_session() as (session, _who):
        try:
            found = directory_admin.lookup(session, address, directory=request.args.get("directory") or None,
                                           kind=request.args.get("kind") or None, limit=limit + 1)
        except ValueError as exc:
            raise BadRequest(f"address: {exc}") from None
        rows = [c.as_dict() for c in found]
    return jsonify(address=address, best=rows[0] if rows else None, alternatives=rows[1:limit + 1])


def _sms_text(tenant_title: str, ticket: Ticket | None, address: str) -> str:
    """The courier's SMS: which ticket, where, whom to call — what they need to go without calling back."""
    data: dict[str, Any] = ticket.data if ticket is not None else {}
    where = address or str(data.get("address") or "")
    parts = [f"【{tenant_title}】"]
    parts.append(f"工单{ticket.number}，" if ticket is not None else "")
    parts.append(f"地址：{where}，" if where else "")
    contact = data.get("phone") or data.get("caller") or ""
    name = data.get("sender_name") or data.get("recipient") or data.get("customer_name") or ""
    if contact:
        parts.append(f"联系人：{name}{contact}，" if name else f"联系电话：{contact}，")
    if data.get("pickup_time"):
        parts.append(f"时间：{data['pickup_time']}，")
    parts.append("请尽快上门处理。")
    return "".join(parts)


def coverage_notify() -> ResponseReturnValue:
    body = json_body()
    entry_id = _field(body, "entry_id", int)
    number = _field(body, "ticket", str, required=False)
    address = _field(body, "address", str, required=False, default="").strip()
    message = _field(body, "message", str, required=False, default="").strip()
    if len(message) > MAX_MESSAGE or len(address) > MAX_MESSAGE:
        raise UnprocessableEntity(f"message and address have at most {MAX_MESSAGE} characters")
    with tenant_session() as (session, who):
        assert who.tenant is not None
        quotas.enforce("desk_send", who.tenant.tenant_id)
        entry = directory_admin.get_entry(session, entry_id)
        if not entry.active:
            raise UnprocessableEntity(f"{entry.name} is marked inactive in the directory; choose another")
        if "sms" not in directory_admin.reachable_channels(entry.phone, entry.channels or []):
            # in the page's language, and 'someone else' rather than 'a courier' (a property tenant has
            # technicians): QA of issue 11, item 5
            reason = translate("{name} ({phone}) cannot receive SMS (not a mobile number): call instead, or "
                               "choose someone with a mobile number", current_locale())
            raise UnprocessableEntity(reason.format(name=entry.name, phone=entry.phone))
        ticket = None
        if number:
            ticket = session.scalar(select(Ticket).where(Ticket.number == number))
            if ticket is None:
                raise NotFound(f"ticket {number} not found")
        if ticket is None and not address and not message:
            raise UnprocessableEntity("say what the courier is notified about: a ticket, an address or a message")
        assert who.tenant is not None
        text = message or _sms_text(who.tenant.title, ticket, address)
        origin: dict[str, Any] = {"directory_entry": entry.id, "by": who.username}
        if ticket is not None:
            origin["ticket"] = ticket.number
        row = notifications.queue_send(session, "sms", entry.phone, text, origin=origin,
                                       queue=job_queues().notifications)
        result = {"notification_id": row.id, "status": row.status, "channel": row.channel, "to": row.to,
                  "body": row.body, "courier": {"id": entry.id, "name": entry.name, "phone": entry.phone},
                  "url": url_for("records.notification_log", id=row.id)}
    return jsonify(result), 202


def article_search() -> ResponseReturnValue:
    query = request.args.get("q", "")
    limit = int_arg("limit", 10, 1, 50)
    if len(query) > 200:
        raise BadRequest("q: a question has at most 200 characters")
    with tenant_session() as (session, _who):
        hits = [hit.as_dict() for hit in knowledge.search(session, query, limit=limit)]
    for hit in hits:
        hit["url"] = url_for("records.kb_view", article_id=hit["id"])
    return jsonify(q=query, articles=hits)


def import_progress(job_id: int) -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, _who):
        job = import_jobs.as_dict(import_jobs.get(session, job_id))
    return jsonify({**job, "status_label": translate(job["status"], current_locale())})
