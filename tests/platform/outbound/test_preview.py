"""Preview dialling (platform/outbound/preview.py): the agent's next contact held under their lease, dial or skip
with a reason recorded on the attempt, compliance refusals settled before a contact is shown; both databases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt
from hotline.platform.outbound import dnc, preview, reasons
from hotline.platform.services import templates

MONDAY_10_BEIJING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"pv{uuid.uuid4().hex[:8]}", None,
                               "test").id


_numbers = iter(range(10_000_000, 99_999_999))


def _phone() -> str:
    return f"+86137{next(_numbers):08d}"


def _campaign(db: Database, tenant: int, *phones: str, skill: str | None = None) -> tuple[int, list[int]]:
    with db.tenant(tenant) as session:
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op")
        session.add(contact_list)
        session.flush()
        campaign = Campaign(name=f"p{uuid.uuid4().hex[:8]}", script="return_visit", script_version=1, mode="preview",
                            status="running", contact_list_id=contact_list.id, skill=skill, min_gap_minutes=0,
                            windows={"timezone": "Asia/Shanghai", "windows": [
                                {"days": ["mon"], "start": "09:00", "end": "20:00"}]})
        session.add(campaign)
        session.flush()
        ids = []
        for phone in phones:
            contact = Contact(list_id=contact_list.id, phone_e164=phone, name="赵六")
            session.add(contact)
            session.flush()
            entry = CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone)
            session.add(entry)
            session.flush()
            ids.append(entry.id)
        return campaign.id, ids


def _attempts(db: Database, tenant: int, entry_id: int) -> list[DialAttempt]:
    with db.tenant(tenant) as session:
        return list(session.scalars(select(DialAttempt).where(DialAttempt.entry_id == entry_id)
                                    .order_by(DialAttempt.id)))


def _entry(db: Database, tenant: int, entry_id: int) -> CampaignEntry:
    with db.tenant(tenant) as session:
        return session.get(CampaignEntry, entry_id)


def test_the_agent_previews_skips_with_a_reason_and_dials(db: Database, tenant: int) -> None:
    skill = f"s{uuid.uuid4().hex[:6]}"
    barred, first, second = _phone(), _phone(), _phone()
    campaign, (barred_id, first_id, second_id) = _campaign(db, tenant, barred, first, second, skill=skill)
    now = MONDAY_10_BEIJING
    with db.tenant(tenant) as session:
        dnc.add(session, barred, "operator", "op")
        unskilled = preview.offer(session, "1009", set(), now)  # lacks the campaign's skill
        assert unskilled is None or unskilled.campaign_id != campaign
    with db.tenant(tenant) as session:
        offer = preview.offer(session, "1001", {skill}, now)
    assert offer is not None and offer.entry_id == first_id  # the DNC number was skipped, never shown
    assert [a.outcome for a in _attempts(db, tenant, barred_id)] == ["skipped"]
    with db.tenant(tenant) as session:  # asking again: the same contact, held for this agent only
        assert preview.offer(session, "1001", {skill}, now + timedelta(seconds=30)) == offer
        other = preview.offer(session, "1002", {skill}, now + timedelta(seconds=30))
        assert other is not None and other.entry_id == second_id
        with pytest.raises(LookupError):
            preview.skip(session, offer.attempt_id, "1002", "not_now", now)
        with pytest.raises(ValueError, match="reason"):
            preview.skip(session, offer.attempt_id, "1001", "bored", now)
    later = now + timedelta(minutes=1)
    with db.tenant(tenant) as session:
        preview.skip(session, offer.attempt_id, "1001", "not_now", later)
    (skipped,) = _attempts(db, tenant, first_id)
    assert (skipped.outcome, skipped.disposition, skipped.agent) == ("skipped", "not_now", "1001")
    assert "not the right time" in reasons.plain(skipped.reason)
    entry = _entry(db, tenant, first_id)
    assert (entry.state, entry.attempts, entry.next_attempt_at) == ("pending", 0, later + timedelta(hours=2))
    with db.tenant(tenant) as session:
        order = preview.dial(session, other.attempt_id, "1002", later)
        assert (order.mode, order.preferred_agent, order.phone_e164) == ("preview", "1002", second)
        with pytest.raises(LookupError):  # a second 拨打 (another tab) places nothing
            preview.dial(session, other.attempt_id, "1002", later)
    (dialled,) = _attempts(db, tenant, second_id)
    assert (dialled.outcome, dialled.at, dialled.call_uuid) == ("dialing", later, order.call_uuid)


def test_wrong_data_fails_the_entry_and_a_lapsed_hold_goes_back(db: Database, tenant: int) -> None:
    _campaign_id, (bad_id, kept_id) = _campaign(db, tenant, _phone(), _phone())
    now = MONDAY_10_BEIJING
    with db.tenant(tenant) as session:
        offer = preview.offer(session, "2001", set(), now)
        assert offer is not None and offer.entry_id == bad_id
        preview.skip(session, offer.attempt_id, "2001", "wrong_data", now)
        held = preview.offer(session, "2001", set(), now)
        assert held is not None and held.entry_id == kept_id
    entry = _entry(db, tenant, bad_id)
    assert entry.state == "failed" and "wrong" in reasons.plain(entry.closed_reason)
    # the agent walked away: after the hold another agent gets the contact, the old attempt recorded as lost
    with db.tenant(tenant) as session:
        again = preview.offer(session, "2002", set(), now + preview.PREVIEW_HOLD + timedelta(seconds=1))
    assert again is not None and again.entry_id == kept_id
    assert [a.outcome for a in _attempts(db, tenant, kept_id)] == ["lost", "dialing"]
