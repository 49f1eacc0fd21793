"""Fixtures for the editors' browser tests: a browser page signed in as a user (the built front end is
`built_frontend` of tests/designer/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.designer.conftest import PASSWORD

#: The editors load the document, the kind schema and the designer context before they show: on a busy
#: machine (the whole suite in parallel) that can take longer than the shared 15 s default.
EDITOR_TIMEOUT_MS = 40000


@pytest.fixture
def sign_in(page) -> Callable[[str, str], None]:
    """Signs the browser page in through the sign-in form, as a person would."""
    page.set_default_timeout(EDITOR_TIMEOUT_MS)

    def run(base: str, username: str) -> None:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return run
