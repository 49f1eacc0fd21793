"""Seeded dial attempts of two campaigns, with the outbound figures they must give written beside them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hotline.platform.db import Database
from hotline.platform.models import DialAttempt
from hotline.platform.outbound import campaigns, contacts
from hotline.platform.services import templates

from .seed import T10

CSV = "姓名,手机\n张三,13812345678\n李四,13912345678\n"


def outbound_tenant(db: Database, template: str = "property_management") -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load(template), f"o{uuid.uuid4().hex[:8]}", None, "test").id


def seed_attempts(db: Database, tenant_id: int) -> tuple[int, int]:
    """Campaign A, Monday 9 March 2026 from 10:00 Shanghai: 3 answered (dispositions completed, low_score_callback,
    completed), 1 abandoned after answer, busy, no answer, an answering machine, and one refused by the DNC rule →
    attempts 7, connects 4 (57.1 %), machines 1, abandoned 1 (25.0 % of connects), skipped 1. Tuesday: 1 answered,
    completed. Campaign B, Monday: 1 answered without a disposition, 1 abandoned → 2, 2, abandon rate 50.0 %."""
    m = timedelta(minutes=1)
    with db.tenant(tenant_id) as session:
        ids = []
        for name in ("满意度回访-三月", "满意度回访-补打"):
            contact_list = contacts.create_list(session, f"{name}-list", "service", "op")
            contacts.import_contacts(session, contact_list, "l.csv", CSV.encode())
            ids.append(campaigns.create(session, name=name, script="satisfaction_survey",
                                        contact_list_id=contact_list.id, actor="op").id)
        a, b = ids
        rows = [(a, T10, "answered", False, "completed"), (a, T10 + m, "answered", False, "low_score_callback"),
                (a, T10 + 2 * m, "answered", False, "completed"), (a, T10 + 3 * m, "abandoned", True, None),
                (a, T10 + 4 * m, "busy", False, None), (a, T10 + 5 * m, "no_answer", False, None),
                (a, T10 + 6 * m, "machine", False, None), (a, T10 + 7 * m, "skipped", False, "dnc"),
                (a, T10 + timedelta(days=1), "answered", False, "completed"),
                (b, T10 + 8 * m, "answered", False, None), (b, T10 + 9 * m, "abandoned", True, None)]
        for campaign_id, at, outcome, abandoned, disposition in rows:
            live = outcome in ("answered", "abandoned", "machine")
            session.add(DialAttempt(campaign_id=campaign_id, phone_e164="+8613812345678", at=at, outcome=outcome,
                                    abandoned=abandoned, disposition=disposition, agent="1001" if disposition else None,
                                    answered_at=at + timedelta(seconds=12) if live else None,
                                    ended_at=at + timedelta(minutes=2) if live else None))
        return a, b
