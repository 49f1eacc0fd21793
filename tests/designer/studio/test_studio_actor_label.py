"""The studio's 草稿保存者 / Draft saved by column names the system actor by label (QA of fix-labels item 3: it
showed the code "system" in the Chinese UI)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update

from hotline.platform.db import Database
from hotline.platform.models import Document, Tenant
from hotline.platform.words import actor_label

from ..conftest import World
from ..test_pages import form_login


def test_actor_label_words_only_the_system_actor() -> None:
    assert actor_label("system", "zh_CN") == "系统" and actor_label("system", "en") == "System"
    assert actor_label("alice", "zh_CN") == "alice" and actor_label(None, "en") == ""


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_studio_lists_the_system_actor_by_label(app: Flask, db: Database, world: World, lang: str) -> None:
    with db.platform() as session:  # as a template clone by the platform leaves them
        tenant_id = session.query(Tenant.id).filter(Tenant.slug == world.tenant_a).scalar()
        session.execute(update(Document).where(Document.tenant_id == tenant_id).values(draft_updated_by="system"))
    client = app.test_client()
    assert form_login(client, world.analyst_a).status_code == 302
    page = client.get(f"/studio/?lang={lang}").get_data(as_text=True)
    assert f"<td>{actor_label('system', lang)}</td>" in page
    assert "<td>system</td>" not in page
