"""Issue 10, item 1: tenant text in the screen pop stays text — in element content and in attributes.

The history's hover text was `title="{{ t.data|tojson }}"`: tojson leaves `"` alone, so a ticket field
holding `"><img src=x onerror=…>` ended the attribute and put a live <img> into the pop of whoever opened it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from hotline.platform.db import Database
from hotline.platform.services import customers, tickets

from .conftest import Browser, DeskWorld, tenant_id

pytestmark = [pytest.mark.redis]

PAYLOAD = "\"><img src=x onerror=alert(1)><script>alert(2)</script>'\"<b id=xss-marker>"


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def injected(html: str) -> list[str]:
    """What the payload would have made: any <img>/<script>, the marker, or an on* handler attribute."""
    found = []
    for tag, attrs in elements(html):
        ours = tag == "script" and (attrs.get("src") or "").startswith("/")  # the page's own static script
        if (tag in ("img", "script") and not ours) or attrs.get("id") == "xss-marker":
            found.append(f"<{tag} {attrs}>")
        found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
    return found


def test_ticket_text_in_the_pop_history_stays_text_in_attributes_and_content(
        db: Database, desk_world: DeskWorld, browser_as: Callable[..., Browser]) -> None:
    phone = "138" + str(uuid.uuid4().int)[:8]
    with db.tenant(tenant_id(db, desk_world.world.tenant_a)) as session:
        customer = customers.create(session, PAYLOAD[:50], [phone], address=PAYLOAD, note=PAYLOAD, actor="test")
        tickets.create(session, "consultation", {"phone": phone, "name": PAYLOAD[:50], "topic": "fees",
                                                 "question": PAYLOAD}, "test", customer_id=customer.id)
    desk = browser_as(desk_world.agent, desk_world.world.tenant_a)
    for url in (f"/desk/pop?phone={phone}&partial=1", f"/desk/pop?phone={phone}"):
        html = desk.get(url).get_data(as_text=True)
        assert injected(html) == [], url
        # The hover text is the fields by label, the payload intact as the attribute's value.
        titles = [attrs.get("title") or "" for tag, attrs in elements(html) if tag == "td"]
        assert any(PAYLOAD in title for title in titles), titles
