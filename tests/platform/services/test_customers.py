"""Customers: CRUD with unique phones per tenant, screen pop, search, CSV import/export, tenant isolation."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AuditEntry
from hotline.platform.services import customer_import, customers, tenants
from hotline.platform.services.errors import Duplicate, InvalidDocument, NotFound


def new_tenant(db: Database, unique: Callable[[str], str]) -> int:
    with db.platform() as session:
        return tenants.create_tenant(session, unique("cust"), "Customers test", "test").id


@pytest.fixture
def tenant(db: Database, unique: Callable[[str], str]) -> int:
    return new_tenant(db, unique)


def import_text(db: Database, tenant_id: int, text: str, **kwargs: object) -> customer_import.ImportReport:
    with db.tenant(tenant_id) as session:
        return customer_import.import_csv(session, io.StringIO(text), "importer", **kwargs)  # type: ignore[arg-type]


def everyone(db: Database, tenant_id: int) -> dict[str, dict[str, object]]:
    with db.tenant(tenant_id) as session:
        rows, _total = customers.search(session, per_page=500)
        return {c.name: {"phones": [p.phone for p in c.phones], "address": c.address, "vip": c.vip,
                         "flags": list(c.flags), "note": c.note, "data": dict(c.data)} for c in rows}


# --- CRUD -------------------------------------------------------------------------------------------------------

def test_create_get_update_delete_with_audit(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        customer = customers.create(session, " 张三 ", ["138-0000-0001", "13800000001", "+86 21 5555 0001"],
                                    address="上海市 1 号", flags=["monthly_settlement", " ", "monthly_settlement"],
                                    data={"company": "ACME"}, actor="alice")
        customer_id = customer.id
        assert customer.name == "张三"
        assert [p.phone for p in customer.phones] == ["13800000001", "+862155550001"]
        assert customer.flags == ["monthly_settlement"]
    with db.tenant(tenant) as session:
        customers.update(session, customer_id, phones=["13800000001", "13900000009"], vip=True, note="大客户",
                         actor="bob")
        customer = customers.get(session, customer_id)
        assert [p.phone for p in customer.phones] == ["13800000001", "13900000009"]
        assert (customer.vip, customer.note, customer.address, customer.data) == (True, "大客户", "上海市 1 号",
                                                                                  {"company": "ACME"})
        customers.delete(session, customer_id, "carol")
    with db.tenant(tenant) as session:
        with pytest.raises(NotFound):
            customers.get(session, customer_id)
        assert customers.find_by_phone(session, "13800000001") == []
        entries = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "customer",
                                                           AuditEntry.object_id == str(customer_id))
                                  .order_by(AuditEntry.id)).all()
        assert [(e.actor, e.action) for e in entries] == [("alice", "customer.create"), ("bob", "customer.update"),
                                                           ("carol", "customer.delete")]
        assert entries[1].detail["vip"] == [False, True]
        assert entries[1].detail["phones"] == [["13800000001", "+862155550001"], ["13800000001", "13900000009"]]


def test_create_refuses_a_missing_name_or_phone_and_a_bad_phone(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        with pytest.raises(InvalidDocument) as caught:
            customers.create(session, "  ", [], actor="t")
        assert {f.pointer for f in caught.value.findings} == {"/name", "/phones"}
        with pytest.raises(InvalidDocument) as caught:
            customers.create(session, "李四", ["13800000002", "call me"], actor="t")
        assert [f.pointer for f in caught.value.findings] == ["/phones/1"]
        assert "'call me' is not a phone number" in caught.value.findings[0].message
        with pytest.raises(InvalidDocument):
            customers.update(session, customers.create(session, "王五", ["123"], actor="t").id, name="", actor="t")


def test_a_phone_of_another_customer_is_a_duplicate_naming_both(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        first = customers.create(session, "张三", ["13800000003"], actor="t")
        second = customers.create(session, "李四", ["13800000004"], actor="t")
        with pytest.raises(Duplicate, match=rf"13800000003 already belongs to customer '张三' \(#{first.id}\)"):
            customers.create(session, "王五", ["139 0000 0000", "138-0000-0003"], actor="t")
        with pytest.raises(Duplicate, match="13800000003"):
            customers.update(session, second.id, phones=["13800000004", "13800000003"], actor="t")
        # keeping one's own number is not a duplicate
        customers.update(session, first.id, phones=["13800000003", "13800000005"], actor="t")


def test_unknown_ids_are_not_found(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        with pytest.raises(NotFound):
            customers.update(session, 10**9, name="x", actor="t")
        with pytest.raises(NotFound):
            customers.delete(session, 10**9, actor="t")


# --- screen pop and search --------------------------------------------------------------------------------------

def test_find_by_phone_returns_every_customer_with_the_number(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        # the same switchboard number on two records (e.g. seeded data); create() itself refuses this
        a = customers.create(session, "公司前台", ["02155550000"], actor="t")
        b = customers.create(session, "公司财务", ["02155550001"], actor="t")
        b.phones[0].phone = "02155550000"
        session.flush()
        assert [c.id for c in customers.find_by_phone(session, "021-5555-0000")] == [a.id, b.id]
        assert customers.find_by_phone(session, "anonymous") == []
        assert customers.find_by_phone(session, "02155559999") == []


def test_search_filters_sorts_and_pages(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        for i in range(7):
            customers.create(session, f"Shop {i}", [f"1380000{i:04d}"], address="Nanjing Road" if i % 2 else "Pudong",
                             vip=i < 3, flags=["monthly_settlement"] if i in (1, 4) else [], actor="t")
        customers.create(session, "100%_percent", ["13911112222"], actor="t")

        def names(**kwargs: object) -> tuple[list[str], int]:
            rows, total = customers.search(session, **kwargs)  # type: ignore[arg-type]
            return [c.name for c in rows], total

        assert names(text="shop", per_page=3) == (["Shop 0", "Shop 1", "Shop 2"], 7)
        assert names(text="shop", per_page=3, page=3) == (["Shop 6"], 7)
        assert names(text="shop", per_page=3, page=4) == ([], 7)
        assert names(text="nanjing") == (["Shop 1", "Shop 3", "Shop 5"], 3)
        assert names(text="1380000-0004") == (["Shop 4"], 1)
        assert names(text="00000") == ([f"Shop {i}" for i in range(7)], 7)
        assert names(vip=True) == (["Shop 0", "Shop 1", "Shop 2"], 3)
        assert names(vip=False, text="shop") == (["Shop 3", "Shop 4", "Shop 5", "Shop 6"], 4)
        assert names(flag="monthly_settlement") == (["Shop 1", "Shop 4"], 2)
        assert names(flag="monthly_settlement", vip=False) == (["Shop 4"], 1)
        assert names(text="%_") == (["100%_percent"], 1)  # LIKE wildcards are taken literally
        assert names(text="shop", sort="-name", per_page=2) == (["Shop 6", "Shop 5"], 7)
        assert names(text="shop", sort="-created_at", per_page=1)[0] == ["Shop 6"]
        with pytest.raises(ValueError, match="cannot sort"):
            customers.search(session, sort="phone")
        with pytest.raises(ValueError):
            customers.search(session, page=0)


# --- import -----------------------------------------------------------------------------------------------------

MIXED = """name,phones,address,vip,flags,note,company
张三,13800000001;13800000002,上海市徐汇区,是,monthly_settlement,老客户,ACME
,13800000003,,否,,,
李四,138-0000-0004 / 021 5555 0004,北京市,false,,,
王五,13800000005;not-a-phone,,1,,,
赵六,13800000006,,maybe,,,
"孙七","13800000007","多行
地址",0,vip;monthly_settlement,,
钱八,,,,,,
"""


def test_import_reports_bad_lines_by_number_and_reason_and_imports_the_good_ones(db: Database, tenant: int) -> None:
    seen: list[tuple[int, int]] = []
    report = import_text(db, tenant, MIXED, progress=lambda done, total: seen.append((done, total)))
    assert (report.created, report.merged, report.skipped, report.total) == (3, 0, 4, 7)
    assert report.created + report.merged + report.skipped == report.total
    lines = dict(report.errors)
    assert list(lines) == [3, 5, 6, 9]
    assert lines[3] == "missing name"
    assert lines[5].startswith('bad phone "not-a-phone": ') and "not a phone number" in lines[5]
    assert lines[6].startswith('bad vip value "maybe"')
    assert lines[9] == "missing phone"  # the quoted address of line 7 spans two lines
    assert seen[0] == (0, 7) and seen[-1] == (7, 7) and len(seen) == 8
    stored = everyone(db, tenant)
    assert stored == {
        "张三": {"phones": ["13800000001", "13800000002"], "address": "上海市徐汇区", "vip": True,
                 "flags": ["monthly_settlement"], "note": "老客户", "data": {"company": "ACME"}},
        "李四": {"phones": ["13800000004", "02155550004"], "address": "北京市", "vip": False, "flags": [],
                 "note": "", "data": {}},
        "孙七": {"phones": ["13800000007"], "address": "多行\n地址", "vip": False,
                 "flags": ["vip", "monthly_settlement"], "note": "", "data": {}},
    }


def test_import_merges_by_phone_with_existing_customers_and_within_the_file(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        existing = customers.create(session, "张三", ["13800000001"], address="旧地址", vip=True, flags=["a"],
                                    note="keep me", data={"source": "crm"}, actor="t")
    text = ("NAME, Phones ,Address,VIP,Flags,Note,source\n"
            "张三丰,13800000001;13800000011,新地址,,b,,\n"       # merges into the existing customer
            "李四,13900000001,北京,否,x,,\n"                       # new
            "李四,13900000002/13900000001,,是,y,补充,web\n"        # the same customer again, in this file
            "\n"                                                     # blank lines are ignored
            "王五,13700000001,,,,,\n")
    report = import_text(db, tenant, text)
    assert (report.created, report.merged, report.skipped, report.total, report.errors) == (2, 2, 0, 4, [])
    stored = everyone(db, tenant)
    assert stored["张三丰"] == {"phones": ["13800000001", "13800000011"], "address": "新地址", "vip": True,
                               "flags": ["a", "b"], "note": "keep me", "data": {"source": "crm"}}
    assert stored["李四"] == {"phones": ["13900000001", "13900000002"], "address": "北京", "vip": True,
                             "flags": ["x", "y"], "note": "补充", "data": {"source": "web"}}
    assert set(stored) == {"张三丰", "李四", "王五"}
    with db.tenant(tenant) as session:
        assert [c.id for c in customers.find_by_phone(session, "13800000011")] == [existing.id]
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "customer")).all()
        assert actions.count("customer.update") == 2 and actions.count("customer.import") == 1


def test_a_line_whose_phones_belong_to_two_customers_is_reported_not_guessed(db: Database, tenant: int) -> None:
    with db.tenant(tenant) as session:
        customers.create(session, "甲", ["13800000001"], actor="t")
        customers.create(session, "乙", ["13800000002"], actor="t")
    report = import_text(db, tenant, "name,phones\n丙,13800000001;13800000002\n")
    assert (report.skipped, report.errors[0].line) == (1, 2)
    assert "several customers" in report.errors[0].reason and "'甲'" in report.errors[0].reason
    assert set(everyone(db, tenant)) == {"甲", "乙"}


def test_import_accepts_a_byte_order_mark(db: Database, tenant: int) -> None:
    report = import_text(db, tenant, "\ufeffname,phones\r\n张三,13800000001\r\n")
    assert (report.created, report.errors) == (1, [])
    raw = io.BytesIO("\ufeffname,phones\n李四,13800000002\n".encode())
    with db.tenant(tenant) as session:
        report = customer_import.import_csv(session, io.TextIOWrapper(raw, encoding="utf-8", newline=""), "t")
    assert (report.created, report.errors) == (1, [])
    assert set(everyone(db, tenant)) == {"张三", "李四"}


@pytest.mark.parametrize("text, reason", [
    ("名字,phones\n张三,13800000001\n", "lacks the required column name"),
    ("name,address\n张三,上海\n", "lacks the required column phones"),
    ("address,note\n上海,x\n", "lacks the required columns name and phones"),
    ("name,phones,Name\n张三,13800000001,x\n", "names column 'Name' twice"),
    ("", "the file is empty"),
])
def test_a_bad_header_is_one_error_and_nothing_is_imported(db: Database, tenant: int, text: str,
                                                           reason: str) -> None:
    report = import_text(db, tenant, text)
    assert len(report.errors) == 1 and report.errors[0].line == 1 and reason in report.errors[0].reason
    assert report.created == report.merged == 0 and report.skipped == report.total
    assert everyone(db, tenant) == {}


def test_export_then_import_round_trips(db: Database, tenant: int, unique: Callable[[str], str]) -> None:
    with db.tenant(tenant) as session:
        customers.create(session, "张三, \"the\" boss", ["13800000001", "+8613800000002"], address="多行\n地址",
                         vip=True, flags=["monthly_settlement", "vip"], note="注意; 备注", data={"company": "ACME"},
                         actor="t")
        customers.create(session, "李四", ["13900000001"], data={"level": "gold"}, actor="t")
        out = io.StringIO(newline="")
        assert customer_import.export_csv(session, out, bom=True) == 2
    exported = out.getvalue()
    assert exported.startswith("\ufeffname,phones,address,vip,flags,note,company,level\r\n")
    other = new_tenant(db, unique)
    report = import_text(db, other, exported)
    assert (report.created, report.errors) == (2, [])
    assert everyone(db, other) == everyone(db, tenant)
    again = import_text(db, other, exported)  # importing the export again changes nothing
    assert (again.created, again.merged, again.errors) == (0, 2, [])
    assert everyone(db, other) == everyone(db, tenant)


# --- tenant isolation -------------------------------------------------------------------------------------------

def test_tenants_never_see_or_touch_each_others_customers(db: Database, unique: Callable[[str], str]) -> None:
    a, b = new_tenant(db, unique), new_tenant(db, unique)
    with db.tenant(b) as session:
        theirs = customers.create(session, "B 的客户", ["13800000001"], address="B 地址", flags=["b"], actor="t")
    # the same phone is free in tenant A: the import creates A's own customer and leaves B's alone
    report = import_text(db, a, "name,phones,address,flags\nA 的客户,13800000001,A 地址,a\n")
    assert (report.created, report.merged, report.errors) == (1, 0, [])
    with db.tenant(a) as session:
        customers.create(session, "A 的第二个客户", ["13800000002"], actor="t")  # B's number is no duplicate here
        assert [c.name for c in customers.find_by_phone(session, "13800000001")] == ["A 的客户"]
        assert customers.search(session, text="客户")[1] == 2
        assert customers.search(session, text="B")[1] == 0
        with pytest.raises(NotFound):
            customers.get(session, theirs.id)
        with pytest.raises(NotFound):
            customers.update(session, theirs.id, name="hijacked", actor="t")
        with pytest.raises(NotFound):
            customers.delete(session, theirs.id, actor="t")
        out = io.StringIO()
        customer_import.export_csv(session, out)
        assert "B 的客户" not in out.getvalue()
    assert everyone(db, b) == {"B 的客户": {"phones": ["13800000001"], "address": "B 地址", "vip": False,
                                          "flags": ["b"], "note": "", "data": {}}}


def test_services_refuse_an_unscoped_session(db: Database) -> None:
    with db.platform() as session, pytest.raises(ValueError, match="tenant-scoped"):
        customers.search(session)
