"""Browser tests fail on any console error or uncaught page error (issue 16): collect them per page."""

from __future__ import annotations

from typing import Any


def watch(page: Any) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions from now on."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    # Chromium's console line for a failed load names no URL: add one line per failed response that does.
    page.on("response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
    return errors
