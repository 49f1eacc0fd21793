"""Directory management and coverage lookup across every directory of a tenant."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from hotline.platform.services import directory_admin
from hotline.platform.services.errors import Duplicate, InvalidDocument, NotFound
from tests.platform import factories


@pytest.fixture(scope="module")
def tenants(db: Database) -> dict[str, int]:
    with db.platform() as session:
        a, b = factories.tenant(session, "dir").id, factories.tenant(session, "dir").id
    with db.tenant(a) as session:
        couriers = directory_admin.create_directory(session, "couriers", "快递员", "courier", "t")
        branches = directory_admin.create_directory(session, "branches", "网点", "branch", "t")
        directory_admin.save_entry(session, couriers, name="张建国", phone="139-1000-0001",
                                   areas="望京SOHO\n阜通东大街；望京西园", actor="t")
        directory_admin.save_entry(session, couriers, name="停用", phone="13910000009", areas=["望京SOHO"],
                                   active=False, actor="t")
        directory_admin.save_entry(session, branches, name="望京网点", phone="01064700000", areas="望京SOHO",
                                   actor="t")
    with db.tenant(b) as session:
        other = directory_admin.create_directory(session, "couriers", "快递员", "courier", "t")
        directory_admin.save_entry(session, other, name="乙的快递员", phone="13800000000", areas="望京SOHO", actor="t")
    return {"a": a, "b": b}


def test_a_courier_is_ranked_before_a_branch_with_the_same_evidence(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session:
        found = directory_admin.lookup(session, "北京市朝阳区望京SOHO T2 1501")
    assert [(c.match.name, c.kind) for c in found] == [("张建国", "courier"), ("望京网点", "branch")]
    assert found[0].as_dict()["phone"] == "13910000001" and found[0].as_dict()["area"] == "望京SOHO"


def test_lookup_can_be_limited_to_a_directory_or_a_kind(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session:
        assert [c.match.name for c in directory_admin.lookup(session, "望京SOHO", kind="branch")] == ["望京网点"]
        assert [c.match.name for c in directory_admin.lookup(session, "望京SOHO", directory="couriers")] == ["张建国"]
        with pytest.raises(NotFound):
            directory_admin.lookup(session, "望京SOHO", directory="nope")
        with pytest.raises(ValueError, match="address"):
            directory_admin.lookup(session, " ，")


def test_inactive_entries_and_other_tenants_are_not_offered(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session:
        names = [c.match.name for c in directory_admin.lookup(session, "望京SOHO")]
    assert "停用" not in names and "乙的快递员" not in names


def test_an_entry_with_bad_fields_is_refused_naming_each(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session:
        couriers = directory_admin.get_directory(session, "couriers")
        with pytest.raises(InvalidDocument) as refused:
            directory_admin.save_entry(session, couriers, name="", phone="abc", areas=" ", actor="t")
    assert {f.pointer for f in refused.value.findings} == {"/name", "/phone", "/areas"}


def test_directory_names_are_identifiers_unique_per_tenant(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session:
        with pytest.raises(Duplicate):
            directory_admin.create_directory(session, "couriers", "again", "courier", "t")
        with pytest.raises(InvalidDocument):
            directory_admin.create_directory(session, "技术员", "", "plumber", "t")


def test_areas_typed_as_text_are_split_and_deduplicated() -> None:
    typed = "望京SOHO，阜通东大街\n望京SOHO、 花家地街;"
    assert directory_admin.parse_areas(typed) == ["望京SOHO", "阜通东大街", "花家地街"]
