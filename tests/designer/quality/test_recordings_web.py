"""Listening to recordings: HTTP Range (206 and Content-Range), roles, audit of each listen, another tenant's
call is a 404, a recording the switch never wrote shows as missing, the recording policy form."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import CallRecord, Queue, RecordingPolicy, Role

from ..conftest import World, make_user
from .helpers import add_call, listens, quality_app, tenant_id, user_id, write_wav


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "recordings"


@pytest.fixture
def app(db: Database, root: Path) -> Flask:
    return quality_app(db, root)


def test_range_requests_seek_in_the_recording_and_each_playback_is_audited(db: Database, world: World, root: Path,
                                                                          api_as) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, root)
    data = (root / call.recording).read_bytes()
    qa = api_as(world.supervisor_a, world.tenant_a)
    url = f"/quality/calls/{call.uuid}/recording"

    whole = qa.client.get(url)
    assert whole.status_code == 200 and whole.data == data
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.mimetype == "audio/wav"
    first = qa.client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and first.data == data[:100]
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(data)}"
    seek = qa.client.get(url, headers={"Range": "bytes=1000-"})
    assert seek.status_code == 206 and seek.data == data[1000:]
    assert seek.headers["Content-Range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    beyond = qa.client.get(url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert beyond.status_code == 416
    # the whole file and the start of playback are listens; a seek is not another one
    assert listens(db, tenant, call.uuid) == [world.supervisor_a, world.supervisor_a]


def test_only_listening_roles_and_the_calls_own_agent_may_listen(db: Database, world: World, root: Path,
                                                                  api_as) -> None:
    tenant = tenant_id(db, world.tenant_a)
    agent = user_id(db, world.agent_a)
    own = add_call(db, tenant, root, agent_id=agent)
    other = add_call(db, tenant, root, agent_id=user_id(db, world.admin_a))
    as_agent = api_as(world.agent_a, world.tenant_a)
    assert as_agent.client.get(f"/quality/calls/{own.uuid}/recording").status_code == 200
    assert as_agent.client.get(f"/quality/calls/{other.uuid}/recording").status_code == 404
    analyst = api_as(world.analyst_a, world.tenant_a)
    assert analyst.client.get(f"/quality/calls/{own.uuid}/recording").status_code == 403
    assert listens(db, tenant, own.uuid) == [world.agent_a]


def test_a_recording_of_another_tenant_is_not_found(db: Database, world: World, root: Path, api_as) -> None:
    call = add_call(db, tenant_id(db, world.tenant_a), root)
    qa_b = api_as(make_user(db, {world.tenant_b: [Role.QA, Role.TENANT_ADMIN]}), world.tenant_b)
    for url in (f"/quality/calls/{call.uuid}/recording", f"/quality/calls/{call.uuid}"):
        assert qa_b.client.get(url).status_code == 404, url
        assert qa_b.client.get(url, headers={"Range": "bytes=0-10"}).status_code == 404, url


def test_a_recording_the_switch_did_not_write_shows_as_missing_not_as_a_player(db: Database, world: World,
                                                                                root: Path, api_as) -> None:
    tenant = tenant_id(db, world.tenant_a)
    lost = add_call(db, tenant, root, file=False)
    unrecorded = add_call(db, tenant, None)
    qa = api_as(world.supervisor_a, world.tenant_a)
    response = qa.client.get(f"/quality/calls/{lost.uuid}/recording")
    assert response.status_code == 404
    page = qa.client.get(f"/quality/calls/{lost.uuid}").get_data(as_text=True)
    assert 'data-testid="recording-missing"' in page and "<audio" not in page
    page = qa.client.get(f"/quality/calls/{unrecorded.uuid}").get_data(as_text=True)
    assert 'data-testid="recording-none"' in page and "<audio" not in page


def test_a_path_outside_the_recordings_root_is_never_served(db: Database, world: World, root: Path,
                                                            api_as, tmp_path: Path) -> None:
    tenant = tenant_id(db, world.tenant_a)
    write_wav(tmp_path / "secret.wav")
    call = add_call(db, tenant, root, file=False)
    with db.tenant(tenant) as session:
        session.query(CallRecord).filter_by(uuid=call.uuid).update({"recording": "../secret.wav"})
    qa = api_as(world.supervisor_a, world.tenant_a)
    assert qa.client.get(f"/quality/calls/{call.uuid}/recording").status_code == 404


def test_the_tenant_admin_sets_the_policy_and_bad_values_are_refused(db: Database, world: World, api_as) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    token = admin.refresh_token()
    ok = admin.client.post("/quality/policy", data={"csrf_token": token, "queue": "", "mode": "percent",
                                                    "percent": "30", "retention_days": "90"})
    assert ok.status_code == 302
    bad = admin.client.post("/quality/policy", data={"csrf_token": token, "queue": "", "mode": "percent",
                                                     "percent": "130"})
    assert bad.status_code == 422 and "比例（%）：130 不在 0 到 100 之间" in bad.get_data(as_text=True)
    english = admin.client.post("/quality/policy?lang=en", data={"csrf_token": token, "queue": "", "mode": "x",
                                                                 "percent": "abc"})
    assert english.status_code == 422 and "Percent: &#39;abc&#39; is not a whole number" in english.get_data(
        as_text=True)
    days = admin.client.post("/quality/policy?lang=zh_CN", data={"csrf_token": token, "queue": "", "mode": "all",
                                                      "percent": "100", "retention_days": "0"})
    assert "0 不在 1 到 3650 之间" in days.get_data(as_text=True)  # QA 15 round 4 #4: English on a Chinese page
    with db.tenant(tenant_id(db, world.tenant_a)) as session:
        row = session.scalar(select(RecordingPolicy).where(RecordingPolicy.queue == ""))
        assert (row.mode, row.percent, row.retention_days) == ("percent", 30, 90)
    qa = api_as(world.supervisor_a, world.tenant_a)
    assert qa.client.get("/quality/policy").status_code == 403


def test_a_queue_override_names_an_existing_queue_shows_its_label_and_can_be_removed(db: Database, world: World,
                                                                                     api_as) -> None:
    """QA of issue 15, items 9 and 8: queue=nosuch was saved, overrides could not be removed, and the page showed
    the queue's code and (in English) the modes' codes."""
    tenant = tenant_id(db, world.tenant_a)
    with db.tenant(tenant) as session:
        queue = session.scalars(select(Queue).order_by(Queue.name)).first()
        name, label = queue.name, queue.label
    assert name != label
    admin = api_as(world.admin_a, world.tenant_a)
    token = admin.refresh_token()
    bad = admin.client.post("/quality/policy", data={"csrf_token": token, "queue": "nosuch", "mode": "all",
                                                     "percent": "100"})
    assert bad.status_code == 422 and "队列：本租户没有名为 &#39;nosuch&#39; 的队列" in bad.get_data(as_text=True)
    ok = admin.client.post("/quality/policy", data={"csrf_token": token, "queue": name, "mode": "percent",
                                                    "percent": "50"})
    assert ok.status_code == 302
    page = admin.client.get("/quality/policy").get_data(as_text=True)
    table = page.split('data-testid="overrides"')[1].split("</table>")[0]
    assert f"<td>{label}</td>" in table and f"<td>{name}</td>" not in table and "按比例抽录" in table
    english = admin.client.get("/quality/policy?lang=en").get_data(as_text=True)
    assert "Record a percentage" in english and ">percent<" not in english and ">never<" not in english
    admin.client.get("/quality/policy?lang=zh_CN")
    removed = admin.client.post("/quality/policy/remove", data={"csrf_token": token, "queue": name})
    assert removed.status_code == 302
    with db.tenant(tenant) as session:
        assert session.scalars(select(RecordingPolicy.queue).where(RecordingPolicy.queue != "")).all() == []
        assert session.scalars(select(RecordingPolicy.queue).where(RecordingPolicy.queue == "nosuch")).all() == []
    again = admin.client.post("/quality/policy/remove", data={"csrf_token": token, "queue": name})
    assert again.status_code == 422


def test_the_quality_audit_log_shows_listens_by_label_filtered_and_within_the_tenant(db: Database, world: World,
                                                                                    api_as) -> None:
    """QA of issue 15, item 6: recording.listen entries were written but no page showed them."""
    from hotline.platform.services import audit

    tenant, other = tenant_id(db, world.tenant_a), tenant_id(db, world.tenant_b)
    listener = make_user(db, {world.tenant_a: [Role.QA]})
    with db.tenant(tenant) as session:
        audit.record(session, listener, "recording.listen", "call", "call-heard-a", {}, tenant_id=tenant)
        audit.record(session, listener, "live.barge", "call", "call-barged-a", {}, tenant_id=tenant)
    with db.tenant(other) as session:
        audit.record(session, listener, "recording.listen", "call", "call-heard-b", {}, tenant_id=other)
        audit.record(session, listener, "recording.policy", "recording_policy", "*", {}, tenant_id=tenant)
        audit.record(session, listener, "recording.policy", "recording_policy", "general", {}, tenant_id=tenant)
    admin = api_as(world.admin_a, world.tenant_a)
    page = admin.client.get("/quality/audit").get_data(as_text=True)
    table = page.split('data-testid="audit"')[1]
    # a policy change names the tenant's default or the queue by label, not "*" or the queue's name
    assert "租户默认" in table and ">*<" not in table and ">general<" not in table
    assert "call-heard-a" in table and "call-barged-a" in table and "call-heard-b" not in table
    assert "收听录音" in table and "强插" in table and "recording.listen" not in table
    only = admin.client.get(f"/quality/audit?action=recording.listen&actor={listener}").get_data(as_text=True)
    assert "call-heard-a" in only and "call-barged-a" not in only
    assert admin.client.get("/quality/audit?action=nope").status_code == 400
    english = admin.client.get("/quality/audit?lang=en").get_data(as_text=True)
    assert "Recording listened to" in english
    qa = api_as(world.supervisor_a, world.tenant_a)
    assert qa.client.get("/quality/audit").status_code == 403
