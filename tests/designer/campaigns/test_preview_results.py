"""A preview campaign's results export (issue 13, items 1 and 3): the agent's skip reason as its label, and the
ticket the answers made, by number — never a stored code."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from hotline.platform.db import Database
from hotline.platform.models import DialAttempt, Ticket
from hotline.platform.outbound import dialing, preview

from .conftest import preview_campaign, tenant_id

pytestmark = pytest.mark.redis
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing


def test_the_export_shows_skip_reasons_and_tickets_by_their_labels(api_as, db: Database, world, campaigner) -> None:
    a = tenant_id(db, world.tenant_a)
    campaign_id, _phones = preview_campaign(db, a, ("钱一", "孙二"),
                                            fields=[{"ticket_number": f"TK-{n}"} for n in range(2)])
    with db.tenant(a) as session:
        first = preview.offer(session, "1001", set(), NOW)
        preview.skip(session, first.attempt_id, "1001", "wrong_data", NOW)
        second = preview.offer(session, "1001", set(), NOW)
        preview.dial(session, second.attempt_id, "1001", NOW)
        dialing.record_answer(session, second.attempt_id, NOW + timedelta(seconds=5))
        dialing.record_disposition(session, second.attempt_id, "unsolved", NOW + timedelta(minutes=3), agent="1001",
                                   answers={"solved": "no", "remaining_issue": "快递柜打不开"})
    with db.tenant(a) as session:
        made = session.get(Ticket, session.get(DialAttempt, second.attempt_id).ticket_id)
        assert made.form_name == "complaint" and "快递柜打不开" in made.data["details"]  # the express template's rule
        number = made.number
    exported = api_as(campaigner).get(f"/campaigns/{campaign_id}/export?format=csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][-1] == "工单"
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["钱一"][3:6] == ["座席跳过", "否", "座席跳过：联系人资料有误"]  # the agent's, not a rule's
    assert by_name["孙二"][-1] == number and "wrong_data" not in exported.get_data(as_text=True)
