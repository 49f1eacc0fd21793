"""Why a number is on the do-not-call list, in the script's words (QA 13a #3): a 要求不再来电 disposition's note
names the disposition by the label the script gives it, never its stored code (`dnc`); an entry written before
the label was kept finds it in the tenant's outbound scripts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import DncEntry
from hotline.platform.outbound import dialing, dnc, preview

from .conftest import preview_campaign, tenant_id

pytestmark = pytest.mark.redis
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def _refusing_call(db: Database, tenant: int) -> str:
    """A preview call of the express return visit that ends with the 要求不再来电 disposition (code `dnc`)."""
    _campaign_id, [phone] = preview_campaign(db, tenant, ("吴四",))
    with db.tenant(tenant) as session:
        offer = preview.offer(session, "1001", set(), NOW)
        preview.dial(session, offer.attempt_id, "1001", NOW)
        dialing.record_answer(session, offer.attempt_id, NOW + timedelta(seconds=5))
        dialing.record_disposition(session, offer.attempt_id, "dnc", NOW + timedelta(minutes=1), agent="1001")
    return phone


def _row(html: str, phone: str) -> str:
    return html.split(f"<td>{phone}</td>", 1)[1].split("</tr>", 1)[0]


def test_a_refusals_dnc_note_names_the_disposition_by_the_scripts_label(api_as, db: Database, world,
                                                                         campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    phone = _refusing_call(db, a)
    client = api_as(campaigner)
    zh = _row(client.get("/campaigns/dnc?lang=zh_CN").get_data(as_text=True), phone)
    assert "<td>通话中要求不再来电</td><td>通话处理结果：要求不再来电</td>" in zh
    en = _row(client.get("/campaigns/dnc?lang=en").get_data(as_text=True), phone)
    assert "call disposition: 要求不再来电" in en and ": dnc" not in en


def test_an_older_dnc_note_with_the_code_finds_the_label_in_the_tenants_scripts(api_as, db: Database, world,
                                                                                 campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    phone = f"+8613{uuid.uuid4().int % 10**9:09d}"
    with db.tenant(a) as session:  # as the dialer wrote it before
        dnc.add(session, phone, "disposition", "agent1", note="disposition dnc")
        assert session.scalar(select(DncEntry.note).where(DncEntry.phone_e164 == phone)) == "disposition dnc"
    zh = _row(api_as(campaigner).get("/campaigns/dnc?lang=zh_CN").get_data(as_text=True), phone)
    assert "通话处理结果：要求不再来电" in zh and "：dnc" not in zh
