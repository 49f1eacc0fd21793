"""The designer layout API (issue 16): node positions stored apart from the document, per tenant and document.

Moving a box is no draft revision and never a line of a diff; a body that still carries positions has them
moved into the layout; another tenant's layout is out of reach; bad input names the entry and the reason."""

from __future__ import annotations

import pytest

from ..conftest import World

pytestmark = [pytest.mark.redis]

LAYOUT = "/api/documents/ivr/main/layout"


def test_a_cloned_ivr_has_its_templates_layout_and_a_position_free_body(api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    draft = api.get("/api/documents/ivr/main").get_json()["draft"]
    assert not [i for i, n in draft["nodes"].items() if "position" in n]
    positions = api.get(LAYOUT).get_json()["positions"]
    assert set(positions) == set(draft["nodes"])
    assert positions["business_hours"] == {"x": 2738, "y": 40, "pinned": True}


def test_saving_the_layout_is_not_an_edit_of_the_document(api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    before = api.get("/api/documents/ivr/main").get_json()
    moved = {"business_hours": {"x": 10, "y": 20.4, "pinned": True}, "closed_notice": {"x": -5, "y": 7}}
    saved = api.put(LAYOUT, {"positions": moved})
    assert saved.status_code == 200, saved.get_json()
    expected = {"business_hours": {"x": 10, "y": 20, "pinned": True},
                "closed_notice": {"x": -5, "y": 7, "pinned": False}}
    assert saved.get_json()["positions"] == expected
    assert api.get(LAYOUT).get_json()["positions"] == expected
    after = api.get("/api/documents/ivr/main").get_json()
    assert after["draft_revision"] == before["draft_revision"] and after["draft"] == before["draft"]


def test_positions_in_a_saved_body_move_into_the_layout_and_out_of_diffs(api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    doc = api.get("/api/documents/ivr/main").get_json()
    body = doc["draft"]
    body["nodes"]["closed_notice"]["position"] = {"x": 999, "y": 111}
    saved = api.put("/api/documents/ivr/main/draft", {"body": body, "base_revision": doc["draft_revision"]})
    assert saved.status_code == 200, saved.get_json()
    assert "position" not in saved.get_json()["draft"]["nodes"]["closed_notice"]
    assert "position" not in api.get("/api/documents/ivr/main").get_json()["draft"]["nodes"]["closed_notice"]
    assert api.get(LAYOUT).get_json()["positions"]["closed_notice"] == {"x": 999, "y": 111, "pinned": True}
    changes = api.get("/api/documents/ivr/main/diff?old=1&new=draft").get_json()["changes"]
    assert not [c for c in changes if c["pointer"].endswith("/position") or "/position/" in c["pointer"]]


def test_another_tenants_layout_is_out_of_reach(api_as, world: World) -> None:
    a, b = api_as(world.analyst_a), api_as(world.analyst_b)
    only_a = a.post("/api/documents", {"kind": "ivr", "name": "only_in_a", "body": {"nodes": {}}})
    assert only_a.status_code == 201, only_a.get_json()
    assert a.put("/api/documents/ivr/only_in_a/layout", {"positions": {"n": {"x": 1, "y": 2}}}).status_code == 200
    assert b.get("/api/documents/ivr/only_in_a/layout").status_code == 404
    assert b.put("/api/documents/ivr/only_in_a/layout", {"positions": {}}).status_code == 404
    # Both tenants have an IVR named main (cloned from one template): each sees and changes only its own.
    a.put(LAYOUT, {"positions": {"business_hours": {"x": 1, "y": 1, "pinned": True}}})
    b.put(LAYOUT, {"positions": {"business_hours": {"x": 2, "y": 2, "pinned": True}}})
    assert a.get(LAYOUT).get_json()["positions"] == {"business_hours": {"x": 1, "y": 1, "pinned": True}}
    assert a.get("/api/documents/ivr/only_in_a/layout").get_json()["positions"] == {
        "n": {"x": 1, "y": 2, "pinned": False}}


def test_readers_cannot_move_boxes(api_as, world: World) -> None:
    agent = api_as(world.agent_a)
    assert agent.get(LAYOUT).status_code == 200
    assert agent.put(LAYOUT, {"positions": {}}).status_code == 403


@pytest.mark.parametrize(("positions", "says"), [
    ([], "positions: must be an object"),
    ({"n": [1, 2]}, "positions › n: must be an object"),
    ({"n": {"x": "1", "y": 2}}, "positions › n › x: must be a number"),
    ({"n": {"x": 1, "y": 1e12}}, "positions › n › y: must be a number"),
    ({"n": {"x": 1, "y": 2, "pinned": "yes"}}, "positions › n › pinned: must be true or false"),
    ({"n" * 65: {"x": 1, "y": 2}}, "a node id has 1 to 64 characters"),
])
def test_a_bad_layout_is_refused_saying_where_and_why(api_as, world: World, positions, says: str) -> None:
    api = api_as(world.analyst_a)
    before = api.get(LAYOUT).get_json()["positions"]
    refused = api.put(LAYOUT, {"positions": positions})
    assert refused.status_code == 400
    assert says in refused.get_json()["error"]
    assert api.get(LAYOUT).get_json()["positions"] == before  # nothing stored is lost


def test_a_layout_has_a_bounded_number_of_entries(api_as, world: World) -> None:
    api = api_as(world.analyst_a)
    many = {f"n{i}": {"x": i, "y": 0} for i in range(5001)}
    refused = api.put(LAYOUT, {"positions": many})
    assert refused.status_code in (400, 413)
