"""The attempts behind an outbound figure name the agent who took each call — the member's display name, the
extension when no member of the tenant holds it (another tenant's user is never named), "agentless" in words —
on the page (Chinese and English) and in its CSV and Excel exports; never the bare extension or code (QA 14)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, DialAttempt, Role, User
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import make_user
from tests.platform.reports.seed import T10
from tests.platform.reports.seed_outbound import seed_attempts

WINDOW = "start=2026-03-09T10:00:00%2B08:00&end=2026-03-09T11:00:00%2B08:00"


def _give_extension(db: Database, username: str, display: str) -> str:
    extension = f"7{uuid.uuid4().int % 10**6:06d}"
    with db.platform() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        user.display_name = display
        session.add(AgentExtension(user_id=user.id, extension=extension))
    return extension


@pytest.fixture(scope="module")
def seeded(db: Database, world) -> tuple[int, dict[str, str]]:
    with db.platform() as session:
        tenant_id = get_tenant(session, world.tenant_a).id
    campaign, _b = seed_attempts(db, tenant_id)
    ours = _give_extension(db, make_user(db, {world.tenant_a: [Role.AGENT]}), "王小明")
    theirs = _give_extension(db, make_user(db, {world.tenant_b: [Role.AGENT]}), "别家座席")
    with db.tenant(tenant_id) as session:
        session.execute(DialAttempt.__table__.delete().where(DialAttempt.tenant_id == tenant_id,
                                                             DialAttempt.campaign_id == campaign))
        for minute, agent in enumerate((ours, theirs, "agentless")):
            session.add(DialAttempt(campaign_id=campaign, phone_e164="+8613812345678",
                                    at=T10 + timedelta(minutes=minute), outcome="answered", abandoned=False,
                                    disposition="completed", agent=agent))
    return campaign, {"ours": ours, "theirs": theirs}


def test_attempts_name_their_agents_on_the_page_and_in_exports(seeded, api_as, world) -> None:
    campaign, ext = seeded
    supervisor = api_as(world.supervisor_a, world.tenant_a)
    url = f"/supervision/reports/attempts?{WINDOW}&campaign={campaign}"
    chinese = supervisor.get(f"{url}&lang=zh_CN").get_data(as_text=True)
    assert "王小明" in chinese and f"分机 {ext['theirs']}（未绑定用户）" in chinese and "无座席（语音）" in chinese
    assert f"<td>{ext['ours']}</td>" not in chinese and "别家座席" not in chinese and ">agentless<" not in chinese
    english = supervisor.get(f"{url}&lang=en").get_data(as_text=True)
    assert "王小明" in english and f"Extension {ext['theirs']} (no user)" in english and "Agentless" in english

    csv_text = supervisor.get(f"{url}&format=csv&lang=zh_CN").get_data().decode("utf-8-sig")
    assert "座席" in csv_text.splitlines()[0] and "王小明" in csv_text and "无座席（语音）" in csv_text
    assert f",{ext['ours']}" not in csv_text and "别家座席" not in csv_text
    sheet = supervisor.get(f"{url}&format=xlsx&lang=en")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    agents = {dict(zip(rows[0], row, strict=True))["Agent"] for row in rows[1:]}
    assert agents == {"王小明", f"Extension {ext['theirs']} (no user)", "Agentless (voice)"}
    assert supervisor.get(f"{url}&format=pdf").status_code == 400
