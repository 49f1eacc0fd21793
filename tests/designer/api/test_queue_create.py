"""Creating a queue from the designer (issue 16, item 4): the one-click fix of a queue node that names a queue
the tenant does not have. Only in the caller's tenant, by those who may change documents, with a checked name."""

from __future__ import annotations

from collections.abc import Callable

from ..conftest import Api, World


def queue_names(api: Api) -> set[str]:
    return {q["name"] for q in api.get("/api/designer/context").get_json()["queues"]}


def test_an_analyst_creates_the_missing_queue_in_their_tenant_only(api_as: Callable[..., Api], world: World) -> None:
    analyst = api_as(world.analyst_a)
    response = analyst.post("/api/queues", {"name": "vip_line", "label": "VIP 热线"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"name": "vip_line", "title": "VIP 热线"}
    assert "vip_line" in queue_names(analyst)
    assert "vip_line" not in queue_names(api_as(world.analyst_b))
    # The tenant B analyst creates one of the same name in B: names are per tenant.
    assert api_as(world.analyst_b).post("/api/queues", {"name": "vip_line"}).status_code == 201


def test_a_taken_name_a_bad_name_and_an_agent_are_refused(api_as: Callable[..., Api], world: World) -> None:
    analyst = api_as(world.analyst_a)
    taken = analyst.post("/api/queues", {"name": "general"})
    assert taken.status_code == 409 and "general" in taken.get_json()["error"]
    bad = analyst.post("/api/queues", {"name": "9 lives"})
    assert bad.status_code == 400 and "'9 lives'" in bad.get_json()["error"]
    assert analyst.post("/api/queues", {"name": "x", "label": "长" * 201}).status_code == 400
    assert api_as(world.agent_a).post("/api/queues", {"name": "agent_made"}).status_code == 403
    assert "agent_made" not in queue_names(analyst)
