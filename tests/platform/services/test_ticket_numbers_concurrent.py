"""Two agents saving a ticket at the same moment: the second takes the next number instead of failing.

Found by bench/web_load.py: concurrent `POST /desk/tickets/new/…` answered 500 (UniqueViolation on the daily
ticket number) because the retry's savepoint began after the ticket was already flushed outside it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hotline.platform.db import Database
from hotline.platform.services import templates, tickets

pytestmark = [pytest.mark.postgres]

DATA = {"waybill": "773012345678", "phone": "13800000000", "question_type": "eta"}


@pytest.fixture(scope="module")
def pg(postgres_database: Database) -> Iterator[Database]:
    yield postgres_database


def test_a_ticket_number_taken_by_a_concurrent_creator_is_retried(pg: Database) -> None:
    with pg.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), "race", None, "test").id
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    numbers: dict[str, str] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with pg.tenant(tenant_id) as session:
                numbers["first"] = tickets.create(session, "tracking_query", DATA, "a1").number
                first_flushed.set()
                first_may_commit.wait(10)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_flushed.set()

    def second() -> None:
        try:
            with pg.tenant(tenant_id) as session:
                # Counts the committed tickets (none yet), takes the first's number and waits on its row lock.
                numbers["second"] = tickets.create(session, "tracking_query", DATA, "a2").number
        except BaseException as exc:
            errors.append(exc)

    one = threading.Thread(target=first)
    one.start()
    assert first_flushed.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)  # the second insert now waits for the first transaction
    first_may_commit.set()
    one.join(10)
    two.join(10)
    assert not errors, errors
    assert numbers["first"] != numbers["second"]
    assert int(numbers["second"]) == int(numbers["first"]) + 1


def test_many_agents_saving_at_once_all_get_a_ticket_with_distinct_numbers(pg: Database) -> None:
    with pg.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), "crowd", None, "test").id
    start = threading.Barrier(12)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def agent(i: int) -> None:
        try:
            start.wait(10)
            with pg.tenant(tenant_id) as session:
                numbers.append(tickets.create(session, "tracking_query", DATA, f"a{i}").number)
        except BaseException as exc:
            errors.append(exc)

    crowd = [threading.Thread(target=agent, args=(i,)) for i in range(12)]
    for thread in crowd:
        thread.start()
    for thread in crowd:
        thread.join(30)
    assert not errors, errors
    assert len(set(numbers)) == 12
