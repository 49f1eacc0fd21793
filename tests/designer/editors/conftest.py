"""Fixtures for the editors' browser tests: the built front end, and a browser page signed in as a user."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hotline.designer.studio import assets
from tests.designer.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def editors_bundle() -> Path:
    """static/designer/ with its manifest, built with the project's own bootstrap step when missing."""
    if not assets.MANIFEST.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so the designer's front end cannot be built (test.sh installs it)")
        subprocess.run(["bash", "-c", "source scripts/bootstrap.sh; ensure_frontend"], cwd=ROOT, check=True,
                       timeout=900)
    assert assets.MANIFEST.exists(), "ensure_frontend ran but wrote no static/designer/.vite/manifest.json"
    return assets.DESIGNER_DIR


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
