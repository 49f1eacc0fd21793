"""The `mocks` of a test call's start, read and refused in the reader's language (runtime/trial/mocks.py).

Why a module of its own: every refusal names the lookup node by its label, the field and why, with the
request's JSON path, and the bounds (one mock per lookup node at most, known variables only, values of at most
MAX_VALUE characters) are the API's to enforce before a call is started.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import BadRequest

from ...runtime.trial.mocks import FOUND, MAX_VALUE, REAL, RESULTS, LookupMock

_WORDS = {
    "zh_CN": {
        "shape": "模拟查询结果（{path}）应为对象：每个查询节点一项",
        "many": "模拟查询结果（{path}）有 {n} 项，但本流程只有 {most} 个查询节点",
        "node": "模拟查询结果（{path}）：本流程没有查询节点「{node}」",
        "result": "模拟查询结果（{path}）：「{node}」的结果应为 真实查询、找到、未找到 或 失败/超时，而不是「{text}」",
        "values": "模拟查询结果（{path}）：「{node}」的字段应为「字段 → 值」对象",
        "only_found": "模拟查询结果（{path}）：「{node}」只有选“找到”时才能填写字段值",
        "field": "模拟查询结果（{path}）：「{node}」不设置字段「{field}」；可填的字段：{known}",
        "text": "模拟查询结果（{path}）：「{node}」的字段「{field}」应为文字",
        "long": "模拟查询结果（{path}）：「{node}」的字段「{field}」有 {n} 个字符，最多 {most} 个",
        "none": "（无）", "sep": "、",
    },
    "en": {
        "shape": "mocks ({path}) must be an object with one entry per lookup node",
        "many": "mocks ({path}) has {n} entries but this IVR has only {most} lookup nodes",
        "node": "mocks ({path}): this IVR has no lookup node 「{node}」",
        "result": "mocks ({path}): the result for 「{node}」 must be real, found, not found or failed/time-out, "
                  "not “{text}”",
        "values": "mocks ({path}): the fields of 「{node}」 must be an object of field → value",
        "only_found": "mocks ({path}): field values for 「{node}」 can be given only when it is found",
        "field": "mocks ({path}): 「{node}」 sets no field “{field}”; fields it sets: {known}",
        "text": "mocks ({path}): the field “{field}” of 「{node}」 must be text",
        "long": "mocks ({path}): the field “{field}” of 「{node}」 has {n} characters; at most {most}",
        "none": "(none)", "sep": ", ",
    },
}


def read_mocks(raw: Any, body: Mapping[str, Any], locale: str) -> dict[str, LookupMock]:
    """The mocks of the request (node id → LookupMock), "real" ones left out; BadRequest naming what is wrong."""
    words = _WORDS.get(locale, _WORDS["en"])

    def refuse(key: str, path: str, **details: Any) -> BadRequest:
        return BadRequest(words[key].format(path=path, **details))

    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise refuse("shape", "mocks")
    nodes = body.get("nodes") if isinstance(body.get("nodes"), Mapping) else {}
    lookups = {nid: node for nid, node in nodes.items() if isinstance(node, Mapping) and node.get("type") == "lookup"}
    if len(raw) > len(lookups):
        raise refuse("many", "mocks", n=len(raw), most=len(lookups))
    mocks: dict[str, LookupMock] = {}
    for node_id, mock in raw.items():
        path = f"mocks.{str(node_id)[:64]}"
        node = lookups.get(node_id)
        if node is None:
            raise refuse("node", path, node=str(node_id)[:64])
        label = str(node.get("label") or node_id)
        result = mock.get("result") if isinstance(mock, Mapping) else mock
        if result not in RESULTS:
            raise refuse("result", f"{path}.result", node=label, text=str(result)[:40])
        values = (mock.get("values") if isinstance(mock, Mapping) else None) or {}
        if not isinstance(values, Mapping):
            raise refuse("values", f"{path}.values", node=label)
        if values and result != FOUND:
            raise refuse("only_found", f"{path}.values", node=label)
        known = list((node.get("assign") or {}).keys())
        for name, value in values.items():
            where = f"{path}.values.{str(name)[:64]}"
            if name not in known:
                listed = words["sep"].join(sorted(known)) or words["none"]
                raise refuse("field", where, node=label, field=str(name)[:64], known=listed)
            if not isinstance(value, str):
                raise refuse("text", where, node=label, field=name)
            if len(value) > MAX_VALUE:
                raise refuse("long", where, node=label, field=name, n=len(value), most=MAX_VALUE)
        if result != REAL:
            mocks[node_id] = LookupMock(result, dict(values) if result == FOUND else {})
    return mocks

