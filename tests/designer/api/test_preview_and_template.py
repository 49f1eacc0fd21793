"""Form preview (the agent's own renderer) and a document against its industry template."""

from __future__ import annotations

import copy

from ..conftest import Api, World


def test_the_preview_is_the_agents_form_of_the_unsaved_draft(api_as, world: World) -> None:
    api: Api = api_as(world.analyst_a, world.tenant_a)
    doc = api.get("/api/documents/form/pickup_order").get_json()
    draft = copy.deepcopy(doc["draft"])
    draft["schema"]["properties"]["floor"] = {"type": "string", "title": "楼层", "maxLength": 10}
    draft["ui"]["order"].append("floor")
    response = api.post("/api/documents/form/pickup_order/preview", {"draft": draft})
    assert response.status_code == 200
    body = response.get_json()
    assert 'data-field="floor"' in body["html"] and "楼层" in body["html"]
    assert 'data-field="pickup_time"' in body["html"]
    assert body["findings"] == [] and body["valid"] is True
    # Nothing was saved: the stored draft previews without the new field.
    stored = api.post("/api/documents/form/pickup_order/preview").get_json()
    assert 'data-field="floor"' not in stored["html"]


def test_a_broken_draft_previews_with_its_findings(api_as, world: World) -> None:
    api = api_as(world.analyst_a, world.tenant_a)
    broken = {"title": "x", "schema": {"type": "object", "properties": {"a": {"type": "nonsense"}}}}
    body = api.post("/api/documents/form/pickup_order/preview", {"draft": broken}).get_json()
    assert body["valid"] is False
    assert any(f["pointer"].startswith("/schema") for f in body["findings"])
    assert isinstance(body["html"], str)


def test_preview_access_and_bad_input(api_as, api: Api, world: World) -> None:
    agent = api_as(world.agent_a, world.tenant_a)
    assert agent.post("/api/documents/form/pickup_order/preview").status_code == 200  # reading is allowed
    assert agent.post("/api/documents/form/pickup_order/preview", csrf=False).status_code == 400
    bad = agent.post("/api/documents/form/pickup_order/preview", {"draft": "nope"})
    assert bad.status_code == 400 and "draft" in bad.get_json()["error"]
    assert agent.post("/api/documents/form/nope/preview").status_code == 404
    assert api.post("/api/documents/form/pickup_order/preview").status_code == 401


def test_another_tenants_form_cannot_be_previewed(api_as, world: World, unique) -> None:
    name = unique("form_a")
    a = api_as(world.analyst_a, world.tenant_a)
    body = {"title": "A", "schema": {"type": "object", "properties": {"secret": {"type": "string", "title": "机密"}}}}
    assert a.post("/api/documents", {"kind": "form", "name": name, "body": body}).status_code == 201
    assert "机密" in a.post(f"/api/documents/form/{name}/preview").get_json()["html"]
    b = api_as(world.analyst_b, world.tenant_b)
    response = b.post(f"/api/documents/form/{name}/preview")
    assert response.status_code == 404 and "机密" not in response.get_data(as_text=True)


def test_template_changes_and_reimport_into_a_new_draft(api_as, world: World) -> None:
    api = api_as(world.admin_a, world.tenant_a)
    url = "/api/documents/form/consultation"
    doc = api.get(url).get_json()
    unchanged = api.get(url + "/template-changes").get_json()
    assert unchanged["template"] == "express_delivery" and unchanged["status"] == "unchanged"
    assert unchanged["changes"] == [] and unchanged["draft_differs"] is False

    edited = copy.deepcopy(doc["draft"])
    edited["title"] = "咨询（已改）"
    saved = api.put(url + "/draft", {"body": edited, "base_revision": doc["draft_revision"]}).get_json()
    api.post(url + "/publish", {"note": "title"})
    changed = api.get(url + "/template-changes").get_json()
    assert changed["status"] == "changed" and changed["compared"] == "published"
    assert any(c["pointer"] == "/title" and "咨询（已改）" in c["text"] for c in changed["changes"])

    published = api.get(url).get_json()["published_version"]
    reimported = api.post(url + "/reimport-template")
    assert reimported.status_code == 200
    body = reimported.get_json()
    assert body["draft"]["title"] != "咨询（已改）"
    assert body["draft_revision"] == saved["draft_revision"] + 1
    assert body["published_version"] == published  # live calls keep running the published version
    stale = api.post(url + "/reimport-template", {"base_revision": saved["draft_revision"]})
    assert stale.status_code == 409 and stale.get_json()["current_revision"] == body["draft_revision"]


def test_template_routes_roles_csrf_and_tenants(api_as, world: World) -> None:
    agent = api_as(world.agent_a, world.tenant_a)
    assert agent.get("/api/documents/ivr/main/template-changes").status_code == 200
    assert agent.post("/api/documents/ivr/main/reimport-template").status_code == 403
    analyst = api_as(world.analyst_a, world.tenant_a)
    assert analyst.post("/api/documents/ivr/main/reimport-template", csrf=False).status_code == 400
    created = analyst.post("/api/documents", {"kind": "form", "name": "mine_only", "body": {"title": "m"}})
    assert created.status_code == 201
    missing = analyst.get("/api/documents/form/mine_only/template-changes")
    assert missing.status_code == 404 and "template 'express_delivery' has no form" in missing.get_json()["error"]
    other = api_as(world.analyst_b, world.tenant_b)
    assert other.get("/api/documents/form/mine_only/template-changes").status_code == 404
    assert other.post("/api/documents/form/mine_only/reimport-template").status_code == 404
