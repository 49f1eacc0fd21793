"""Contact lists: import in GBK or UTF-8 with per-line errors while good lines import, E.164 de-duplication,
custom columns, do-not-call lists (tenant and platform), the pre-launch check, and tenants kept apart."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from hotline.platform.db import Database
from hotline.platform.models import Contact, DialAttempt
from hotline.platform.outbound import contacts, dnc
from hotline.platform.outbound.prelaunch import prelaunch
from hotline.platform.services import templates

WEDNESDAY_MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)
CSV = """姓名,手机,时区,同意来源,同意时间,订单号
张三,138 1234 5678,,官网注册勾选,2026-01-05 10:00,A001
李四,not-a-number,,,,A002
王五,+8613812345678,,,,A003
赵六,010-64701122,Asia/Shanghai,门店登记,2026-02-01,A004
钱七,13912345678,,,,A005
"""
SCRIPT = {"dialing": {"mode": "progressive", "timezone": "Asia/Shanghai",
                      "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "20:00"}]},
          "pages": [{"text": "您好{{contact.name}}，您的订单{{ contact.订单号 }}已送达；{{contact.积分}}"}]}


@pytest.fixture(scope="module")
def tenants(db: Database, unique_module: str) -> tuple[int, int]:
    ids = []
    for prefix in ("oa", "ob"):
        with db.platform() as session:
            ids.append(templates.clone(session, templates.load("express_delivery"), f"{prefix}{unique_module}",
                                       None, "test").id)
    return ids[0], ids[1]


@pytest.fixture(scope="module")
def unique_module() -> str:
    import uuid

    return uuid.uuid4().hex[:8]


def test_a_gbk_file_imports_good_lines_and_reports_bad_ones(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "回访名单-gbk", "service", "op")
        report = contacts.import_contacts(session, contact_list, "list.csv", CSV.encode("gbk"))
        assert report.imported == 3 and report.duplicates == 1  # 王五 is 张三's number again
        assert report.errors == [(3, {"code": "number.not_chinese", "raw": "not-a-number"}),
                                 (4, {"code": "contacts.duplicate_in_file", "phone": "+8613812345678", "first": 2})]
        rows = {c.name: c for c in session.scalars(select(Contact).where(Contact.list_id == contact_list.id))}
        assert rows["张三"].phone_e164 == "+8613812345678" and rows["张三"].fields == {"订单号": "A001"}
        assert rows["张三"].consent_source == "官网注册勾选" and rows["张三"].line == 2
        assert rows["赵六"].phone_e164 == "+861064701122"
        with pytest.raises(ValueError, match="already exists"):
            contacts.create_list(session, "回访名单-gbk", "service", "op")


def test_a_file_without_a_phone_column_says_so(db: Database, tenants) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "无电话", "service", "op")
        report = contacts.import_contacts(session, contact_list, "x.csv", "姓名,地址\n张三,北京\n".encode())
        assert report.imported == 0 and report.errors == [(1, {"code": "contacts.no_phone_column"})]


def test_prelaunch_lists_what_the_dialer_would_refuse(db: Database, tenants) -> None:
    a, b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "营销名单", "marketing", "op")
        contacts.import_contacts(session, contact_list, "list.csv", CSV.encode("utf-8"))
        dnc.record_disposition(session, "13912345678", "要求不再来电", "agent1")
        session.add(DialAttempt(phone_e164="+861064701122", at=WEDNESDAY_MORNING - timedelta(hours=5),
                                outcome="abandoned", abandoned=True))
        session.flush()
        check = prelaunch(session, contact_list, SCRIPT, WEDNESDAY_MORNING)
        assert check.total == 3 and check.dialable == 1  # 张三: consent, in window, no history
        assert check.refused["dnc"]["count"] == 1 and check.refused["dnc"]["examples"][0]["line"] == 6
        assert check.refused["abandoned_72h"]["count"] == 1  # 赵六: consent, but dropped 5 hours ago
        assert check.missing_variables == ["积分"]
        night = prelaunch(session, contact_list, SCRIPT, WEDNESDAY_MORNING - timedelta(hours=7))
        assert night.dialable == 0 and night.refused["outside_window"]["count"] == 2  # 03:30: 张三 and 赵六
    with db.tenant(b) as session:  # tenant B's list is its own: A's do-not-call entry does not reach it
        other = contacts.create_list(session, "营销名单", "service", "op")
        contacts.import_contacts(session, other, "list.csv", CSV.encode("utf-8"))
        assert "dnc" not in prelaunch(session, other, SCRIPT, WEDNESDAY_MORNING).refused
        assert dnc.lists_holding(session, ["+8613912345678"]) == {}


def test_prelaunch_checks_a_list_longer_than_one_statements_parameters(db: Database, tenants) -> None:
    """QA 13 round 4 #1: a 100,000-contact list sent every number in one IN; PostgreSQL allows 65,535 parameters,
    so the check, the campaign page and the start all failed. 70,000 contacts, two of them dialled before."""
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "大名单", "service", "op")
        session.flush()
        session.execute(insert(Contact), [{"tenant_id": a, "list_id": contact_list.id, "name": "",
                                           "phone_e164": f"+86139{i:08d}", "fields": {}, "line": i + 2}
                                          for i in range(70_000)])
        for phone in ("+8613900000007", "+8613900069999"):
            session.add(DialAttempt(phone_e164=phone, at=WEDNESDAY_MORNING - timedelta(hours=5),
                                    outcome="abandoned", abandoned=True))
        session.flush()
        check = prelaunch(session, contact_list, {**SCRIPT, "variables": []}, WEDNESDAY_MORNING)
    assert check.total == 70_000
    assert check.refused["abandoned_72h"]["count"] == 2
    assert {e["line"] for e in check.refused["abandoned_72h"]["examples"]} == {9, 70_001}


def test_a_preview_skip_is_no_dial_for_the_pre_launch_check(db: Database, tenants) -> None:
    """QA 13 round 4 #2: an agent skipped 张三 in preview; another campaign's check then refused him under the
    minimum gap ("last dialled 4 minutes ago") though nobody had dialled him."""
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "跳过之后", "marketing", "op")
        contacts.import_contacts(session, contact_list, "list.csv", CSV.encode("utf-8"))
        session.add(DialAttempt(phone_e164="+8613812345678", at=WEDNESDAY_MORNING - timedelta(minutes=4),
                                outcome="skipped", disposition="not_now", reason="skipped by agent a1"))
        session.flush()
        check = prelaunch(session, contact_list, SCRIPT, WEDNESDAY_MORNING)
    assert "min_gap" not in check.refused and check.dialable == 1  # 张三 is still dialable


def test_the_platform_list_reaches_every_tenant(db: Database, tenants) -> None:
    a, b = tenants
    with db.platform() as session:
        dnc.add_platform(session, "+86 137 0000 0001", "regulator", "operator")
    for tenant in (a, b):
        with db.tenant(tenant) as session:
            assert dnc.lists_holding(session, ["+8613700000001"]) == {"+8613700000001": ("platform",)}
    with db.tenant(a) as session, pytest.raises(ValueError, match="not a Chinese mobile"):
        dnc.add(session, "12", "agent", "agent1")


def test_bad_zone_extra_cells_and_repeated_numbers_are_reported_by_line_while_good_lines_import(
        db: Database, tenants) -> None:
    """Issue 13 (13b #1): a zone such as Mars/Olympus, a cell beyond the header and a number given twice in one
    file were accepted or merged without a word; each is now that line's error (header = line 1)."""
    a, _b = tenants
    text = ("姓名,手机,时区\n"
            "甲,13800000001,Asia/Shanghai\n"
            "乙,13800000002,Mars/Olympus\n"
            "丙,13800000003,,多余的一格\n"
            "丁,138 0000 0001,\n"
            "戊,13800000004,,\n")  # a trailing empty cell is no error (Excel writes them)
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "坏时区", "service", "op")
        session.add(Contact(list_id=contact_list.id, name="旧", phone_e164="+8613800000004", fields={}, line=2))
        session.flush()
        report = contacts.import_contacts(session, contact_list, "list.csv", text.encode("gbk"))
        phones = set(session.scalars(select(Contact.phone_e164).where(Contact.list_id == contact_list.id)))
    assert report.errors == [
        (3, {"code": "contacts.bad_timezone", "value": "Mars/Olympus"}),
        (4, {"code": "contacts.extra_cells", "cells": 4, "columns": 3}),
        (5, {"code": "contacts.duplicate_in_file", "phone": "+8613800000001", "first": 2}),
        (6, {"code": "contacts.already_on_list", "phone": "+8613800000004"}),
    ]
    assert report.imported == 1 and report.duplicates == 2 and report.refused == 2
    assert phones == {"+8613800000001", "+8613800000004"}


def test_a_file_in_no_accepted_encoding_is_refused_in_the_readers_words_naming_the_encodings(
        db: Database, tenants) -> None:
    """Issue 13 (13b #2): random bytes, or UTF-16 that breaks off (an unpaired surrogate), were refused in English
    only."""
    a, _b = tenants
    utf16 = codecs.BOM_UTF16_LE + "姓名,手机\n".encode("utf-16-le") + b"\x00\xd8\x41\x00"
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "乱码", "service", "op")
        for content in (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0x80, 0xC3, 0x28] * 8), utf16):
            report = contacts.import_contacts(session, contact_list, "list.csv", content)
            assert report.imported == 0
            assert report.errors == [(1, {"code": "contacts.undecodable", "accepted": "UTF-8, GBK/GB18030, UTF-16"})]


def test_the_prelaunch_check_asks_the_database_a_fixed_number_of_times_whatever_the_lists_size(
        db: Database, tenants) -> None:
    """Issue 13 (13b #6): the check sent the list's numbers in IN chunks (400 queries for 100,000 contacts) and
    decoded every contact's fields; it now joins in the database. Its answers stay the same."""
    from sqlalchemy import event

    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "固定查询", "marketing", "op")
        session.execute(insert(Contact), [{"tenant_id": a, "list_id": contact_list.id, "name": "",
                                           "phone_e164": f"+86135{i:08d}", "fields": {"订单号": str(i)},
                                           "consent_at": WEDNESDAY_MORNING if i % 2 else None, "line": i + 2}
                                          for i in range(3_000)])
        dnc.add(session, "13500000007", "operator", "op")
        session.add(DialAttempt(phone_e164="+8613500000009", at=WEDNESDAY_MORNING - timedelta(hours=5),
                                outcome="abandoned", abandoned=True))
        session.flush()
        statements: list[str] = []
        engine = session.get_bind()

        def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            check = prelaunch(session, contact_list, SCRIPT, WEDNESDAY_MORNING)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) <= 6, statements  # + one for the contacts lacking a script column (QA 13f #1)
    assert check.total == 3_000 and check.refused["no_consent"]["count"] == 1_500
    assert check.refused["dnc"]["count"] == 1 and check.refused["dnc"]["examples"][0]["line"] == 9
    assert check.refused["abandoned_72h"]["examples"][0]["line"] == 11
    assert check.dialable == 1_500 - 2 and check.missing_variables == ["积分"]


@pytest.mark.parametrize("encoding", ["latin-1", "shift_jis"])
def test_a_file_in_another_encoding_is_refused_naming_the_accepted_ones(db: Database, tenants,
                                                                         encoding: str) -> None:
    """QA 13f #6: a Latin-1 file ("Müller", "Köln") imported as mojibake ("M黮ler") through GB18030, silently."""
    text = {"latin-1": "姓名,手机,城市\nMüller,13812345678,Köln\nJörg Bär,13912345678,Düsseldorf\n"
                       .replace("姓名", "name").replace("手机", "phone").replace("城市", "city"),
            "shift_jis": "name,phone,city\nやまだ たろう,13812345678,とうきょう\nすずき はなこ,13912345678,おおさか\n"}
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, f"编码-{encoding}", "service", "op")
        report = contacts.import_contacts(session, contact_list, "list.csv", text[encoding].encode(encoding))
        assert report.imported == 0
        assert report.errors == [(1, {"code": "contacts.undecodable", "accepted": contacts.ACCEPTED_ENCODINGS})]
