"""Factories shared by the dialer's tests (test_dialing_claim.py, test_dialing_outcomes.py): a running
return-visit campaign over new numbers, a claim at an explicit instant, and reads of entries and attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, DialAttempt, Document
from hotline.platform.outbound import dialing
from hotline.platform.services import templates

#: Monday 2026-11-23 10:00 in Beijing (02:00 UTC): inside the return-visit windows (09-12, 14-20 Mon-Sat).
MONDAY_10_BEIJING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
#: Monday 2026-11-23 21:30 in Beijing: after the last window.
MONDAY_2130_BEIJING = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
RETRIES = {"busy": {"delay_minutes": 30, "max": 2}, "no_answer": {"delay_minutes": 120, "max": 3},
           "machine": {"delay_minutes": 240, "max": 1}}


def new_tenant(db: Database) -> int:
    """A tenant cloned from the express-delivery template (its return-visit script is published)."""
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), f"dl{uuid.uuid4().hex[:8]}", None,
                               "test").id


_numbers = iter(range(10_000_000, 99_999_999))


def new_phone() -> str:
    """A mobile number no other test of the run uses."""
    return f"+86139{next(_numbers):08d}"


def running_campaign(db: Database, tenant: int, *phones: str, timezone: str | None = None, purpose: str = "service",
              consent: bool = True, **values: object) -> tuple[int, list[int]]:
    """A running campaign of the return-visit script over a new list of `phones`; (campaign id, entry ids)."""
    with db.tenant(tenant) as session:
        script = session.scalar(select(Document).where(Document.kind == "outbound", Document.name == "return_visit"))
        assert script is not None
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op", purpose=purpose)
        session.add(contact_list)
        session.flush()
        values = {"retry_policy": RETRIES, "min_gap_minutes": 0, "max_attempts_per_contact": 6, **values}
        campaign = Campaign(name=f"c{uuid.uuid4().hex[:8]}", script="return_visit", script_version=1,
                            mode="progressive",
                            status="running", contact_list_id=contact_list.id, purpose=purpose,
                            windows={"timezone": "Asia/Shanghai", "windows": [
                                {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "09:00", "end": "12:00"},
                                {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "start": "14:00", "end": "20:00"},
                            ]}, **values)
        session.add(campaign)
        session.flush()
        entries = []
        for phone in phones:
            contact = Contact(list_id=contact_list.id, phone_e164=phone, name="张三", timezone=timezone,
                              consent_at=MONDAY_10_BEIJING - timedelta(days=30) if consent else None,
                              consent_source="网站注册勾选" if consent else None)
            session.add(contact)
            session.flush()
            entry = CampaignEntry(campaign_id=campaign.id, contact_id=contact.id, phone_e164=phone)
            session.add(entry)
            session.flush()
            entries.append(entry.id)
        return campaign.id, entries


def claim_at(db: Database, tenant: int, campaign: int, now: datetime, limit: int = 10,
           owner: str = "d1", free: frozenset[str] = frozenset()) -> dialing.ClaimResult:
    with db.tenant(tenant) as session:
        return dialing.claim(session, campaign, owner, now, limit, free)


def entry_of(db: Database, tenant: int, entry_id: int) -> CampaignEntry:
    with db.tenant(tenant) as session:
        return session.get(CampaignEntry, entry_id)


def attempts_of(db: Database, tenant: int, entry_id: int) -> list[DialAttempt]:
    with db.tenant(tenant) as session:
        return list(session.scalars(select(DialAttempt).where(DialAttempt.entry_id == entry_id)
                                    .order_by(DialAttempt.id)))
