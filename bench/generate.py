"""Generated documents for benchmarks: IVR trees of any size that validate and lint clean."""

from __future__ import annotations

from typing import Any

QUEUE, TABLE, FORM = "general", "waybills", "pickup"


def ivr(nodes: int) -> dict[str, Any]:
    """A menu tree with collect / lookup / play / queue / ticket leaves, about `nodes` nodes in all."""
    body: dict[str, Any] = {
        "start": "n0",
        "fallback": "agent",
        "variables": {"waybill": {"description": "运单号"}, "status": {}},
        "nodes": {
            "agent": {"type": "queue", "queue": QUEUE, "overflow": "bye", "prompt": {"text": "正在为您转接人工"}},
            "bye": {"type": "hangup", "prompt": {"text": "感谢来电，再见"}},
        },
    }
    out = body["nodes"]
    frontier = ["n0"]
    count = 0
    pending_menus = 0
    while frontier and len(out) < nodes:
        node_id = frontier.pop(0)
        count += 1
        remaining = nodes - len(out) - len(frontier)
        if remaining > 9 and pending_menus < nodes // 4:
            children = [f"n{count}_{d}" for d in range(1, 10)]
            out[node_id] = {"type": "menu", "prompt": {"text": f"菜单{node_id}：请按1到9选择"},
                            "options": {str(d): child for d, child in enumerate(children, 1)} | {"0": "agent"},
                            "fallback": "agent", "timeout_seconds": 5, "max_retries": 2}
            frontier.extend(children)
            pending_menus += 1
        else:
            out.update(_leaf(node_id, count))
    for node_id in frontier:  # close what is left open
        out[node_id] = {"type": "goto", "target": "agent"}
    return body


def _leaf(node_id: str, i: int) -> dict[str, Any]:
    kind = i % 4
    if kind == 0:
        return {node_id: {"type": "play", "prompt": {"text": "您好，{{call.caller}}"}, "next": "bye"}}
    if kind == 1:
        return {
            node_id: {"type": "collect", "prompt": {"text": "请输入运单号，以井号结束"}, "variable": "waybill",
                      "min_digits": 6, "max_digits": 20, "pattern": "[0-9]{6,20}", "next": f"{node_id}_l",
                      "fallback": "agent"},
            f"{node_id}_l": {"type": "lookup", "source": {"table": TABLE}, "key": "{{waybill}}",
                             "assign": {"status": "status"}, "found": f"{node_id}_p", "not_found": "agent"},
            f"{node_id}_p": {"type": "play", "prompt": {"text": "运单{{waybill}}状态：{{status}}"}, "next": "bye"},
        }
    if kind == 2:
        return {node_id: {"type": "ticket", "form": FORM, "fields": {"phone": "{{call.caller}}"}, "next": "bye"}}
    return {node_id: {"type": "condition", "branches": [
        {"when": {"field": "customer.vip", "op": "eq", "value": True}, "next": "agent"}], "else": "bye"}}
