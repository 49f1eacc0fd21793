"""Browser fixtures: Debian's chromium driven by Playwright, and the app served on a real local port.

The browser is never one a test tool downloads (docs/decisions.md): we launch the system's chromium with the
flags that keep it off the network. Tests using these carry the `browser` marker and skip, saying why,
only when no chromium is installed.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Where browser tests save their screenshots: var/screenshots/ (ignored by git), so a test run never rewrites
#: the tracked docs/screenshots/. `scripts/refresh_screenshots.sh` points this at docs/screenshots/ on purpose.
SCREENSHOTS = Path(os.environ.get("HOTLINE_SCREENSHOTS")
                   or Path(__file__).resolve().parent.parent / "var" / "screenshots")


def chromium_path() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Debian chromium per test module (a playwright Browser); pages are per test.

    Module scope, not session: Playwright's sync API keeps its own event loop installed in the main
    thread while it runs, and `asyncio.run` in any later test would fail. Browser tests also run last
    (see `pytest_collection_modifyitems`), so no other test ever shares the thread with it.
    """
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (the test set-up installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: object) -> Iterator[object]:
    """A fresh browser context and page per test (own cookies), 1440x900, Chinese UI by default."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Flask], str]]:
    """Serves a Flask app on 127.0.0.1 and a free port in a thread; returns its base URL."""
    servers = []

    def start(app: Flask) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def screenshot(page: object, name: str) -> Path:
    """Saves a full-page screenshot as <SCREENSHOTS>/<name>.png (var/screenshots/ unless refreshing the docs')."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)  # type: ignore[attr-defined]
    return target


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: test.sh runs "not browser" and "browser" apart
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run after every other test (stable order otherwise), for the reason in `chromium`; a test
    that drives chromium is a browser test whether or not its module says so."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
