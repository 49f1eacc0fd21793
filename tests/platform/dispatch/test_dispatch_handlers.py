"""Who dispatch gives the work to (issue 11 items 1-4): unassigned work on the manual list, the parcel's station,
people before branches and SMS only to mobiles, skills and load balancing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.dispatch import run_rules
from hotline.platform.models import Directory, DirectoryEntry, Notification
from hotline.platform.services import directory_admin, manual_dispatch, templates, tickets
from hotline.platform.services.errors import InvalidDocument

Unique = Callable[[str], str]
SHANGHAI = "上海市浦东新区陆家嘴环路1000号"


@pytest.fixture
def express(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("express_delivery"), unique("exp"), None, "test").id


@pytest.fixture
def property_tenant(db: Database, unique: Unique) -> int:
    with db.platform() as session:
        return templates.clone(session, templates.load("property_management"), unique("pm"), None, "test").id


def _create(db: Database, tenant_id: int, form: str, data: dict[str, Any], actor: str = "agent1") -> str:
    """Creates a ticket and runs the ticket.created rules, as the dispatch job does after the commit."""
    with db.tenant(tenant_id) as session:
        number = tickets.create(session, form, data, actor).number
    with db.tenant(tenant_id) as session:
        run_rules(session, "ticket.created", {"ticket": tickets.get(session, number)})
    return number


def _pickup(db: Database, tenant_id: int, address: str) -> str:
    return _create(db, tenant_id, "pickup_order", {"phone": "13801234501", "address": address,
                                                   "pickup_time": "今天18:00前"})


def _sms_to(session: Any, number: str) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.to == number).order_by(Notification.id)))


# -- item 1: unassigned work stays unassigned, on the manual list, and someone is alerted -------------------------

def test_a_pickup_nobody_covers_stays_pending_goes_to_the_manual_list_and_alerts(db: Database, express: int) -> None:
    number = _pickup(db, express, SHANGHAI)
    with db.tenant(express) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "pending"  # 待派单, not 处理中
        assert ticket.first_responded_at is None and ticket.handler_entry_id is None
        assert "courier" not in ticket.data
        [(row, listed)] = manual_dispatch.pending(session)
        assert listed.number == number and "没有覆盖该地址的人员" in row.reason and SHANGHAI in row.reason
        alerts = [session.get(Notification, i) for i in row.alerted]
        assert [(a.channel, a.to) for a in alerts] == [("sms", "13911113333"), ("email", "paidan@suda-express.example")]
        assert alerts[0].body == (f"【速达待派单】取件单{number}（{SHANGHAI}，今天18:00前）没有匹配到负责的快递员，"
                                  "请在“待派单”列表中人工派单。")
        assert [e.action for e in tickets.history(session, number)] == [
            "create", "update", "rule", "manual_dispatch", "rule"]


def test_a_person_dispatches_from_the_manual_list(db: Database, express: int) -> None:
    number = _pickup(db, express, SHANGHAI)
    with db.tenant(express) as session:
        [(row, _ticket)] = manual_dispatch.pending(session)
        courier = session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "郑国栋"))
        manual_dispatch.assign(session, row.id, courier.id, actor="dispatcher1")
    with db.tenant(express) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["courier"], ticket.data["courier_phone"]) == ("郑国栋", "13910000010")
        assert ticket.handler_entry_id == courier.id and manual_dispatch.pending(session) == []
        # The rule's set_status (processing), skipped when it gave up, follows the manual dispatch (QA of
        # issue 11, item 1: the ticket stayed 待派单 after a dispatcher assigned it).
        assert ticket.status == "processing" and ticket.first_responded_at is None
        [sms] = _sms_to(session, "13910000010")
        assert sms.body.startswith("【速达取件】") and number in sms.body
        with pytest.raises(Exception, match="not waiting"):
            manual_dispatch.assign(session, row.id, courier.id, actor="dispatcher1")


def test_a_pickup_where_only_the_branch_lists_the_place_goes_to_the_branchs_courier(
        db: Database, express: int) -> None:
    # QA of issue 11, item 5: 朝阳区国贸 is a keyword of 朝阳国贸网点 alone; its courier 王海涛 serves it.
    number = _pickup(db, express, "北京市朝阳区国贸")
    with db.tenant(express) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["courier"], ticket.status) == ("王海涛", "processing")
        assert manual_dispatch.pending(session) == [] and _sms_to(session, "01065002233") == []
        [sms] = _sms_to(session, "13910000003")
        assert number in sms.body


def test_the_manual_list_is_per_tenant(db: Database, express: int, unique: Unique) -> None:
    _pickup(db, express, SHANGHAI)
    with db.platform() as session:
        other = templates.clone(session, templates.load("express_delivery"), unique("exp"), None, "test").id
    with db.tenant(express) as session:
        [(row, _ticket)] = manual_dispatch.pending(session)
    with db.tenant(other) as session:
        assert manual_dispatch.pending(session) == []
        courier = session.scalar(select(DirectoryEntry.id).limit(1))
        with pytest.raises(Exception, match="not waiting"):
            manual_dispatch.assign(session, row.id, courier, actor="x")


# -- item 2: IVR 催件 goes by the parcel's station, not the caller's address ----------------------------------------

def test_an_urge_goes_to_the_couriers_of_the_waybills_station(db: Database, express: int) -> None:
    # The caller is registered in 望京 (张建国); the parcel waits at the 方庄 station (吴建华).
    number = _create(db, express, "delivery_urge", {
        "waybill": "7730012345606", "phone": "13801234501", "recipient": "李晓燕", "station": "北京丰台方庄网点",
        "current_status": "到达派件网点，北京丰台方庄网点", "urge_reason": "overdue", "source": "ivr"})
    with db.tenant(express) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["courier"], ticket.status) == ("吴建华", "processing")
        [sms] = _sms_to(session, "13910000009")
        assert sms.body == ("【速达催件】运单7730012345606（北京丰台方庄网点）收件人李晓燕（13801234501）催派，"
                            "请尽快派送并联系客户。")
        assert _sms_to(session, "13910000001") == []


def test_the_ivr_urge_ticket_carries_the_waybills_station_not_the_callers_address() -> None:
    node = templates.load("express_delivery").documents[("ivr", "main")]["nodes"]["urge_ticket"]
    assert node["fields"]["station"] == "{{location}}" and "address" not in node["fields"]


# -- item 3: people before branches; SMS only to mobiles -------------------------------------------------------------

def _mixed_directory(db: Database, tenant_id: int) -> None:
    """A directory where the branch's keyword is longer (better scored) than the courier's."""
    with db.tenant(tenant_id) as session:
        directory = directory_admin.create_directory(session, "mixed", "混合", "courier", "test")
        directory_admin.save_entry(session, directory, name="望京网点", phone="01064701122",
                                   areas="北京市朝阳区望京SOHO", kind="branch", actor="test")
        directory_admin.save_entry(session, directory, name="张建国", phone="13910000001", areas="望京SOHO",
                                   actor="test")


def _publish_cover(db: Database, tenant_id: int, **extra: Any) -> None:
    from hotline.platform.services.documents import DocumentService

    with db.tenant(tenant_id) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", "a_mixed", {"rules": [{
            "name": "mixed", "event": "ticket.updated", "forms": ["pickup_order"],
            "actions": [{"type": "assign_by_coverage", "directory": "mixed", "address_field": "address",
                         "name_field": "courier", "phone_field": "courier_phone", "text": "取件{{ticket.number}}",
                         **extra}]}]})
        service.publish("dispatch", "a_mixed")


def test_the_courier_wins_over_a_better_scored_branch_and_a_landline_is_never_texted(
        db: Database, express: int) -> None:
    _mixed_directory(db, express)
    _publish_cover(db, express)
    with db.tenant(express) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": "北京市朝阳区望京SOHO T1",
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    with db.tenant(express) as session:
        [firing] = run_rules(session, "ticket.updated", {"ticket": tickets.get(session, number)})
        assert firing.actions[0]["entry"] == "张建国"
        assert _sms_to(session, "01064701122") == []
        found = directory_admin.lookup(session, "北京市朝阳区望京SOHO T1", directory="mixed")
        assert [(c.match.name, c.kind, c.as_dict()["channels"]) for c in found] == [
            ("张建国", "courier", ["sms", "voice"]), ("望京网点", "branch", ["voice"])]


def test_only_a_branch_covers_then_nobody_is_texted_and_the_ticket_waits(db: Database, express: int) -> None:
    _mixed_directory(db, express)
    with db.tenant(express) as session:
        courier = session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "张建国",
                                                              DirectoryEntry.phone == "13910000001",
                                                              DirectoryEntry.areas == ["望京SOHO"]))
        courier.active = False
    _publish_cover(db, express, kinds=["courier", "branch"])
    with db.tenant(express) as session:
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": "北京市朝阳区望京SOHO T1",
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    with db.tenant(express) as session:
        [firing] = run_rules(session, "ticket.updated", {"ticket": tickets.get(session, number)})
        assert firing.actions[0]["status"] == "unassigned" and "不是手机号码" in firing.warnings[0]
        assert _sms_to(session, "01064701122") == []


def test_an_sms_channel_on_a_landline_is_refused(db: Database, express: int) -> None:
    with db.tenant(express) as session:
        directory = session.scalar(select(Directory).where(Directory.name == "branches"))
        with pytest.raises(InvalidDocument) as refused:
            directory_admin.save_entry(session, directory, name="某网点", phone="01064701122", areas="某地",
                                       channels=["sms", "voice"], actor="test")
        assert refused.value.findings[0].pointer == "/channels"


def test_a_notify_rule_never_texts_a_landline(db: Database, express: int) -> None:
    from hotline.platform.services.documents import DocumentService

    with db.tenant(express) as session:
        service = DocumentService(session, "test")
        service.create("dispatch", "a_land", {"rules": [{"name": "land", "event": "ticket.updated", "actions": [
            {"type": "notify", "channel": "sms", "to": "01064701122", "text": "x"}]}]})
        service.publish("dispatch", "a_land")
        number = tickets.create(session, "pickup_order", {"phone": "13801234501", "address": SHANGHAI,
                                                          "pickup_time": "今天18:00前"}, "agent1").number
    with db.tenant(express) as session:
        [firing] = [f for f in run_rules(session, "ticket.updated", {"ticket": tickets.get(session, number)})
                    if f.rule == "land"]
        assert "not a mobile number" in firing.warnings[0] and _sms_to(session, "01064701122") == []


# -- item 4: skills and load balancing -------------------------------------------------------------------------------

def _repair(db: Database, tenant_id: int, address: str, category: str = "water_electric") -> str:
    return _create(db, tenant_id, "repair_request", {"phone": "13857100001", "address": address,
                                                     "category": category, "urgency": "normal",
                                                     "description": "水龙头漏水"})


def test_a_repair_goes_to_the_technician_with_the_skill(db: Database, property_tenant: int) -> None:
    # 翠湖花园会所 is covered by 王强 (水电, 门窗); give 孙立新 (水电, 公共设施) the same area: a 公共设施
    # repair there must go to 孙立新, whatever the order of the directory.
    with db.tenant(property_tenant) as session:
        sun = session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "孙立新"))
        sun.areas = [*sun.areas, "翠湖花园会所"]
    number = _repair(db, property_tenant, "杭州市西湖区翠湖花园会所", "public_facility")
    with db.tenant(property_tenant) as session:
        ticket = tickets.get(session, number)
        assert (ticket.data["technician"], ticket.status) == ("孙立新", "assigned")
        [sms] = _sms_to(session, "13757100002")
        assert sms.body.startswith("【锦程物业派单】公共设施报修，地址：杭州市西湖区翠湖花园会所")


def test_no_technician_with_the_skill_puts_the_repair_on_the_manual_list(db: Database, property_tenant: int) -> None:
    number = _repair(db, property_tenant, "杭州市西湖区翠湖花园1幢2单元301", "public_facility")  # 王强: 水电, 门窗
    with db.tenant(property_tenant) as session:
        ticket = tickets.get(session, number)
        assert ticket.status == "pending" and "technician" not in ticket.data
        [(row, _t)] = manual_dispatch.pending(session)
        assert "不具备技能“公共设施”" in row.reason
        [alert] = [session.get(Notification, i) for i in row.alerted]
        assert alert.to == "13757109999" and "公共设施报修工单" in alert.body and "public_facility" not in alert.body


def test_the_dispatch_list_offers_the_technicians_with_the_skill_first_and_shows_skills(
        db: Database, property_tenant: int) -> None:
    # QA of issue 11, item 6: the list marked 王强 (covers 翠湖花园1幢, but 水电、门窗) ★ for a 公共设施 repair and
    # showed nobody's skills.
    from hotline.designer.supervision.dispatch_list import _rows

    number = _repair(db, property_tenant, "杭州市西湖区翠湖花园1幢2单元301", "public_facility")
    with db.tenant(property_tenant) as session:
        [row] = [r for r in _rows(session) if r["number"] == number]
    assert row["skill"] == "公共设施"
    choices = row["choices"]
    with_skill = [c["name"] for c in choices if c["has_skill"]]
    assert with_skill and choices[:len(with_skill)] == [c for c in choices if c["has_skill"]]
    assert all("公共设施" in c["skills"] for c in choices[:len(with_skill)])
    wang = next(c for c in choices if c["name"] == "王强")
    assert (wang["in_area"], wang["covers"], wang["skills"]) == (True, False, ["水电", "门窗"])
    assert not [c for c in choices if c["covers"] and not c["has_skill"]]


def test_equal_technicians_share_the_work_fewest_open_tickets_first(db: Database, property_tenant: int) -> None:
    with db.tenant(property_tenant) as session:
        for entry in session.scalars(select(DirectoryEntry).where(DirectoryEntry.name.in_(["王强", "孙立新"]))):
            entry.areas = ["翠湖花园"]  # both cover the whole compound, both have 水电
    handlers = [tickets_get(db, property_tenant, _repair(db, property_tenant, f"翠湖花园{i}幢")) for i in range(1, 5)]
    assert sorted(handlers[:2]) == ["孙立新", "王强"] and sorted(handlers[2:]) == ["孙立新", "王强"]
    # Resolve one of 王强's: he now has fewer open tickets and takes the next one.
    with db.tenant(property_tenant) as session:
        wang = next(t for t in session.scalars(select(tickets.Ticket)) if t.data.get("technician") == "王强")
        wang.resolved_at = wang.created_at
    assert tickets_get(db, property_tenant, _repair(db, property_tenant, "翠湖花园5幢")) == "王强"


def tickets_get(db: Database, tenant_id: int, number: str) -> str:
    with db.tenant(tenant_id) as session:
        return str(tickets.get(session, number).data.get("technician"))


# -- item 7: an urge always reaches someone ------------------------------------------------------------------------

def test_urging_a_ticket_nobody_has_puts_it_on_the_list_and_a_group_ticket_alerts_only(
        db: Database, express: int) -> None:
    from hotline.platform.services import urging

    with db.tenant(express) as session:
        nobody = tickets.create(session, "consultation", _consultation(session), "agent1")
        grouped = tickets.create(session, "consultation", _consultation(session), "agent1")
        tickets.assign(session, grouped.number, group="派件跟进组", base_revision=grouped.revision, actor="x")
        first = urging.urge(session, nobody.number, actor="班长")
        second = urging.urge(session, grouped.number, actor="班长")
        waiting = [t.number for _row, t in manual_dispatch.pending(session)]
        assert nobody.number in waiting and grouped.number not in waiting
        for urge in (first, second):
            [alert] = [session.get(Notification, i) for i in urge.notified]
            assert alert.to == "13911113333"


def _consultation(session: Any) -> dict[str, Any]:
    from hotline.platform.services.documents import DocumentService

    schema = DocumentService(session, "test").published("form", "consultation").body["schema"]
    data: dict[str, Any] = {}
    for name in schema.get("required", []):
        spec = schema["properties"][name]
        options = [o["const"] for o in spec.get("oneOf", [])] or spec.get("enum") or []
        data[name] = options[0] if options else ("13800138000" if "phone" in name else "如何寄往香港")
    return data


def test_the_dispatch_list_stars_only_people_who_cover_the_address_itself(
        db: Database, property_tenant: int) -> None:
    # QA of issue 11, item 8: a ticket at 翠湖花园1幢 starred 孙立新 (covers 5–8幢) and one at 5幢 starred 王强
    # (covers 1–4幢): a fuzzy match of a neighbouring building is no coverage, as in the automatic dispatch.
    from hotline.designer.supervision.dispatch_list import _rows

    first = _repair(db, property_tenant, "杭州市西湖区翠湖花园1幢2单元301", "public_facility")  # 王强 lacks it
    fifth = _repair(db, property_tenant, "杭州市西湖区翠湖花园5幢1单元101", "door_window")  # 孙立新 lacks it
    with db.tenant(property_tenant) as session:
        rows = {r["number"]: {c["name"]: c for c in r["choices"]} for r in _rows(session)}
    assert (rows[first]["孙立新"]["covers"], rows[first]["孙立新"]["in_area"]) == (False, False)
    assert rows[first]["王强"]["in_area"] is True
    assert (rows[fifth]["王强"]["covers"], rows[fifth]["王强"]["in_area"]) == (False, False)
    assert rows[fifth]["孙立新"]["in_area"] is True


def test_a_repair_sms_without_name_or_description_reads_cleanly(db: Database, property_tenant: int) -> None:
    # QA of issue 11, item 9: an empty 问题描述 read "…业主业主 13700000002：，工单…".
    number = _create(db, property_tenant, "repair_request", {"phone": "13857100001", "address": "翠湖花园1幢2单元301",
                                                             "category": "water_electric", "urgency": "normal"})
    with db.tenant(property_tenant) as session:
        [sms] = [n for n in session.scalars(select(Notification)) if number in n.body and "派单】" in n.body]
    assert "：，" not in sms.body and "业主业主" not in sms.body
    assert f"地址：翠湖花园1幢2单元301，业主电话13857100001，工单{number}，" in sms.body
