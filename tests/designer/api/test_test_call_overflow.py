"""A test call never carries keys typed past what the waiting node takes into the next node (issue "designer
as analysts expect it", item 2). On FreeSWITCH play_and_get_digits returns at max digits or a terminator and
the keys after stay queued for the next node that asks; the test call refuses such an entry whole, in words
naming the node, its maximum and the count typed (runtime/trial/entry.py)."""

from __future__ import annotations

import pytest

from ..conftest import Api, World

pytestmark = [pytest.mark.redis, pytest.mark.slow]

#: Two collects in a row: whatever the first does not take would be read by the second.
TWO_ENTRIES = {"title": "两次输入", "start": "account", "fallback": "bye", "nodes": {
    "account": {"type": "collect", "label": "输入账号", "prompt": {"text": "请输入12位账号"}, "variable": "account",
                "min_digits": 12, "max_digits": 12, "terminator": "#", "next": "pin", "fallback": "bye"},
    "pin": {"type": "collect", "label": "输入密码", "prompt": {"text": "请输入4位密码"}, "variable": "pin",
            "min_digits": 4, "max_digits": 4, "terminator": "#", "max_retries": 0, "next": "bye",
            "fallback": "bye"},
    "bye": {"type": "hangup", "prompt": {"text": "再见"}}}}

REFUSED = {
    "zh_CN": {"1234567890123": "「输入账号」最多收 12 位，您输入了 13 位",
              "123456789012#5": "其后的「#5」会被下一个节点读到",
              "1234#56": "其后的「56」会被下一个节点读到"},
    "en": {"1234567890123": "「输入账号」 takes at most 12 digits; you entered 13",
           "123456789012#5": "“#5” after it would be read by the next node",
           "1234#56": "“56” after it would be read by the next node"},
}


def _call(api: Api, unique) -> dict:
    name = unique("ivr")
    assert api.post("/api/documents", {"kind": "ivr", "name": name, "body": TWO_ENTRIES}).status_code == 201
    state = api.post("/api/test-calls", {"name": name}).get_json()
    assert state["current_node"] == "account" and state["status"] == "waiting_input", state
    return state


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("entry", ["1234567890123", "123456789012#5", "1234#56"])
def test_an_entry_the_collect_would_not_take_whole_is_refused_in_words_not_carried_on(
        caller_api, world: World, unique, entry: str, lang: str) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = _call(api, unique)
    response = api.post(f"/api/test-calls/{state['id']}/digits?lang={lang}", {"digits": entry})
    after = api.get(f"/api/test-calls/{state['id']}").get_json()
    try:
        assert response.status_code == 400, (response.get_json()["path"], response.get_json()["variables"])
        assert REFUSED[lang][entry] in response.get_json()["error"]
        # nothing was pressed: the call still waits at the same node, the next node has read nothing
        assert after["current_node"] == "account" and after["status"] == "waiting_input"
        assert after["path"] == ["account"] and after["variables"] == {}
        # the whole entry, sent again as it should be, is taken and the next node starts clean
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "123456789012"}).get_json()
        assert state["current_node"] == "pin" and state["status"] == "waiting_input"
        assert state["variables"] == {"account": "123456789012"}
        assert [p["text"] for p in state["prompts"]].count("请输入4位密码") == 1  # pin asked once, nothing read
    finally:
        api.write("delete", f"/api/test-calls/{state['id']}")


def test_keys_pressed_before_count_toward_the_maximum(caller_api, world: World, unique) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = _call(api, unique)
    try:
        for key in "12345678901":
            state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": key}).get_json()
        assert state["current_node"] == "account"
        refused = api.post(f"/api/test-calls/{state['id']}/digits?lang=zh_CN", {"digits": "23"})
        assert refused.status_code == 400
        assert "最多收 12 位，您输入了 13 位（含之前已按的 11 位）" in refused.get_json()["error"]
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "2"}).get_json()
        assert state["variables"] == {"account": "123456789012"} and state["current_node"] == "pin"
    finally:
        api.write("delete", f"/api/test-calls/{state['id']}")


def test_two_keys_at_a_menu_are_refused_naming_the_menu(caller_api, world: World) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = api.post("/api/test-calls", {"name": "main", "at": "2026-11-23T10:00:00+08:00"}).get_json()
    try:
        assert state["current_node"] == "main_menu"
        refused = api.post(f"/api/test-calls/{state['id']}/digits?lang=en", {"digits": "17730012345601"})
        assert refused.status_code == 400
        assert "takes at most 1 digit; you entered 14" in refused.get_json()["error"]
        assert api.get(f"/api/test-calls/{state['id']}").get_json()["current_node"] == "main_menu"
    finally:
        api.write("delete", f"/api/test-calls/{state['id']}")


def test_the_terminator_after_a_full_entry_is_dropped_and_said_not_read_by_the_next_node(
        caller_api, world: World, unique) -> None:
    api = caller_api(world.analyst_a, world.tenant_a)
    state = _call(api, unique)
    try:
        state = api.post(f"/api/test-calls/{state['id']}/digits", {"digits": "123456789012#"}).get_json()
        assert state["current_node"] == "pin" and state["status"] == "waiting_input"
        assert [p["text"] for p in state["prompts"]].count("请输入4位密码") == 1  # the # did not answer pin
        dropped = [e for e in state["events"] if e["type"] == "keys_dropped"]
        assert dropped == [{"type": "keys_dropped", "node": "account", "label": "输入账号", "most": 12,
                            "keys": "#"}]
    finally:
        api.write("delete", f"/api/test-calls/{state['id']}")
