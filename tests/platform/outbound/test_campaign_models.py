"""The campaign tables hold what the dialer relies on: one entry per contact and per call task in a campaign,
states and modes limited to the documented ones, attempts tied to their campaign and entry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt
from hotline.platform.services import templates


@pytest.fixture(scope="module")
def tenant(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"cm{uuid.uuid4().hex[:8]}", None,
                               "test").id


def _campaign(session, name: str, **values) -> Campaign:
    campaign = Campaign(name=name, script="survey", script_version=1, **values)
    session.add(campaign)
    session.flush()
    return campaign


def test_an_entry_is_unique_per_campaign_and_contact(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        contact_list = ContactList(name="名单", created_by="op")
        session.add(contact_list)
        session.flush()
        contact = Contact(list_id=contact_list.id, phone_e164="+8613812345678")
        session.add(contact)
        campaign = _campaign(session, "回访一", contact_list_id=contact_list.id)
        assert (campaign.status, campaign.kind, campaign.mode, campaign.abandon_cap) == ("draft", "list",
                                                                                         "progressive", 0.03)
        session.add(CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=contact.phone_e164))
        session.flush()
        entry = session.scalar(select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id))
        assert (entry.state, entry.attempts, entry.lease_owner) == ("pending", 0, None)
        session.add(DialAttempt(phone_e164=contact.phone_e164, outcome="answered", campaign_id=campaign.id,
                                entry_id=entry.id, call_uuid="u-1", agent="agent1",
                                answered_at=datetime(2026, 3, 11, 2, 30, tzinfo=UTC), answers={"overall": "5"}))
        session.flush()
        attempt = session.scalar(select(DialAttempt).where(DialAttempt.entry_id == entry.id))
        assert attempt.answers == {"overall": "5"} and attempt.campaign_id == campaign.id
        ids = campaign.id, contact.id
    with pytest.raises(IntegrityError), db.tenant(tenant) as session:
        session.add(CampaignEntry(campaign_id=ids[0], contact_id=ids[1], phone_e164="+8613812345678"))


def test_a_state_outside_the_machine_is_refused(db: Database, tenant: int) -> None:
    with pytest.raises(IntegrityError), db.tenant(tenant) as session:
        _campaign(session, "坏状态", status="ringing")


def test_a_campaign_name_is_unique_per_tenant(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        _campaign(session, "同名")
    with pytest.raises(IntegrityError), db.tenant(tenant) as session:
        _campaign(session, "同名")
