"""Review leftover 3: the ticket drill-down's person filter (responder / completer / holder, credit.py) ran partly in
Python after the query, so each page read 4× the cap to keep a few. It is in SQL now (SQLite and PostgreSQL): one
read of at most the cap, and the same tickets as the rule says — checked with more tickets than a page, where the
filter removes some the old SQL narrowing let through (tickets the person holds but another responded to)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from hotline.designer.supervision import report_records
from hotline.platform.db import Database
from hotline.platform.models import Role, Ticket
from tests.designer.conftest import make_user

from .test_report_drill_credit import DAY, Desk, _at, _rows


@pytest.fixture
def loaded() -> Any:
    """How many tickets the ORM loads while the test runs (every session)."""
    count = {"n": 0}

    def one(_target: Any, _context: Any) -> None:
        count["n"] += 1

    event.listen(Ticket, "load", one)
    yield count
    event.remove(Ticket, "load", one)


def test_the_person_filter_is_sql_so_a_page_is_read_once_and_exact(db: Database, api_as, world, monkeypatch,
                                                                   loaded) -> None:
    people = {name: make_user(db, {world.tenant_a: [Role.AGENT]}) for name in "FG"}
    desk = Desk(db, world.tenant_a, people)
    held = [desk.step(9, minute, None, give="F") for minute in range(4)]  # F holds them, nobody responded
    given = []  # F responded, then G holds them
    for minute in range(6):
        number = desk.step(10, minute, None, give="F")
        desk.step(10, 10 + minute, number, to="processing", actor="F", give="G")
        given.append(number)
    others = []  # F holds them, G responded: F's created tickets, not F's responses
    for minute in range(3):
        number = desk.step(11, minute, None, give="F")
        desk.step(11, 10 + minute, number, to="processing", actor="G")
        others.append(number)
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    base = f"/supervision/reports/tickets?{DAY}"
    f, g = desk.ids["F"], desk.ids["G"]
    cases = {  # query -> every ticket behind it, newest first
        f"handler={f}&figure=responded_in_time": given[::-1],
        f"handler={f}": (held + given + others)[::-1],
        f"handler={f}&figure=created": (held + others)[::-1],
        f"handler={g}&figure=responded_in_time": others[::-1],
        f"handler={g}&figure=created": given[::-1],
        f"handler={g}": (given + others)[::-1],
    }
    with _at(16, 0):
        for query, expected in cases.items():  # all of them
            assert [r[0] for r in _rows(supervisor, f"{base}&{query}")] == expected, query
        monkeypatch.setattr(report_records, "CALL_LIST_LIMIT", 2)
        for query, expected in cases.items():  # a page smaller than the tickets, read once
            loaded["n"] = 0
            rows = _rows(supervisor, f"{base}&{query}")
            assert [r[0] for r in rows] == expected[:2], query
            assert loaded["n"] <= 2, (query, loaded["n"])
        credited = _rows(supervisor, f"{base}&handler={f}&figure=responded_in_time")
        assert all(r[5] == people["F"] and r[6] == people["G"] for r in credited)
