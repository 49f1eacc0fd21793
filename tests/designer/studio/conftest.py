"""Fixtures for the studio pages: the built front end (built once per run when missing), and the designer
app able to run test calls (for the browser tests)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from hotline.designer.api.test_calls import manager
from hotline.designer.studio import assets

from ...conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    """static/designer/ with its manifest; built with the project's own bootstrap step when missing."""
    if not assets.MANIFEST.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so the designer's front end cannot be built (test.sh installs it)")
        subprocess.run(["bash", "-c", "source scripts/bootstrap.sh; ensure_frontend"], cwd=ROOT, check=True,
                       timeout=900)
    assert assets.MANIFEST.exists(), "ensure_frontend ran but wrote no static/designer/.vite/manifest.json"
    return assets.DESIGNER_DIR


@pytest.fixture
def studio_app(app: Flask, built_frontend: object) -> Iterator[Flask]:
    """The designer app with the test-call manager on the test Redis (skips only when Redis is absent)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    app.config["HOTLINE_REDIS_URL"] = REDIS_URL
    with app.app_context():
        calls = manager(app)
    yield app
    calls.close()
