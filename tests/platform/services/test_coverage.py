"""Coverage lookup: a free-text address finds the courier (or branch) whose areas cover it, best first."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import insert

from hotline.platform.db import Database
from hotline.platform.models import Directory, DirectoryEntry
from hotline.platform.services import coverage, templates
from hotline.platform.services.errors import NotFound

TEMPLATE = templates.load("express_delivery")
COURIERS: list[dict[str, Any]] = next(d for d in TEMPLATE.manifest["directories"] if d["name"] == "couriers")["entries"]


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return templates.clone(session, TEMPLATE, "coverage", None, "test").id


def _add_directory(db: Database, tenant_id: int, name: str, entries: list[dict[str, Any]]) -> None:
    with db.tenant(tenant_id) as session:
        directory = Directory(name=name, label=name, kind="courier")
        directory.entries = [DirectoryEntry(name=e["name"], phone=e.get("phone", "13900000000"),
                                            branch=e.get("branch", ""), areas=e["areas"],
                                            active=e.get("active", True)) for e in entries]
        session.add(directory)


def _covering_courier(address: str) -> str:
    """The template courier with an area keyword inside the address (the template guarantees one)."""
    names = [c["name"] for c in COURIERS if any(area in address for area in c["areas"])]
    assert len(names) == 1, (address, names)
    return names[0]


@pytest.mark.parametrize("customer", TEMPLATE.manifest["customers"], ids=lambda c: c["name"])
def test_every_template_customer_address_finds_its_courier_first(db: Database, tenant_id: int,
                                                                  customer: dict[str, Any]) -> None:
    with db.tenant(tenant_id) as session:
        matches = coverage.find_covering(session, "couriers", customer["address"])
    expected = _covering_courier(customer["address"])
    assert matches and matches[0].name == expected
    courier = next(c for c in COURIERS if c["name"] == expected)
    assert matches[0].phone == courier["phone"] and matches[0].branch == courier["branch"]
    assert matches[0].area in courier["areas"] and matches[0].area in customer["address"]
    assert all(m.score < matches[0].score for m in matches[1:])


def test_full_template_address_and_the_branch_directory(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        couriers = coverage.find_covering(session, "couriers", "北京市朝阳区阜通东大街6号")
        branches = coverage.find_covering(session, "branches", "北京市朝阳区望京SOHO T1 1201")
    assert [(m.name, m.area) for m in couriers] == [("张建国", "阜通东大街")]
    assert branches[0].name == "朝阳望京网点" and branches[0].area == "朝阳区望京"


@pytest.mark.parametrize("typed", ["望京SOHO", "望京soho", "望京ＳＯＨＯ　Ｔ１", " 望京 SOHO， T1 "])
def test_a_partial_address_finds_the_wangjing_courier(db: Database, tenant_id: int, typed: str) -> None:
    with db.tenant(tenant_id) as session:
        matches = coverage.find_covering(session, "couriers", typed)
    assert matches[0].name == "张建国" and matches[0].area == "望京SOHO"
    assert matches[0].score > 0.9


@pytest.mark.parametrize(("typed", "courier", "area"), [
    ("阜通东大道", "张建国", "阜通东大街"),  # last character wrong
    ("中关材大街", "刘明", "中关村大街"),  # inner character wrong
    ("朝阳区阜通大街6号", "张建国", "阜通东大街"),  # inner character missing
    ("方庄芳群苑3号楼", "吴建华", "方庄芳群园"),
    ("东直门外外大街", "杨磊", "东直门外大街"),  # one character too many
])
def test_a_typo_still_ranks_the_right_courier_first(db: Database, tenant_id: int, typed: str, courier: str,
                                                     area: str) -> None:
    with db.tenant(tenant_id) as session:
        matches = coverage.find_covering(session, "couriers", typed)
    assert (matches[0].name, matches[0].area) == (courier, area)
    assert matches[0].score < 0.8  # weaker than any exact match


def test_a_typed_fragment_of_a_keyword_matches_and_longer_exact_keywords_win(db: Database, tenant_id: int) -> None:
    with db.tenant(tenant_id) as session:
        fragment = coverage.find_covering(session, "couriers", "三里屯太")
        both = coverage.find_covering(session, "couriers", "望京")
    assert [(m.name, m.area) for m in fragment] == [("赵永刚", "三里屯太古里")]
    assert {m.name for m in both} == {"张建国", "李卫东"}  # 望京SOHO/望京西园 and 望京花园/望京新城
    _add_directory(db, tenant_id, "nested", [{"name": "short", "areas": ["望京"]},
                                             {"name": "long", "areas": ["朝阳区望京"]}])
    with db.tenant(tenant_id) as session:
        nested = coverage.find_covering(session, "nested", "北京市朝阳区望京街10号")
    assert [m.name for m in nested] == ["long", "short"]
    assert nested[0].score > nested[1].score


@pytest.mark.parametrize("address", ["上海市浦东新区川沙路88号", "北京市朝阳区某某路1号", "广州市白云区"])
def test_an_address_in_no_area_finds_nobody(db: Database, tenant_id: int, address: str) -> None:
    with db.tenant(tenant_id) as session:
        assert coverage.find_covering(session, "couriers", address) == []


def test_inactive_entries_are_never_returned(db: Database, tenant_id: int) -> None:
    _add_directory(db, tenant_id, "with_inactive", [
        {"name": "gone", "areas": ["望京SOHO"], "active": False},
        {"name": "nearby", "areas": ["望京"]},
    ])
    with db.tenant(tenant_id) as session:
        matches = coverage.find_covering(session, "with_inactive", "望京SOHO T2")
    assert [m.name for m in matches] == ["nearby"]


def test_an_unknown_directory_is_not_found(db: Database, tenant_id: int) -> None:
    with pytest.raises(NotFound, match="directory 'technicians' not found"), db.tenant(tenant_id) as session:
        coverage.find_covering(session, "technicians", "望京SOHO")


@pytest.mark.parametrize("address", ["", "   ", "\u3000\t", "，。！"])
def test_an_empty_address_is_refused(db: Database, tenant_id: int, address: str) -> None:
    with pytest.raises(ValueError, match="address is empty"), db.tenant(tenant_id) as session:
        coverage.find_covering(session, "couriers", address)


def test_an_unscoped_session_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="tenant-scoped"), db.platform() as session:
        coverage.find_covering(session, "couriers", "望京SOHO")


def test_another_tenants_directory_of_the_same_name_is_not_used(db: Database, tenant_id: int,
                                                                unique: Callable[[str], str]) -> None:
    with db.platform() as session:
        other_id = templates.clone(session, TEMPLATE, unique("cov"), None, "test").id
    # Created in the other tenant first, so an unscoped lookup would find it first.
    name = unique("zone")
    _add_directory(db, other_id, name, [{"name": "other tenant", "areas": ["望京SOHO"]}])
    with pytest.raises(NotFound), db.tenant(tenant_id) as session:
        coverage.find_covering(session, name, "望京SOHO")
    _add_directory(db, tenant_id, name, [{"name": "ours", "areas": ["国贸三期"]}])
    with db.tenant(tenant_id) as session:
        assert coverage.find_covering(session, name, "望京SOHO") == []
        assert [m.name for m in coverage.find_covering(session, name, "国贸三期B座")] == ["ours"]
    with db.tenant(other_id) as session:
        assert [m.name for m in coverage.find_covering(session, name, "望京SOHO")] == ["other tenant"]


CHARS = "东西南北中大小新华安平和兴盛福康宁泰丰广明光金银山水林园湖河桥门街路巷里坊村庄城苑府院楼阁塘湾"


def test_a_directory_of_five_thousand_entries_answers_correctly(db: Database, tenant_id: int,
                                                                unique: Callable[[str], str]) -> None:
    rng = random.Random(20240607)
    areas_seen: set[str] = set()

    def keyword() -> str:
        while True:
            word = "".join(rng.choice(CHARS) for _ in range(rng.randint(4, 6)))
            if word not in areas_seen:
                areas_seen.add(word)
                return word

    name = unique("big")
    with db.tenant(tenant_id) as session:
        directory = Directory(name=name, label=name, kind="courier")
        session.add(directory)
        session.flush()
        rows = [{"tenant_id": tenant_id, "directory_id": directory.id, "name": f"courier {i}",
                 "phone": f"139{i:08d}", "branch": f"branch {i % 50}", "areas": [keyword() for _ in range(10)],
                 "data": {}, "active": True} for i in range(5000)]
        session.execute(insert(DirectoryEntry), rows)
    target = rows[3777]
    area = target["areas"][4]
    address = f"北京市{area}88号3单元"
    with db.tenant(tenant_id) as session:
        matches = coverage.find_covering(session, name, address)
        typo = coverage.find_covering(session, name, area[:2] + "哈" + area[3:])  # an inner character wrong
    assert (matches[0].name, matches[0].area) == ("courier 3777", area)
    assert all(m.score < matches[0].score or len(m.area) < len(area) for m in matches[1:])
    assert any(m.name == "courier 3777" and m.area == area for m in typo)


def test_normalize_folds_widths_case_spaces_and_punctuation() -> None:
    assert coverage.normalize("望京ＳＯＨＯ　Ｔ１，１２０１室。") == "望京sohot11201室"
    assert coverage.bigrams("望京soho") == frozenset({"望京", "京s"})
