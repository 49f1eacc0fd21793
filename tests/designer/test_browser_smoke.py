"""The browser fixtures work: Debian's chromium opens the sign-in page served on a real port."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_sign_in_page_renders_in_chromium(app, serve, page) -> None:
    base = serve(app)
    page.goto(f"{base}/login")
    assert page.locator("input[name=username]").count() == 1
    assert "登录" in page.content()
