"""The delivery log: every SMS, e-mail and webhook of the tenant, with status, attempts and the last error.

Agents see it too: after "notify the courier" they need to know the SMS went out (and why not, if not).
"""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest

from ...platform.models import Notification
from ...platform.services import ticket_lists
from ...platform.services.notifications import CHANNELS
from .common import int_arg, pages, query_with, tenant_session

#: A channel as people read it (短信, not sms); the page translates these (records/strings.py).
CHANNEL_LABELS = {"sms": "Text message", "email": "E-mail", "webhook": "Webhook"}

STATUSES = ("queued", "sent", "failed")
#: A delivery status as people read it: `_("queued")` read "queued" under ?lang=en (QA of issue 11, item 4).
STATUS_LABELS = {"queued": "Waiting to send", "sent": "Sent out", "failed": "Sending failed"}
PER_PAGE = 50


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/notifications", "notification_log", notification_log, methods=["GET"])


def notification_log() -> ResponseReturnValue:
    status = request.args.get("status", "")
    channel = request.args.get("channel", "")
    if status and status not in STATUSES:
        raise BadRequest(f"status is one of {', '.join(STATUSES)}")
    if channel and channel not in CHANNELS:
        raise BadRequest(f"channel is one of {', '.join(CHANNELS)}")
    one = int_arg("id", 0, 0, 2**31 - 1)
    page = int_arg("page", 1, 1, 100_000)
    where = []
    if status:
        where.append(Notification.status == status)
    if channel:
        where.append(Notification.channel == channel)
    if one:
        where.append(Notification.id == one)
    with tenant_session() as (session, _who):
        total = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
        rows = list(session.scalars(select(Notification).where(*where)
                                    .order_by(Notification.created_at.desc(), Notification.id.desc())
                                    .offset((page - 1) * PER_PAGE).limit(PER_PAGE)))
        zone = ticket_lists.tenant_zone(session)  # the tenant's time, not UTC (QA of issue 11, item 6)
        local = {n.id: (n.created_at if n.created_at.tzinfo else n.created_at.replace(tzinfo=UTC))
                 .astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") for n in rows}
        return render_template("records/notifications.html", rows=rows, statuses=STATUSES, channels=CHANNELS,
                               local=local,
                               channel_labels=CHANNEL_LABELS, status_labels=STATUS_LABELS,
                               status=status, channel=channel, one=one, p=pages(total, page, PER_PAGE),
                               args=query_with)
