"""Helpers for the studio's browser tests: signing in, opening a designer, finding and wiring nodes."""

from __future__ import annotations

from ..conftest import PASSWORD

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


def node(page, node_id: str):
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def select_node(page, node_id: str) -> None:
    """Brings a node into view and selects it (the canvas only shows part of a big tree)."""
    page.fill("[data-testid=find-node]", node_id)
    page.press("[data-testid=find-node]", "Enter")
    page.wait_for_selector(f"[data-testid=properties] >> text={node_id}")


def wait_saved(page) -> None:
    page.wait_for_selector("[data-testid=save-state][data-state=saved]")


def choose_target(page, selector: str, node_id: str) -> None:
    """Picks a node in a target select (rjsf's options carry indexes as values; their text starts with the id)."""
    label = page.eval_on_selector(
        selector, "(s, id) => [...s.options].map(o => o.text).find(t => t === id || t.startsWith(id + ' — '))", node_id)
    assert label, f"{node_id} is not offered in {selector}"
    page.select_option(selector, label=label)


def choose(page, test_id: str, label: str) -> None:
    """Picks the option with this label in an antd Select (searchable, its list drawn only where it scrolls to):
    opens it, types the label to filter, clicks the option."""
    page.get_by_test_id(test_id).click()
    page.keyboard.type(label)
    page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").locator(
        f'.ant-select-item-option[title="{label}"]').click()
