"""Message texts read the form's labels, never the stored codes (issue 11, item 11: "类型attitude")."""

from __future__ import annotations

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.dispatch.message_labels import labelled
from hotline.platform.models import Notification
from hotline.platform.services import templates, tickets


def test_the_complaint_email_names_the_type_and_severity_by_their_labels(db: Database, unique) -> None:
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), unique("lbl"), None, "test").id
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "complaint", {"phone": "13900000003", "complaint_type": "attitude",
                                                      "severity": "normal", "details": "快递员态度恶劣，摔件"},
                                "agent1")
        run_rules(session, "ticket.created", {"ticket": ticket})
        bodies = [n.body for n in session.scalars(select(Notification).where(Notification.channel == "email"))]
    [body] = [b for b in bodies if "投诉" in b]
    assert "类型服务态度" in body and "严重程度一般" in body
    assert "attitude" not in body and "normal" not in body


def test_several_values_statuses_and_unlisted_values_read_sensibly() -> None:
    form = {"schema": {"properties": {
        "kinds": {"type": "array", "items": {"oneOf": [{"const": "w", "title": "水"}, {"const": "e", "title": "电"}]}},
        "level": {"type": "string", "enum": ["A", "B"]},
        "note": {"type": "string"}}},
        "statuses": [{"name": "pending", "label": "待处理"}]}
    context = {"ticket": {"kinds": ["w", "e", "x"], "level": "A", "note": "attitude", "status": "pending"},
               "call": {"caller": "1"}}
    shown = labelled(context, form)
    assert shown["ticket"] == {"kinds": "水、电、x", "level": "A", "note": "attitude", "status": "待处理"}
    assert shown["call"] == {"caller": "1"} and context["ticket"]["status"] == "pending"  # the rule context keeps codes


def test_a_messages_priority_reads_as_words_in_the_messages_language() -> None:
    """QA of dev-conditions, item 4: "优先级{{ticket.priority}}" read 优先级9; a form's own field of that name is
    the form's and keeps its own wording."""
    context = {"ticket": {"priority": 9, "status": "pending"}}
    assert labelled(context, {"schema": {"properties": {}}})["ticket"]["priority"] == "紧急（9）"
    assert labelled(context, {"schema": {"properties": {}}}, None, "en")["ticket"]["priority"] == "Urgent (9)"
    own = {"schema": {"properties": {"priority": {"type": "string"}}}}
    assert labelled(context, own)["ticket"]["priority"] == 9
    assert context["ticket"]["priority"] == 9  # the rule context keeps the level for conditions
