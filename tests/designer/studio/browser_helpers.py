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
