"""The hottest complaint topics (QA 14 items 3 and 4): each word a complaint says counts once, never its parts
(外包装 is not also 外包 and 包装), markup typed into a complaint is no topic, and the form filter applies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.platform.db import Database
from hotline.platform.reports.periods import Period
from hotline.platform.reports.service import hot_topics
from hotline.platform.services import templates, tickets

COMPLAINTS = ("快递外包装破损，里面的东西坏了", "外包装被压扁，快递延误三天", "快递员态度差", "快递丢失，外包装也没有",
              "<script>alert(1)</script>快递太慢", "包装太简陋，东西坏了", "包装破损，要求赔偿")


@pytest.fixture(scope="module")
def express(db: Database, frozen_clock: datetime) -> int:  # a fresh tenant per instant
    with db.platform() as session:
        tenant_id = templates.clone(session, templates.load("express_delivery"), f"t{uuid.uuid4().hex[:8]}", None,
                                    "test").id
    with db.tenant(tenant_id) as session:
        for text in COMPLAINTS:
            tickets.create(session, "complaint", {"phone": "13651234503", "complaint_type": "damaged",
                                                  "severity": "normal", "details": text}, "agent1")
    return tenant_id


def _today() -> Period:
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()  # the frozen clock's local day
    return Period(today, today, "total", ZoneInfo("Asia/Shanghai"))


def test_each_word_counts_once_and_markup_is_no_topic(db: Database, express: int) -> None:
    with db.tenant(express) as session:
        topics = dict(hot_topics(session, express, _today()))
    assert topics["快递"] == 5 and topics["外包装"] == 3 and topics["包装"] == 2 and topics["破损"] == 2
    assert "外包" not in topics
    assert not any(word.isascii() for word in topics), topics


def test_the_form_filter_narrows_the_topics(db: Database, express: int) -> None:
    with db.tenant(express) as session:
        assert hot_topics(session, express, _today(), form="nonexist") == []
        assert dict(hot_topics(session, express, _today(), form="complaint"))["快递"] == 5
