"""Mock lookup answers in a test call (issue "designer as analysts expect it": mock data for lookups and
webhooks): found / not found / failed take the lookup node's branches, the event says a mock answered, the
mocks are never stored, and a bad mock is refused naming the node's label, the field and why."""

from __future__ import annotations

import pytest

from ..conftest import Api, World

pytestmark = [pytest.mark.redis, pytest.mark.slow]
OPEN = "2026-11-23T10:00:00+08:00"


def _to_lookup(api: Api, mocks: dict, lang: str = "zh_CN") -> dict:
    """Starts the express IVR with `mocks`, asks to track waybill 7730012345601 and hangs up."""
    started = api.post(f"/api/test-calls?lang={lang}", {"name": "main", "at": OPEN, "mocks": mocks})
    assert started.status_code == 201, started.get_json()
    state = started.get_json()
    try:
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "1"}).get_json()
        return api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "7730012345601#"}).get_json()
    finally:
        api.write("delete", f"/api/test-calls/{state['id']}")


def test_a_mocked_found_answer_sets_the_variables_and_takes_the_found_branch(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    before = api.get("/api/documents/ivr/main").get_json()
    state = _to_lookup(api, {"track_lookup": {"result": "found", "values": {"status": "已签收", "location": "深圳"}}})
    assert "track_result" in state["path"] and "track_not_found" not in state["path"]
    assert state["variables"]["status"] == "已签收" and state["variables"]["location"] == "深圳"
    assert state["variables"]["eta"] == ""  # not given: empty, as a field the source left out
    assert any("当前状态：已签收" in p["text"] for p in state["prompts"])
    mock = [e for e in state["events"] if e["type"] == "mock"]
    assert mock == [{"type": "mock", "node": "track_lookup", "result": "found",
                     "values": {"status": "已签收", "location": "深圳"}}]
    # never stored: the document is as it was
    after = api.get("/api/documents/ivr/main").get_json()
    assert after["draft"] == before["draft"] and after["draft_revision"] == before["draft_revision"]
    assert "mocks" not in str(after["draft"])


@pytest.mark.parametrize(("result", "branch", "not_on_path"), [
    ("not_found", "track_not_found", "track_result"),
    ("failed", "system_fallback", "track_result"),
])
def test_mocked_not_found_and_failure_take_their_branches(caller_api, world: World, result: str, branch: str,
                                                         not_on_path: str) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = _to_lookup(api, {"track_lookup": {"result": result}})
    assert branch in state["path"] and not_on_path not in state["path"], state["path"]
    assert "status" not in state["variables"]
    assert [e["result"] for e in state["events"] if e["type"] == "mock"] == [result]


def test_real_is_the_default_and_reads_the_table(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = _to_lookup(api, {"track_lookup": {"result": "real"}})
    assert state["variables"]["status"] == "派送中" and "track_result" in state["path"]
    assert not [e for e in state["events"] if e["type"] == "mock"]


BAD = [
    ({"track_lookup": {"result": "found", "values": {"weight": "3kg"}}},
     {"zh_CN": ["mocks.track_lookup.values.weight", "「查询运单状态」不设置字段「weight」", "eta、location、status"],
      "en": ["mocks.track_lookup.values.weight", "「查询运单状态」 sets no field “weight”", "eta, location, status"]}),
    ({"track_lookup": {"result": "found", "values": {"status": "x" * 501}}},
     {"zh_CN": ["「查询运单状态」的字段「status」有 501 个字符，最多 500 个"],
      "en": ["the field “status” of 「查询运单状态」 has 501 characters; at most 500"]}),
    ({"track_lookup": {"result": "maybe"}},
     {"zh_CN": ["mocks.track_lookup.result", "「maybe」"], "en": ["mocks.track_lookup.result", "“maybe”"]}),
    ({"welcome": {"result": "found"}},
     {"zh_CN": ["本流程没有查询节点「welcome」"], "en": ["this IVR has no lookup node 「welcome」"]}),
    ({"track_lookup": {"result": "not_found", "values": {"status": "x"}}},
     {"zh_CN": ["只有选“找到”时才能填写字段值"], "en": ["can be given only when it is found"]}),
    ({f"n{i}": {"result": "found"} for i in range(3)},
     {"zh_CN": ["有 3 项，但本流程只有 2 个查询节点"], "en": ["has 3 entries but this IVR has only 2 lookup nodes"]}),
]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(("mocks", "says"), BAD)
def test_a_bad_mock_is_refused_naming_the_node_the_field_and_why(caller_api, world: World, lang: str,
                                                                mocks: dict, says: dict) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    refused = api.post(f"/api/test-calls?lang={lang}", {"name": "main", "at": OPEN, "mocks": mocks})
    assert refused.status_code == 400
    for text in says[lang]:
        assert text in refused.get_json()["error"]


def test_a_mocked_webhook_lookup_is_not_called_and_answers_found(caller_api, world: World) -> None:
    """A webhook the egress rules refuse (loopback) is never asked when mocked: the mock answers."""
    import copy

    api = caller_api(world.analyst_a, world.tenant_a)
    doc = api.get("/api/documents/ivr/main").get_json()
    draft = copy.deepcopy(doc["draft"])
    draft["nodes"]["track_lookup"]["source"] = {"webhook": {"url": "http://127.0.0.1:9/track", "timeout_ms": 2000,
                                                            "cache_seconds": 60}}
    draft["nodes"]["track_lookup"]["assign"] = {"status": "status.text", "location": "where", "eta": "eta"}
    saved = api.put("/api/documents/ivr/main/draft", {"body": draft, "base_revision": doc["draft_revision"]})
    assert saved.status_code == 200, saved.get_json()
    try:
        state = _to_lookup(api, {"track_lookup": {"result": "found", "values": {"status": "运输中"}}})
    finally:
        current = api.get("/api/documents/ivr/main").get_json()
        api.put("/api/documents/ivr/main/draft", {"body": doc["draft"], "base_revision": current["draft_revision"]})
    assert state["variables"]["status"] == "运输中" and "track_result" in state["path"]  # dotted path read back
    assert not [e for e in state["events"] if e["type"] == "webhook_refused"] and not state["errors"]
