"""Who may do what: sign-in over the API, roles, CSRF on every write, and tenant isolation by URL tampering."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from hotline.platform.db import Database
from hotline.platform.models import User
from hotline.platform.services import templates, users

from .conftest import PASSWORD, Api, World

FORM = templates.load("express_delivery").documents[("form", "consultation")]


def own_document(client: Api) -> str:
    name = f"d{uuid.uuid4().hex[:8]}"
    assert client.post("/api/documents", {"kind": "form", "name": name, "body": FORM}).status_code == 201
    return name


def test_signed_out_requests_get_401_in_json(api: Api) -> None:
    response = api.get("/api/documents")
    assert response.status_code == 401 and response.get_json()["error"]
    assert api.get("/api/session").get_json()["authenticated"] is False


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(api: Api, world: World) -> None:
    wrong = api.login(world.analyst_a, password="not the password")
    unknown = api.login(f"ghost{uuid.uuid4().hex[:6]}")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert api.get("/api/session").get_json()["authenticated"] is False


def test_a_user_with_one_tenant_works_in_it_right_after_sign_in(api: Api, world: World) -> None:
    state = api.login(world.analyst_a).get_json()
    assert state["user"]["tenant"] == {"slug": world.tenant_a, "title": state["user"]["tenant"]["title"],
                                       "roles": ["analyst"]}
    assert api.get("/api/documents").status_code == 200


def test_a_user_of_several_tenants_chooses_one_and_may_switch(api: Api, world: World) -> None:
    state = api.login(world.both).get_json()
    assert state["user"]["tenant"] is None
    assert {t["slug"] for t in state["user"]["tenants"]} == {world.tenant_a, world.tenant_b}
    refused = api.get("/api/documents")
    assert refused.status_code == 403 and "choose a tenant" in refused.get_json()["error"]
    assert api.put("/api/session/tenant", {"tenant": world.tenant_b}).get_json()["user"]["tenant"]["roles"] == ["agent"]
    # An agent in B: reads, does not write; an analyst in A: writes.
    assert api.get("/api/documents").status_code == 200
    assert api.post("/api/documents", {"kind": "form", "name": "x_b", "body": FORM}).status_code == 403
    api.put("/api/session/tenant", {"tenant": world.tenant_a})
    own_document(api)


def test_switching_to_a_tenant_without_a_role_looks_like_it_does_not_exist(api: Api, world: World) -> None:
    api.login(world.analyst_a)
    foreign = api.put("/api/session/tenant", {"tenant": world.tenant_b})
    missing = api.put("/api/session/tenant", {"tenant": "no-such-tenant"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    assert api.login(world.analyst_a, tenant=world.tenant_b).status_code == 404
    assert api.get("/api/session").get_json()["user"]["tenant"]["slug"] == world.tenant_a


def test_the_platform_operator_may_work_in_any_tenant(api_as: Callable[..., Api], world: World) -> None:
    operator = api_as(world.operator, world.tenant_b)
    own_document(operator)
    operator.put("/api/session/tenant", {"tenant": world.tenant_a})
    assert operator.get("/api/documents/ivr/main").status_code == 200


@pytest.mark.parametrize("role_user", ["agent_a", "supervisor_a"])
def test_readers_read_but_cannot_write(api_as: Callable[..., Api], world: World, role_user: str) -> None:
    analyst = api_as(world.analyst_a)
    name = own_document(analyst)
    reader = api_as(getattr(world, role_user))
    assert reader.get(f"/api/documents/form/{name}").status_code == 200
    assert reader.get(f"/api/documents/form/{name}/versions").status_code == 200
    assert reader.post(f"/api/documents/form/{name}/validate").status_code == 200
    writes = [
        reader.post("/api/documents", {"kind": "form", "name": f"{name}x", "body": FORM}),
        reader.put(f"/api/documents/form/{name}/draft", {"body": {}, "base_revision": 1}),
        reader.post(f"/api/documents/form/{name}/publish", {"note": "agent publishes"}),
        reader.post(f"/api/documents/form/{name}/rollback", {"version": 1}),
    ]
    assert [w.status_code for w in writes] == [403] * 4
    doc = analyst.get(f"/api/documents/form/{name}").get_json()
    assert (doc["draft"], doc["draft_revision"], doc["published_version"]) == (FORM, 1, None)


def test_a_signed_in_user_without_any_role_cannot_read(api_as: Callable[..., Api], world: World) -> None:
    nobody = api_as(world.nobody)
    assert nobody.get("/api/documents").status_code == 403
    assert nobody.put("/api/session/tenant", {"tenant": world.tenant_a}).status_code == 404


def test_writes_without_the_csrf_token_are_refused_and_change_nothing(api_as: Callable[..., Api],
                                                                      world: World) -> None:
    analyst = api_as(world.analyst_a)
    name = own_document(analyst)
    attempts = [
        analyst.post("/api/documents", {"kind": "form", "name": f"{name}x", "body": FORM}, csrf=False),
        analyst.put(f"/api/documents/form/{name}/draft", {"body": {}, "base_revision": 1}, csrf=False),
        analyst.post(f"/api/documents/form/{name}/publish", {}, csrf=False),
        analyst.client.put(f"/api/documents/form/{name}/draft", json={"body": {}, "base_revision": 1},
                           headers={"X-CSRFToken": "forged"}),
    ]
    for response in attempts:
        assert response.status_code == 400
        assert "CSRF" in response.get_json()["error"]
    doc = analyst.get(f"/api/documents/form/{name}").get_json()
    assert (doc["draft"], doc["draft_revision"], doc["published_version"]) == (FORM, 1, None)
    assert analyst.get(f"/api/documents/form/{name}x").status_code == 404


def test_a_token_from_another_session_is_refused(api_as: Callable[..., Api], world: World) -> None:
    analyst, other = api_as(world.analyst_a), api_as(world.admin_a)
    name = own_document(analyst)
    response = analyst.client.put(f"/api/documents/form/{name}/draft", json={"body": {}, "base_revision": 1},
                                  headers={"X-CSRFToken": other.token or ""})
    assert response.status_code == 400


def test_another_tenants_document_is_not_found_by_any_url(api_as: Callable[..., Api], world: World) -> None:
    owner = api_as(world.analyst_b)
    name = own_document(owner)
    intruder = api_as(world.analyst_a)
    base = f"/api/documents/form/{name}"
    answers = [
        intruder.get(base),
        intruder.get(base + "/versions"),
        intruder.get(base + "/versions/1"),
        intruder.get(base + "/diff?old=1"),
        intruder.post(base + "/validate"),
        intruder.put(base + "/draft", {"body": {"title": "pwned"}, "base_revision": 1}),
        intruder.post(base + "/publish", {"note": "pwned"}),
        intruder.post(base + "/rollback", {"version": 1}),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert name not in {d["name"] for d in intruder.get("/api/documents").get_json()["documents"]}
    doc = owner.get(base).get_json()
    assert (doc["draft"], doc["draft_revision"], doc["published_version"]) == (FORM, 1, None)


def test_a_disabled_user_is_signed_out_at_the_next_request(api_as: Callable[..., Api], db: Database,
                                                           world: World) -> None:
    with db.platform() as session:
        username = f"u{uuid.uuid4().hex[:8]}"
        user = users.create_user(session, username, PASSWORD, "test", platform_operator=True)
    client = api_as(username, world.tenant_a)
    with db.platform() as session:
        session.get(User, user.id).active = False
    assert client.get("/api/documents").status_code == 401
    assert client.login(username).status_code == 401


def test_sign_out_ends_the_session(api_as: Callable[..., Api], world: World) -> None:
    analyst = api_as(world.analyst_a)
    assert analyst.write("delete", "/api/session").status_code == 204
    assert analyst.get("/api/documents").status_code == 401
