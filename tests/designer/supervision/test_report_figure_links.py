"""Drill-down from a figure, not only per row: each count of a call report links to exactly the calls behind it,
and the page it opens lists as many calls as the figure says (seeded day, per day and per queue)."""

from __future__ import annotations

import re

import pytest

from hotline.platform.db import Database
from hotline.platform.models import Role
from tests.designer.conftest import make_user

from .test_reports import DAY, _seed


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> int:
    return _seed(db, world.tenant_a)  # `world` is per module: this module's tenants are its own


def _cells(html: str) -> list[tuple[str, int, str]]:
    """(figure, value shown, link) of every linked figure cell."""
    return [(figure, int(value), href.replace("&amp;", "&")) for figure, href, value in re.findall(
        r'<td data-figure="(\w+)"><a href="([^"]+)" data-testid="figure-link">(\d+)</a></td>', html)]


def _listed(client, link: str) -> int:
    page = client.get(link)
    assert page.status_code == 200
    table = page.get_data(as_text=True).split('data-testid="report-calls"')[1].split("</table>")[0]
    return table.count("<tr>") - 1 - table.count('class="muted"')  # less the header and a "no calls" row


@pytest.mark.parametrize("by", ["", "queue"])
def test_each_figure_opens_exactly_the_calls_it_counts(seeded: int, api_as, world, by: str) -> None:
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    html = supervisor.get(f"/supervision/reports?kind=calls&{DAY}&group=day&by={by}").get_data(as_text=True)
    cells = _cells(html)
    figures = {figure for figure, _value, _link in cells}
    assert {"calls", "offered", "answered", "abandoned_ivr", "abandoned_queue", "abandoned_short",
            "answered_in_target", "transfers", "callbacks", "self_service"} <= figures if not by else figures
    for figure, value, link in cells:
        assert _listed(supervisor, link) == value, (figure, link)
    if not by:  # the seeded day: 11 calls, 4 answered, 2 within target (tests/platform/reports/seed.py)
        shown = {figure: value for figure, value, _link in cells}
        assert (shown["calls"], shown["answered"], shown["answered_in_target"]) == (11, 4, 2)


def test_a_figure_link_of_another_tenant_lists_none_of_its_calls(seeded: int, db: Database, api_as, world) -> None:
    html = api_as(world.supervisor_a, world.tenant_a).get(
        f"/supervision/reports?kind=calls&{DAY}&group=day").get_data(as_text=True)
    link = next(link for figure, _value, link in _cells(html) if figure == "answered")
    other = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    assert _listed(other, link) == 0
