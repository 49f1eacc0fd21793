"""An urge right after creation against the dispatch rule (QA of issue 11, item 1): the urge waits for the rule's
transaction and counts against the handler it set; a ticket with a handler is never on the manual dispatch list."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.models import DirectoryEntry, Notification, Ticket
from hotline.platform.services import manual_dispatch, templates, ticket_search, tickets, urging
from hotline.platform.services.handlers import mark_assigned

pytestmark = [pytest.mark.postgres]
GUOMAO = "北京市朝阳区国贸三期A座"


@pytest.fixture
def express(postgres_database: Database, unique: Callable[[str], str]) -> int:
    with postgres_database.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("race"), None, "test").id


def test_an_urge_during_the_dispatch_rule_counts_against_the_handler_it_sets(postgres_database: Database,
                                                                            express: int) -> None:
    db = postgres_database
    with db.tenant(express) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": GUOMAO,
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    errors: list[BaseException] = []

    def urge() -> None:
        try:
            with db.tenant(express) as other:
                urging.urge(other, number, actor="desk")
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)

    with db.tenant(express) as session:  # the dispatch job's transaction, not yet committed
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})
        racer = threading.Thread(target=urge)
        racer.start()
        time.sleep(0.5)
        assert racer.is_alive(), "the urge read the ticket while the rule was still assigning it"
    racer.join(10)
    assert not errors, errors
    with db.tenant(express) as session:
        ticket = tickets.get(session, number)
        assert ticket.data["courier"] == "王海涛" and ticket.handler_entry_id is not None
        assert manual_dispatch.pending(session) == []
        assert ticket_search.search(session, unassigned=True)[1] == 0
        urge_sms = session.scalars(select(Notification).where(Notification.to == "13910000003",
                                                              Notification.body.like("【催办】%"))).all()
        assert len(urge_sms) == 1


def test_a_ticket_given_a_handler_by_any_path_leaves_the_manual_dispatch_list(postgres_database: Database,
                                                                             express: int) -> None:
    db = postgres_database
    with db.tenant(express) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": GUOMAO,
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    with db.tenant(express) as session:  # urged first: nobody has it yet, so it waits for a dispatcher
        urging.urge(session, number, actor="desk")
        assert [t.number for _row, t in manual_dispatch.pending(session)] == [number]
    with db.tenant(express) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        entry = session.scalar(select(DirectoryEntry.id).limit(1))
        mark_assigned(session, ticket, entry, ticket.created_at)
    with db.tenant(express) as session:
        assert manual_dispatch.pending(session) == []
        assert ticket_search.search(session, unassigned=True)[1] == 0
