"""Fixtures for the studio pages: the designer app able to run test calls, with the built front end (both
from tests/designer/conftest.py), for the browser tests."""

from __future__ import annotations

import pytest
from flask import Flask


@pytest.fixture
def studio_app(calls_app: Flask, built_frontend: object) -> Flask:
    """The designer app with the test-call manager on the test Redis and the front end built."""
    return calls_app
