"""Role codes read as labels in the reader's language, joined as that language joins lists (QA of fix-labels,
item 1: English pages showed "analyst, supervisor, tenant_admin" and the agent-extension page joined with 、)."""

from __future__ import annotations

import pytest
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.models import Role
from hotline.platform.words import ROLE_LABELS, role_labels

from .conftest import World, make_user
from .test_pages import form_login, token_of

CODES = ("analyst", "supervisor", "tenant_admin")
EXPECTED = {"zh": "业务分析员、班长、租户管理员", "en": "Analyst, Supervisor, Tenant admin"}


def test_every_role_has_words_in_both_languages() -> None:
    assert set(ROLE_LABELS) == {r.value for r in Role}
    for zh, en in ROLE_LABELS.values():
        assert zh and en and zh != en
    assert role_labels(["tenant_admin", "supervisor", "analyst"], "zh_CN") == EXPECTED["zh"]
    assert role_labels(CODES, "en") == EXPECTED["en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_show_role_labels(app: Flask, db: Database, world: World, lang: str) -> None:
    user = make_user(db, {world.tenant_a: [Role.AGENT, Role.TENANT_ADMIN],
                          world.tenant_b: [Role.ANALYST, Role.SUPERVISOR, Role.TENANT_ADMIN]})
    client = app.test_client()
    assert form_login(client, user).status_code == 302
    query = "?lang=en" if lang == "en" else "?lang=zh_CN"
    chooser = client.get(f"/tenant{query}")
    page = chooser.get_data(as_text=True)
    assert EXPECTED[lang] in page, page
    assert client.post("/tenant", data={"tenant": world.tenant_a, "csrf_token": token_of(chooser)}).status_code == 302
    desk = client.get(f"/desk/{query}").get_data(as_text=True)
    assert EXPECTED[lang] in desk
    admin_word = "租户管理员" if lang == "zh" else "Tenant admin"
    membership = client.get(f"/admin/membership/{query}").get_data(as_text=True)
    assert admin_word in membership and ">tenant_admin<" not in membership
    extensions = client.get(f"/admin/agent_extension/{query}").get_data(as_text=True)
    together = "座席、租户管理员" if lang == "zh" else "Agent, Tenant admin"
    assert together in extensions, extensions
    invite = client.get(f"/tenant/invite{query}").get_data(as_text=True)
    assert ("角色" if lang == "zh" else "Role") in invite
    if lang == "zh":  # QA of fix-labels item 3: the invite form's field was labelled "Role" in the Chinese UI
        assert "Role" not in invite.replace("Roles", "")
    assert ("租户管理员" if lang == "zh" else "Tenant admin") in invite
