"""Tickets created from a published form (validated, numbered, searchable) and the delivery log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Notification, Ticket, TicketSearchKey
from hotline.platform.services import notifications, templates, tickets
from hotline.platform.services.errors import InvalidDocument, NotFound


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), "tix", None, "test").id


def test_a_ticket_gets_a_digit_number_initial_status_search_keys_and_history(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        ticket = tickets.create(session, "tracking_query", {"waybill": "773012345678", "phone": "13800000000",
                                                            "question_type": "eta"}, "agent1")
        number = ticket.number
        assert number.isdigit() and len(number) == 11
        assert ticket.status == "pending"
        assert ticket.resolution_due is not None and ticket.resolution_due > ticket.created_at
    with db.tenant(tenant_id) as session:
        found = session.scalar(select(Ticket).join(TicketSearchKey).where(
            TicketSearchKey.field == "waybill", TicketSearchKey.value == "773012345678"))
        assert found.number == number
        assert [(h.actor, h.action) for h in found.history] == [("agent1", "create")]
        second = tickets.create(session, "tracking_query", {"waybill": "773012345679", "phone": "13800000000",
                                                             "question_type": "other"}, "agent1")
        assert int(second.number) == int(number) + 1


def test_invalid_ticket_data_is_refused_with_the_field_and_reason(db: Database, tenant_id: int) -> None:
    with pytest.raises(InvalidDocument) as caught, db.tenant(tenant_id) as session:
        tickets.create(session, "pickup_order", {"phone": "abc"}, "agent1")
    pointers = {f.pointer for f in caught.value.findings}
    assert "/phone" in pointers
    assert any(p for p in pointers if p != "/phone")  # required fields that are missing


def test_a_ticket_of_an_unknown_form_is_not_found(db: Database, tenant_id: int) -> None:
    with pytest.raises(NotFound), db.tenant(tenant_id) as session:
        tickets.create(session, "no_such_form", {}, "agent1")


class _Broken:
    name = "broken"

    def send(self, notification: Notification) -> None:
        raise ConnectionError("gateway unreachable")


def test_notifications_are_logged_sent_or_failed_with_the_reason(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        ok = notifications.send(session, "sms", "13900000001", "请上门取件", origin={"call": "abc"})
        bad = notifications.send(session, "sms", "13900000001", "x", provider=_Broken())
        assert (ok.status, ok.provider, ok.sent_at is not None) == ("sent", "log", True)
        assert (bad.status, bad.last_error) == ("failed", "ConnectionError: gateway unreachable")
    with pytest.raises(ValueError, match="unknown notification channel"), db.tenant(tenant_id) as session:
        notifications.send(session, "pigeon", "x", "y")
