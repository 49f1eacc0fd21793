"""Issue 16, item 6 (labels everywhere, one time zone per tenant): renders the server-drawn pages with seeded
tickets, in Chinese and English, and fails on a stored code shown to a reader (a form's option code, a status
name, an agent state) or on a time shown without the tenant's zone.

What counts as shown: text outside <script>/<style>, plus the attributes a reader sees (title — hover text —,
placeholder, aria-label, alt, the value of submit inputs). Codes are taken from the tenant's published forms, so a new
option is covered as soon as a template has it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Document
from hotline.platform.services import tickets
from hotline.platform.services.tenants import get_tenant

from .conftest import Api, World

#: Pages of the tenant's users that show tickets, their values and times (the admin opens all of them).
PAGES = ("/", "/records/tickets", "/records/customers", "/records/notifications",
         "/supervision/overdue", "/supervision/dispatch", "/supervision/dashboard", "/wallboard/", "/desk/",
         "/studio/", "/records/kb", "/records/directory", "/quality/", "/campaigns/")
#: Agent-state and call-state codes the desk and wallboard show.
STATE_CODES = {"on_call", "wrap_up", "no_answer", "not_registered"}
SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
#: A date and time, or a bare clock time, as pages write them.
TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\b\d{1,2}:\d{2}:\d{2}\b")


class _Seen(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            shown_value = name == "value" and tag == "input" and dict(attrs).get("type") in ("submit", "button")
            if value and (name in SEEN_ATTRIBUTES or shown_value):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def seen_text(html: str) -> str:
    parser = _Seen()
    parser.feed(html)
    return "\n".join(part.strip() for part in parser.parts if part.strip())


def _codes(db: Database, slug: str) -> dict[str, str]:
    """code → its label, for every option and status of the tenant's published forms whose label differs."""
    with db.platform() as session:
        tenant = get_tenant(session, slug).id
    found: dict[str, str] = {}
    with db.tenant(tenant) as session:
        for body in session.scalars(select(Document.draft).where(Document.kind == "form")):
            for prop in (body.get("schema") or {}).get("properties", {}).values():
                for option in prop.get("oneOf", []):
                    if isinstance(option.get("const"), str) and option.get("title") != option["const"]:
                        found[option["const"]] = option.get("title", "")
            for status in body.get("statuses", []):
                found[status["name"]] = status.get("label", "")
    return {code: label for code, label in found.items() if re.fullmatch(r"[a-z][a-z0-9_]{2,}", code)}


@pytest.fixture(scope="module")
def seeded(db: Database, world: World) -> dict[str, object]:
    """Tickets whose values are codes, created at a known instant (02:05 UTC = 10:05 in Shanghai)."""
    with db.platform() as session:
        tenant = get_tenant(session, world.tenant_a).id
    at = datetime(2026, 3, 11, 2, 5, 7, tzinfo=UTC)
    with db.tenant(tenant) as session:
        complaint = tickets.create(session, "complaint", {"phone": "13800007777", "complaint_type": "attitude",
                                                          "severity": "serious", "details": "快递员态度差"},
                                   "agent007", now=at)
        complaint.created_at = at
        tracking = tickets.create(session, "tracking_query", {"waybill": "YT2026031100", "phone": "13800007777",
                                                              "question_type": "signed_not_received"}, "agent007",
                                  now=at)
        tracking.created_at = at
        numbers = [complaint.number, tracking.number]
    return {"numbers": numbers, "local": "2026-03-11 10:05"}


def _problems(url: str, html: str, codes: set[str], zone: str) -> list[str]:
    text = seen_text(html)
    found = []
    for code in sorted(codes):
        if re.search(rf"(?<![A-Za-z0-9_/.-]){re.escape(code)}(?![A-Za-z0-9_/.-])", text):
            line = next(line for line in text.splitlines() if code in line)
            found.append(f"{url}: code {code!r} shown: {line[:120]!r}")
    if TIME.search(text) and zone not in text:
        found.append(f"{url}: times without the zone {zone!r}: {TIME.search(text).group(0)!r}")
    return found


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_show_labels_not_codes_and_times_with_the_tenants_zone(
        world: World, db: Database, api_as: Callable[..., Api], seeded: dict[str, object], lang: str) -> None:
    admin = api_as(world.admin_a)
    codes = _codes(db, world.tenant_a)
    assert {"attitude", "serious", "signed_not_received", "pending"} <= set(codes)
    if lang == "en":  # English labels may be the code's own word ("pending"); a code with "_" never is one
        codes = {code: label for code, label in codes.items() if "_" in code}
    checked = set(codes) | STATE_CODES
    problems: list[str] = []
    pages = [*PAGES, *(f"/desk/tickets/{number}" for number in seeded["numbers"])]  # type: ignore[attr-defined]
    for url in pages:
        response = admin.get(f"{url}{'&' if '?' in url else '?'}lang={lang}")
        assert response.status_code == 200, (url, response.status_code)
        problems += _problems(url, response.get_data(as_text=True), checked, "Asia/Shanghai")
    assert not problems, "\n".join(problems)


def test_a_ticket_page_shows_its_time_in_the_tenants_zone(world: World, api_as: Callable[..., Api],
                                                          seeded: dict[str, object]) -> None:
    admin = api_as(world.admin_a)
    number = seeded["numbers"][0]  # type: ignore[index]
    text = seen_text(admin.get(f"/desk/tickets/{number}").get_data(as_text=True))
    assert seeded["local"] in text and "02:05:07" not in text  # 10:05 in Shanghai, not the UTC clock
    assert "Asia/Shanghai (UTC+08:00)" in text
