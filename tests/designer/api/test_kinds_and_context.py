"""The kind schemas the property panels are generated from, and the designer context (pickers)."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from hotline.platform.files import read_json
from hotline.platform.services.templates import TEMPLATES_DIR

from ..conftest import Api, World


def test_every_kind_schema_is_self_contained_and_validates_the_template_documents(api_as, world: World) -> None:
    api: Api = api_as(world.agent_a, world.tenant_a)
    for kind in ("ivr", "form", "dispatch", "outbound"):
        response = api.get(f"/api/kinds/{kind}/schema")
        assert response.status_code == 200
        schema = response.get_json()
        assert "common.schema.json" not in json.dumps(schema), "a browser cannot fetch the shared file"
        validator = Draft202012Validator(schema)  # no registry: every $ref must resolve inside
        for path in sorted((TEMPLATES_DIR / "express_delivery" / kind).glob("*.json")):
            body, _ = read_json(path)
            assert list(validator.iter_errors(body)) == [], path
        assert list(validator.iter_errors({"title": 5})), f"{kind}: the bundled schema must still refuse"


def test_ivr_node_types_have_a_title_and_description_for_the_palette(api_as, world: World) -> None:
    schema = api_as(world.analyst_a, world.tenant_a).get("/api/kinds/ivr/schema").get_json()
    assert {"menu", "collect", "lookup", "queue", "hangup"} <= set(schema["x-node-types"])
    for node_type in schema["x-node-types"]:
        definition = schema["$defs"][node_type]
        assert definition["title"] and definition["description"], node_type
    dispatch = api_as(world.analyst_a, world.tenant_a).get("/api/kinds/dispatch/schema").get_json()
    assert "notify" in dispatch["x-action-types"]
    assert all(dispatch["$defs"][t]["title"] for t in dispatch["x-action-types"])


def test_the_served_schema_keeps_the_files_field_order(api_as, world: World) -> None:
    """The property panel lists fields in this order: the least digits before the most (issue 16)."""
    response = api_as(world.analyst_a, world.tenant_a).get("/api/kinds/ivr/schema")
    collect = list(json.loads(response.get_data(as_text=True))["$defs"]["collect"]["properties"])
    assert collect.index("prompt") < collect.index("min_digits") < collect.index("max_digits") < collect.index("next")
    titles = [branch["title"] for branch in response.get_json()["$defs"]["lookup"]["properties"]["source"]["oneOf"]]
    assert titles == ["Data table", "Built-in source", "Webhook"]


def test_an_unknown_kind_is_a_json_404_and_signed_out_is_401(api_as, api: Api, world: World) -> None:
    response = api_as(world.analyst_a, world.tenant_a).get("/api/kinds/nope/schema")
    assert response.status_code == 404
    assert "unknown document kind 'nope'" in response.get_json()["error"]
    assert api.get("/api/kinds/ivr/schema").status_code == 401


def test_the_context_lists_form_fields_ivr_variables_and_records(api_as, world: World) -> None:
    context = api_as(world.agent_a, world.tenant_a).get("/api/designer/context").get_json()
    fields = {f["path"]: f for f in context["fields"]}
    assert fields["ticket.pickup_time"]["type"] == "string"
    assert fields["ticket.pickup_time"]["label"] == "上门时段"
    assert "明天上午9:00-12:00" in fields["ticket.pickup_time"]["options"]
    assert fields["ticket.parcel_type"]["options"][0] == "document"  # oneOf consts
    assert "pickup_order" in fields["ticket.address"]["forms"]
    assert fields["ticket.status"]["source"] == "ticket"
    assert fields["var.waybill"]["source"] == "ivr" and "main/track_collect" in fields["var.waybill"]["set_by"]
    assert "var.status" in fields  # set by a lookup's assign
    assert fields["customer.vip"]["type"] == "boolean"
    assert fields["call.caller"]["source"] == "call"
    assert {"name": "general", "title": "综合服务"} in context["queues"]
    assert any(s["name"] == "express_general" for s in context["skills"])
    assert any(d["name"] == "couriers" for d in context["directory_groups"])
    forms = {f["name"]: f for f in context["forms"]}
    assert forms["pickup_order"]["title"] == "取件下单" and forms["pickup_order"]["statuses"]
    assert {"name": "welcome", "text": next(p["text"] for p in context["prompts"] if p["name"] == "welcome"),
            "audio_url": None} in context["prompts"]
    assert context["notification_channels"] == ["sms", "email", "webhook"]
    # The lookup node's pickers: the tenant's data tables with the columns their rows use (issue 16).
    waybills = next(t for t in context["data_tables"] if t["name"] == "waybills")
    assert waybills["title"] == "运单状态" and "status" in waybills["columns"]
    # The tenant's business calendar, for the hours node's picker.
    assert context["calendar"]["timezone"] == "Asia/Shanghai" and "mon" in context["calendar"]["weekly"]
    assert "ticket.created" in context["dispatch_events"]
    actions = {a["type"]: a for a in context["dispatch_actions"]}
    notify = Draft202012Validator(actions["notify"]["schema"])
    assert not list(notify.iter_errors({"type": "notify", "channel": "sms", "to": "{{ticket.phone}}", "text": "hi"}))
    assert list(notify.iter_errors({"type": "notify", "channel": "fax", "to": "x"}))


def test_the_context_needs_a_signed_in_member(api: Api, api_as, world: World) -> None:
    assert api.get("/api/designer/context").status_code == 401
    assert api_as(world.nobody).get("/api/designer/context").status_code == 403  # no tenant to work in


def test_the_context_is_the_current_tenants(api_as, world: World) -> None:
    a = api_as(world.analyst_a, world.tenant_a)
    created = a.post("/api/documents", {"kind": "form", "name": "only_in_a", "body": {
        "title": "Only A", "schema": {"type": "object", "properties": {"secret_a": {"type": "string"}}}}})
    assert created.status_code == 201
    assert any(f["path"] == "ticket.secret_a" for f in a.get("/api/designer/context").get_json()["fields"])
    b = api_as(world.analyst_b, world.tenant_b).get("/api/designer/context").get_json()
    assert not any(f["path"] == "ticket.secret_a" for f in b["fields"])
    assert not any(f["name"] == "only_in_a" for f in b["forms"])
    # A column only tenant A's rows use is listed for A, never for B (both have a "waybills" table).
    assert a.put("/api/data-tables/waybills/rows/0000", {"data": {"secret_a_col": "x"}}).status_code in (200, 201)
    columns = {t["name"]: t["columns"] for t in a.get("/api/designer/context").get_json()["data_tables"]}
    assert "secret_a_col" in columns["waybills"]
    b = api_as(world.analyst_b, world.tenant_b).get("/api/designer/context").get_json()
    assert all("secret_a_col" not in t["columns"] for t in b["data_tables"])
