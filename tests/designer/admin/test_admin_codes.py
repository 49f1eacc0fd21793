"""fix-navs item 3: codes instead of words. The operator's tenant list showed the template's code
(`express_delivery`) and /tenant showed an empty role for the operator; both now show words, in either language."""

from __future__ import annotations

import re

import pytest

from hotline.platform.services import templates

from ..conftest import World
from ..test_admin import SignIn, admin_as  # noqa: F401 - the fixture


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_tenant_list_shows_the_templates_title(admin_as: SignIn, world: World, lang: str) -> None:  # noqa: F811
    page = admin_as(world.operator).get(f"/admin/tenant/?lang={lang}&search={world.tenant_a}").get_data(as_text=True)
    table = page[page.index('<table class="table'):]
    table = table[:table.index("</table>")]
    assert world.tenant_a in table
    assert templates.load("express_delivery").title in table
    assert "express_delivery" not in table


@pytest.mark.parametrize(("lang", "word"), [("zh_CN", "平台运营"), ("en", "Platform operator")])
def test_the_operators_role_on_the_tenant_choice_is_named(admin_as: SignIn, world: World,  # noqa: F811
                                                          lang: str, word: str) -> None:
    page = admin_as(world.operator).get(f"/tenant?lang={lang}").get_data(as_text=True)
    table = page[page.index("<table"):page.index("</table>")]
    assert world.tenant_a in table and word in table


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_data_tables_and_directories_are_listed_by_label_with_the_name_in_grey(admin_as: SignIn,  # noqa: F811
                                                                               world: World, lang: str) -> None:
    client = admin_as(world.admin_a, world.tenant_a)
    page = client.get(f"/admin/data_tables/?lang={lang}").get_data(as_text=True)
    assert re.search(r"<td>\s*waybills\s*</td>", page) is None  # no bare code cell
    assert '<small class="text-muted">waybills</small>' in page
    page = client.get(f"/admin/directory/?lang={lang}").get_data(as_text=True)
    assert 'class="col-name"' not in page
    for name in ("branches", "couriers"):
        assert f'<small class="text-muted">{name}</small>' in page, name
