"""Findings in an analyst's words: which node, what is wrong, and how to fix it, in Chinese.

Schema and lint findings are worded in English for developers ("'' does not match '^[A-Za-z_]…'",
"missing required property 'next'"); the designer and the CLI show analysts the same finding as
"「主菜单」的按键 6 还没有连接下一步：把它连到一个节点". The pointer, severity and code never change, so
clicking a finding still lands on its field; a finding no rule here knows keeps its English sentence.
Nodes are named by their label, fields by their Chinese title, and list items are counted from 1, as the UI
counts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from ..findings import Finding, join
from .validation import schema

#: Chinese titles of document fields (the designer's property panel uses the same words).
FIELD_ZH: dict[str, str] = {
    "label": "名称", "note": "备注", "prompt": "提示音", "options": "按键选项", "timeout_seconds": "超时（秒）",
    "max_retries": "最大重试次数", "invalid_prompt": "输入错误提示", "timeout_prompt": "超时提示",
    "next": "下一步", "fallback": "兜底节点", "open": "营业时间内的去向", "closed": "非营业时间的去向",
    "calendar": "营业日历", "variable": "保存到变量", "min_digits": "最少位数", "max_digits": "最多位数",
    "terminator": "结束键", "pattern": "格式（正则）", "source": "数据源", "table": "数据表", "key": "查询键",
    "assign": "结果赋值", "found": "找到时的去向", "not_found": "未找到时的去向", "error": "出错时的去向",
    "branches": "分支", "when": "条件", "else": "“否则”的去向", "values": "变量值", "queue": "队列",
    "priority": "优先级", "skills": "技能", "hold_prompt": "等待提示", "announce_every_seconds": "播报间隔（秒）",
    "overflow": "溢出去向", "after": "通话结束后的去向", "number": "号码", "failed": "失败时的去向",
    "max_seconds": "最长时长（秒）", "confirm_digit": "确认键", "accepted": "接受时的去向",
    "declined": "拒绝时的去向", "form": "工单表单", "fields": "工单字段", "to": "收信号码", "text": "内容",
    "min_score": "最低分", "max_score": "最高分", "thanks_prompt": "感谢语", "target": "目标节点",
    "cause": "挂机原因", "audio": "录音", "ticket": "工单号", "no_handler": "无人处理时的去向",
    "refused": "被拒绝时的去向", "start": "起始节点", "title": "标题", "description": "说明",
    "variables": "变量", "nodes": "节点", "rules": "规则", "name": "名称", "event": "事件", "actions": "动作",
    "dialing": "拨打策略", "pages": "页面", "questions": "问题", "dispositions": "结果分类",
    "timezone": "时区", "windows": "拨打时段", "mode": "拨打方式", "url": "地址",
}

NAME_RULE = "只能用字母、数字和下划线，且不能以数字开头"
CONNECT = "把它连到一个节点"
TYPE_ZH = {"integer": "整数", "number": "数字", "string": "文字", "boolean": "是/否", "object": "一组设置",
           "array": "列表"}


@cache
def target_fields() -> frozenset[str]:
    """IVR fields that name the next node (every `next` reference in the schema)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in (node.get("properties") or {}).items():
                if isinstance(value, dict) and str(value.get("$ref", "")).endswith("/next"):
                    found.add(key)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema("ivr"))
    return frozenset(found)


def _parts(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]] if ptr else []


def _spaced(text: str) -> str:
    """A space after a trailing number or Latin word before Chinese text follows ("按键 6 还没有")."""
    return text + " " if text and text[-1].isascii() and text[-1].isalnum() else text


def _field(name: str) -> str:
    return FIELD_ZH.get(name, name)


class _Words:
    """Rewords one document's findings (knows its nodes' labels)."""

    def __init__(self, kind: str, body: Any) -> None:
        self.kind = kind
        self.body = body if isinstance(body, Mapping) else {}
        nodes = self.body.get("nodes")
        self.nodes: Mapping[str, Any] = nodes if isinstance(nodes, Mapping) else {}

    def node(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        label = node.get("label") if isinstance(node, Mapping) else None
        return f"「{label or node_id}」"

    def where(self, rest: list[str]) -> str:
        """A place inside a node, as the UI names it: 按键 6, 分支 2 的下一步, 提示音."""
        if len(rest) >= 2 and rest[0] == "options":
            return f"按键 {rest[1]}"
        if len(rest) >= 2 and rest[0] == "branches" and rest[1].isdigit():
            tail = f"的{_field(rest[2])}" if len(rest) > 2 else ""
            return f"分支 {int(rest[1]) + 1}{tail}"
        return "的".join(_field(p) if not p.isdigit() else f"第 {int(p) + 1} 项" for p in rest) or "节点"

    def place(self, parts: list[str]) -> str:
        """Where a finding is, for any kind: 「主菜单」的按键 6, 规则 2 的动作 1, 拨打策略的时区."""
        if len(parts) >= 2 and parts[0] == "nodes":
            rest = parts[2:]
            return _spaced(self.node(parts[1]) + (f"的{self.where(rest)}" if rest else "节点"))
        out: list[str] = []
        for i, part in enumerate(parts):
            if part.isdigit() and i:
                out[-1] = f"{out[-1]} {int(part) + 1}" if out else f"第 {int(part) + 1} 项"
            else:
                out.append("规则" if part == "rules" else _field(part))
        return _spaced("的".join(_spaced(p) for p in out)) or "文档"

    def reword(self, f: Finding) -> str | None:
        parts, msg = _parts(f.pointer), f.message
        in_node = len(parts) >= 2 and parts[0] == "nodes"
        last = parts[-1] if parts else ""
        value = re.match(r"^'(.*?)' ", msg)
        names_target = in_node and (last in target_fields() or (len(parts) == 4 and parts[2] == "options"))
        if f.code == "schema":
            missing = re.match(r"missing required property '([^']+)'", msg)
            if missing:
                name = missing.group(1)
                if in_node and len(parts) == 2:
                    if name in target_fields():
                        what = "下一步" if name == "next" else _field(name)
                        return f"{self.node(parts[1])}节点没有指定{what}：{CONNECT}"
                    if name == "prompt":
                        return f"{self.node(parts[1])}节点缺少提示音：填写播报的文字，或选择一段录音"
                    return f"{self.node(parts[1])}节点缺少「{_field(name)}」：在右侧属性面板中填写"
                return f"{self.place(parts)}缺少「{_field(name)}」：请填写"
            if "is not allowed as a key here" in msg:
                key = last
                if len(parts) == 2 and parts[0] == "nodes":
                    return f"节点编号「{key}」不可用：节点编号{NAME_RULE}"
                if len(parts) >= 2 and parts[-2] == "options":
                    return f"{self.node(parts[1])}的按键「{key}」不可用：按键只能是 0–9、* 或 #"
                return f"名称「{key}」不可用：名称{NAME_RULE}"
            if names_target and (msg.startswith("'' ") or "is too short" in msg or "does not match" in msg):
                if value and value.group(1):
                    return f"{self.place(parts)}指向「{value.group(1)}」，这不是有效的节点编号：{CONNECT}"
                return f"{self.place(parts)}还没有连接下一步：{CONNECT}"
            if "does not match" in msg:
                return f"{self.place(parts)}的格式不对：{NAME_RULE if '[A-Za-z_]' in msg else '请按说明填写'}"
            if re.search(r"is too short|should be non-empty|does not have enough properties", msg):
                return f"{self.place(parts)}不能为空：请填写"
            if "is too long" in msg or "has too many properties" in msg:
                return f"{self.place(parts)}太长了：请缩短"
            bound = re.search(r"is (greater|less) than (?:or equal to )?the (?:maximum|minimum) of ([-\d.]+)", msg)
            if bound:
                return f"{self.place(parts)}不能{'大' if bound.group(1) == 'greater' else '小'}于 {bound.group(2)}"
            typed = re.search(r"is not of type '(\w+)'", msg)
            if typed:
                return f"{self.place(parts)}应为{TYPE_ZH.get(typed.group(1), typed.group(1))}"
            if "is not one of" in msg:
                return f"{self.place(parts)}的取值无效：请从列表中选择"
            extra = re.match(r"property '([^']+)' is not allowed here", msg)
            if extra:
                return f"{self.place(parts[:-1])}不支持「{extra.group(1)}」：删除它"
            if msg.startswith("needs one of: text, audio"):
                return f"{self.place(parts)}需要播报的文字或一段录音"
            return None
        return self.lint(f, parts, in_node)

    def lint(self, f: Finding, parts: list[str], in_node: bool) -> str | None:
        target = re.search(r"goes to node '([^']*)', which does not exist", f.message)
        if f.code == "unknown-target" and target and in_node:
            return f"{self.place(parts)}指向不存在的节点「{target.group(1)}」：改为连到一个已有节点"
        if f.code == "unknown-target":
            return f"{_field(parts[0]) if parts else '起始节点'}指向的节点不存在：请选择一个已有节点"
        if f.code == "unreachable" and in_node:
            return (f"{self.node(parts[1])}节点从起始节点和兜底节点都走不到，来电者永远不会经过这里："
                    "把它连到流程中，或删除它")
        directions = re.search(r"the bracketed (.+) in this prompt is taken for a stage direction", f.message)
        if f.code == "stage-direction" and directions:
            return (f"{self.place(parts)}中括号里的「{directions.group(1)}」会被当作舞台说明，不会播报给来电者："
                    "要播报就去掉括号，等待音乐由交换机的等待音乐播放，不写在提示音里")
        digits = re.search(r"wants at least (\d+) digits but at most (\d+)", f.message)
        if f.code == "bad-range" and digits and in_node:
            return (f"{self.node(parts[1])}的最少位数（{digits.group(1)}）大于最多位数（{digits.group(2)}），"
                    "任何输入都不会被接受：把最少位数改小，或把最多位数改大")
        scores = re.search(r"has min_score (\d+) not below max_score (\d+)", f.message)
        if f.code == "bad-range" and scores and in_node:
            return (f"{self.node(parts[1])}的最低分（{scores.group(1)}）不低于最高分（{scores.group(2)}），"
                    "打分没有范围：把最低分改小，或把最高分改大")
        if f.code == "input-free-loop":
            return "这几个节点连成了一个不需要来电者按键的循环，通话会一直困在里面：在循环中加入菜单或收号，或断开循环"
        known = re.search(r"(?:queue|form|table|prompt|recorded prompt) '([^']+)' does not exist", f.message)
        if known and f.code.startswith("unknown-"):
            return f"{self.place(parts)}选择的「{known.group(1)}」在本租户中不存在：从列表中选择一个已有的"
        return None


#: Rewording functions by locale; English findings are already in words for English readers.
_LOCALES: dict[str, Callable[[str, Any], _Words]] = {"zh_CN": _Words}


def in_words(findings: Iterable[Finding], kind: str, body: Any, locale: str) -> list[Finding]:
    """The findings with messages in `locale`'s words where a rule knows them (pointer, code kept)."""
    words = _LOCALES.get(locale)
    if words is None:
        return list(findings)
    rewording = words(kind, body)
    out: list[Finding] = []
    for finding in findings:
        message = rewording.reword(finding)
        if not message:
            out.append(finding)
            continue
        # A missing field is shown on that field (the English sentence named it; the Chinese one names its title).
        missing = re.match(r"missing required property '([^']+)'", finding.message)
        ptr = join(finding.pointer, missing.group(1)) if missing else finding.pointer
        out.append(replace(finding, message=message, pointer=ptr))
    return out
