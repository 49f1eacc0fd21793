"""Fixtures for the studio pages: the designer app able to run test calls, with the built front end (both
from tests/designer/conftest.py), the console watch, and `open_ivr`, the one set-up the browser tests share
(a user's IVR put, signed in, the designer opened on it at a size and in a language)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from ..conftest import World
from .browser_helpers import console_errors, make_ivr, open_designer, sign_in, use_language  # noqa: F401 (fixture)


@pytest.fixture
def studio_app(calls_app: Flask, built_frontend: object) -> Flask:
    """The designer app with the test-call manager on the test Redis and the front end built."""
    return calls_app


@pytest.fixture
def open_ivr(studio_app: Flask, serve: Callable[[Flask], str], page, world: World,
             api_as: Callable) -> Callable[..., str]:
    """Opens the designer on an IVR the way a user would; returns the served app's base URL.

    `open_ivr(name, body, lang)` puts `body` as the IVR `name` (none put when `body` is None: the template's
    `main`, or one the test made), signs in as `user` (the analyst by default), sizes the window to `size` if
    given, opens the designer and switches to `lang` (Chinese stays the default). The app is served once per
    test, so a second call (another IVR, the same page) reuses it.
    """
    served: list[str] = []

    def run(name: str = "main", body: dict | None = None, lang: str | None = None, *, user: str | None = None,
            size: dict | None = None) -> str:
        username = user or world.analyst_a
        if body is not None:
            make_ivr(api_as, username, name, body)
        if not served:
            served.append(serve(studio_app))
        base = served[0]
        if size is not None:
            page.set_viewport_size(size)
        sign_in(page, base, username)
        open_designer(page, base, name=name)
        if lang is not None:
            use_language(page, lang)
        return base

    return run
