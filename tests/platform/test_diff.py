"""The structural diff names each change by JSON Pointer with old and new values."""

from __future__ import annotations

from hotline.platform.diff import diff


def test_equal_documents_have_no_changes() -> None:
    body = {"nodes": {"a": {"type": "play", "next": "b"}}, "list": [1, 2]}
    assert diff(body, {"nodes": {"a": {"type": "play", "next": "b"}}, "list": [1, 2]}) == []


def test_changes_are_reported_at_their_pointers() -> None:
    old = {"nodes": {"menu": {"options": {"1": "a", "2": "b"}}, "gone": {}}, "list": [1, 2, 3], "x": 1}
    new = {"nodes": {"menu": {"options": {"1": "a", "3": "c"}}, "new/node": {}}, "list": [1, 5], "x": "1"}
    got = {(c.op, c.pointer): (c.old, c.new) for c in diff(old, new)}
    assert got == {
        ("removed", "/nodes/menu/options/2"): ("b", None),
        ("added", "/nodes/menu/options/3"): (None, "c"),
        ("removed", "/nodes/gone"): ({}, None),
        ("added", "/nodes/new~1node"): (None, {}),
        ("changed", "/list/1"): (2, 5),
        ("removed", "/list/2"): (3, None),
        ("changed", "/x"): (1, "1"),
    }


def test_change_text_is_readable() -> None:
    (change,) = diff({"prompt": {"text": "您好"}}, {"prompt": {"text": "欢迎"}})
    assert str(change) == '~ /prompt/text: "您好" → "欢迎"'
