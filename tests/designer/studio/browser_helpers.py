"""Helpers for the studio's browser tests: signing in, opening a designer, finding and wiring nodes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD, Api

#: A Monday morning in Beijing: the express template's business hours are open.
OPEN = "2026-11-23T10:00:00+08:00"


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_designer(page, base: str, kind: str = "ivr", name: str = "main") -> None:
    page.goto(f"{base}/studio/{kind}/{name}")
    page.wait_for_selector("[data-testid=save-state][data-state=saved]")


def use_language(page, lang: str) -> None:
    """Switches the open designer to English when asked (Chinese is the default)."""
    if lang == "en":
        page.get_by_test_id("lang-en").click()
        expect(page.get_by_test_id("validate")).to_have_text("Validate")


def make_ivr(api_as: Callable[..., Api], username: str, name: str, body: dict) -> None:
    """Puts the IVR `name` made from `body` as the user's draft (through the API, as the designer would)."""
    response = api_as(username).post("/api/documents", {"kind": "ivr", "name": name, "body": body})
    assert response.status_code == 201, response.get_json()


def draft_of(api, name: str) -> dict:
    """The stored draft of the IVR `name`, as the server has it."""
    return api.get(f"/api/documents/ivr/{name}").get_json()["draft"]


@pytest.fixture
def console_errors(page):
    """Every console error and uncaught exception of the page; a test asserts the list is empty at its end."""
    errors: list[str] = []

    def on_console(message) -> None:
        # The browser's own request for /favicon.ico (no page asks for it) is the app shell's, not the canvas's.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def node(page, node_id: str):
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def select_node(page, node_id: str) -> None:
    """Brings a node into view and selects it (the canvas only shows part of a big tree)."""
    page.fill("[data-testid=find-node]", node_id)
    page.press("[data-testid=find-node]", "Enter")
    page.wait_for_selector(f"[data-testid=properties] >> text={node_id}")


def wait_saved(page) -> None:
    page.wait_for_selector("[data-testid=save-state][data-state=saved]")


#: The list of the antd Select that is open (a closed one stays in the page, hidden).
OPEN_LIST = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)"


def choose_target(page, selector: str, node_id: str) -> None:
    """Picks a node in a target picker (an antd Select with search; its options read "label (id)" or "id")."""
    page.locator(selector).click()
    page.keyboard.type(node_id)
    page.locator(OPEN_LIST).locator(
        f'.ant-select-item-option[title="{node_id}"], .ant-select-item-option[title$=" ({node_id})"]').first.click()


def choose_label(page, selector: str, label: str) -> None:
    """Picks the option with exactly this label in the antd Select whose input is `selector`."""
    page.locator(selector).click()
    page.keyboard.type(label)
    page.locator(OPEN_LIST).locator(f'.ant-select-item-option[title="{label}"]').click()


def options_of(page, selector: str) -> list[str]:
    """The labels an antd Select offers (opened, read, closed again)."""
    page.locator(selector).click()
    listed = page.locator(OPEN_LIST).locator(".ant-select-item-option")
    listed.first.wait_for()
    labels = listed.evaluate_all("options => options.map(o => o.title)")
    page.keyboard.press("Escape")
    return labels


def picked(page, selector: str):
    """What an antd Select shows as chosen: its title is the chosen option's label (none when nothing is)."""
    return page.locator(f".ant-select:has({selector}) .ant-select-content")


def choose(page, test_id: str, label: str) -> None:
    """Picks the option with this label in an antd Select (searchable, its list drawn only where it scrolls to):
    opens it, types the label to filter, clicks the option."""
    page.get_by_test_id(test_id).click()
    page.keyboard.type(label)
    page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").locator(
        f'.ant-select-item-option[title="{label}"]').click()
