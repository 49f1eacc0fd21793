"""Defect 1 of the admin review: /admin/ looked like another product (its own dark Bootstrap bar titled
热线平台管理, no shared header, area navigation, tenant switch, language switch, user menu or time zone). Every
admin page now renders the product's shell (_shell.html) and the shared tokens over Bootstrap (admin.css)."""

from __future__ import annotations

import re

import pytest

from ..conftest import World
from ..test_admin import SignIn, admin_as  # noqa: F401 - the fixture

SHELL = {"zh_CN": ("时区", "切换租户", "退出登录", "管理"), "en": ("Time zone", "Switch tenant", "Sign out", "Admin")}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/queue/", "/admin/queue/new/", "/admin/membership/"])
def test_admin_pages_carry_the_products_shell(admin_as: SignIn, world: World, lang: str,  # noqa: F811
                                              path: str) -> None:
    client = admin_as(world.admin_a)
    page = client.get(f"{path}?lang={lang}").get_data(as_text=True)
    for marker in ('id="hl-topbar"', 'class="hotline-nav"', 'id="hl-tenant"', 'id="hl-zone"', 'id="hl-user"',
                   'data-testid="lang-en"', 'data-testid="lang-zh"', 'class="hl hl-admin"'):
        assert marker in page, marker
    for word in SHELL[lang]:
        assert word in page, word
    assert "navbar-dark" not in page and "bg-dark" not in page  # Flask-Admin's own bar is gone
    sheets = re.findall(r'<link rel="stylesheet" href="(/assets/ui/[^"]+)"', page)
    assert [s.split("/")[-1].split(".")[0] for s in sheets] == ["hotline", "admin"]
    assert client.get(sheets[1]).status_code == 200
    # The area navigation marks the administration as the current page.
    assert re.search(r'<a href="/admin/" aria-current="page">', page)
    client.get("/admin/?lang=zh_CN")


def test_the_operators_admin_has_the_shell_too(admin_as: SignIn, world: World) -> None:  # noqa: F811
    page = admin_as(world.operator).get("/admin/tenant/").get_data(as_text=True)
    assert 'id="hl-topbar"' in page and 'id="hl-user"' in page and "navbar-dark" not in page


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/tenant/", "/templates/"])
def test_an_operator_with_no_tenant_chosen_gets_the_platform_navigation(admin_as: SignIn, world: World,  # noqa: F811
                                                                       lang: str, path: str) -> None:
    """fix-navs item 2: a fresh operator session (no tenant chosen) had no navigation and no tenant switch."""
    page = admin_as(world.operator).get(f"{path}?lang={lang}").get_data(as_text=True)
    nav = page[page.index('<nav class="hotline-nav">'):]
    nav = nav[:nav.index("</nav>")]
    for href in ('href="/admin/tenant/"', 'href="/templates/"', 'href="/admin/"'):
        assert href in nav, href
    assert ("租户" if lang == "zh_CN" else "Tenants") in nav
    assert 'id="hl-tenant"' in page and ("选择租户" if lang == "zh_CN" else "Choose a tenant") in page


def test_the_admin_sub_navigation_names_the_administration_once(admin_as: SignIn, world: World) -> None:  # noqa: F811
    """fix-navs item 2: 热线平台管理 stood twice in the admin menu (the home link and the index view's item)."""
    page = admin_as(world.admin_a).get("/admin/?lang=zh_CN").get_data(as_text=True)
    menu = page[page.index('<nav class="hl-admin-menu'):]
    menu = menu[:menu.index("</nav>")]
    text = re.sub(r"<[^>]*>", " ", menu)  # what is seen, not the aria-label
    assert text.count("热线平台管理") == 1, text
