"""Administration → Agent extensions: a tenant admin gives a supervisor (or any member) an extension for the
live tools (QA of issue 15, item 1); other tenants' users are not offered nor settable; a taken number is
refused without naming its holder."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, Role, User
from hotline.platform.services import ticket_desk

from .conftest import World, make_user
from .test_admin import SignIn
from .test_pages import form_login, token_of


@pytest.fixture
def admin_as(app: Flask) -> SignIn:
    def sign_in(username: str, tenant: str) -> FlaskClient:
        client = app.test_client()
        assert form_login(client, username).status_code == 302
        page = client.get("/tenant")
        assert client.post("/tenant", data={"tenant": tenant, "csrf_token": token_of(page)}).status_code == 302
        return client

    return sign_in


def _user_id(db: Database, username: str) -> int:
    with db.platform() as session:
        return session.scalar(select(User.id).where(User.username == username))


def _extension(db: Database, user_id: int) -> str | None:
    with db.platform() as session:
        return session.scalar(select(AgentExtension.extension).where(AgentExtension.user_id == user_id))


def test_a_tenant_admin_gives_a_supervisor_an_extension(db: Database, world: World, admin_as: SignIn) -> None:
    supervisor = make_user(db, {world.tenant_a: [Role.SUPERVISOR, Role.QA]})
    sid = _user_id(db, supervisor)
    client = admin_as(world.admin_a, world.tenant_a)
    page = client.get("/admin/agent_extension/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert supervisor in text
    number = f"9{uuid.uuid4().int % 10**7:07d}"
    saved = client.post("/admin/agent_extension/", data={"user_id": sid, "extension": number,
                                                         "csrf_token": token_of(page)})
    assert saved.status_code == 302
    assert _extension(db, sid) == number
    assert number in client.get("/admin/agent_extension/").get_data(as_text=True)


def test_extensions_stay_in_the_tenant_and_a_taken_one_names_no_holder(db: Database, world: World,
                                                                        admin_as: SignIn) -> None:
    outsider = make_user(db, {world.tenant_b: [Role.AGENT]})
    oid = _user_id(db, outsider)
    member = make_user(db, {world.tenant_a: [Role.QA]})
    mid = _user_id(db, member)
    taken = f"8{uuid.uuid4().int % 10**7:07d}"
    with db.platform() as session:
        ticket_desk.set_extension(session, oid, taken)
    client = admin_as(world.admin_a, world.tenant_a)
    page = client.get("/admin/agent_extension/")
    assert outsider not in page.get_data(as_text=True)
    token = token_of(page)
    refused = client.post("/admin/agent_extension/", data={"user_id": oid, "extension": "7777777",
                                                           "csrf_token": token})
    assert refused.status_code == 422 and _extension(db, oid) == taken
    clash = client.post("/admin/agent_extension/", data={"user_id": mid, "extension": taken, "csrf_token": token})
    assert clash.status_code == 422
    body = clash.get_data(as_text=True)
    said = body.split("extension-error")[1][:80].replace(taken, "")  # the random number may hold the id's digits
    assert "已被占用" in body and outsider not in body and str(oid) not in said
    assert _extension(db, mid) is None
    # Not a tenant admin: refused.
    assert admin_as(world.supervisor_a, world.tenant_a).get("/admin/agent_extension/").status_code == 403


def test_a_shared_agents_extension_is_changed_by_the_platform_operator_only(db: Database, world: World,
                                                                            admin_as: SignIn) -> None:
    shared = make_user(db, {world.tenant_a: [Role.AGENT], world.tenant_b: [Role.AGENT]})
    sid = _user_id(db, shared)
    first = f"6{uuid.uuid4().int % 10**7:07d}"
    with db.platform() as session:
        ticket_desk.set_extension(session, sid, first)
    client = admin_as(world.admin_a, world.tenant_a)
    page = client.get("/admin/agent_extension/")
    refused = client.post("/admin/agent_extension/", data={"user_id": sid, "extension": "5550001",
                                                           "csrf_token": token_of(page)})
    assert refused.status_code == 422 and _extension(db, sid) == first
    assert "该座席同时服务多个租户，只有平台运营方可以修改其分机。" in refused.get_data(as_text=True)
    english = client.post("/admin/agent_extension/?lang=en", data={"user_id": sid, "extension": "5550001",
                                                                   "csrf_token": token_of(page)})
    assert english.status_code == 422 and "only the platform operator may change" in english.get_data(as_text=True)
    # the other tenant's admin is refused alike
    admin_b = make_user(db, {world.tenant_b: [Role.TENANT_ADMIN]})
    other = admin_as(admin_b, world.tenant_b)
    page_b = other.get("/admin/agent_extension/")
    assert other.post("/admin/agent_extension/", data={"user_id": sid, "extension": "5550002",
                                                       "csrf_token": token_of(page_b)}).status_code == 422
    assert _extension(db, sid) == first
    operator = admin_as(world.operator, world.tenant_a)
    page = operator.get("/admin/agent_extension/")
    number = f"4{uuid.uuid4().int % 10**7:07d}"
    saved = operator.post("/admin/agent_extension/", data={"user_id": sid, "extension": number,
                                                           "csrf_token": token_of(page)})
    assert saved.status_code == 302 and _extension(db, sid) == number
