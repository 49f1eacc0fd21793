"""Findings in an analyst's words: which node, what is wrong, and how to fix it, in Chinese or English.

Schema and lint findings are worded for developers ("'' does not match '^[A-Za-z_]…'", "'' should be
non-empty", "missing required property 'next'"); the designer and the CLI show analysts the same finding as
"「主菜单」的按键 6 还没有连接下一步：把它连到一个节点" or "Key 6 of “Main menu” is not connected to a next step:
connect it to a node". One set of rules recognises a finding; each language has its own `Lexicon` of words. The
pointer, severity and code never change, so clicking a finding still lands on its field; a finding no rule here
knows keeps its developer sentence. Nodes are named by their label, fields by their title, and list items are
counted from 1, as the UI counts them."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from ..findings import Finding, join
from .validation import schema
from .wording_kinds import KindWords

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
    "timezone": "时区", "windows": "拨打时段", "mode": "拨打方式", "url": "地址", "weekly": "每周营业时间",
    "workday_hours": "调休工作日的营业时间", "mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
    "sat": "周六", "sun": "周日", "all": "全部满足", "any": "任一满足", "not": "不满足", "field": "字段",
}

TYPE_ZH = {"integer": "整数", "number": "数字", "string": "文字", "boolean": "是/否", "object": "一组设置",
           "array": "列表"}

#: English names of fields whose property name does not say it plainly; any other is the name made readable.
FIELD_EN: dict[str, str] = {"next": "next step", "else": "“else” step", "open": "open-hours step",
                            "closed": "closed-hours step", "fallback": "fallback node", "start": "start node",
                            "pattern": "format (regular expression)", "assign": "result variables",
                            "weekly": "weekly hours", "workday_hours": "make-up workday hours", "mon": "Monday",
                            "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
                            "sat": "Saturday", "sun": "Sunday", "all": "all-of list", "any": "any-of list",
                            "not": "none-of condition", "when": "condition", "after": "after-call step",
                            "accepted": "accepted step", "declined": "declined step", "failed": "failed step",
                            "error": "error step", "found": "found step", "not_found": "not-found step",
                            "target": "target node", "refused": "refused step", "no_handler": "no-handler step",
                            "overflow": "overflow step", "timezone": "time zone", "fields": "ticket fields",
                            "form": "ticket form"}
#: The stored weekday codes (common.schema.json weekday): a finding names them 周一 / Monday (FIELD_ZH / FIELD_EN).
WEEKDAY_CODES = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
TYPE_EN = {"integer": "a whole number", "number": "a number", "string": "text", "boolean": "yes or no",
           "object": "a group of settings", "array": "a list"}


@dataclass(frozen=True)
class Lexicon:
    """One language's words for findings: field titles, how a place is built, and each sentence by rule.

    The rules that recognise a finding are the same for every language (`_Words`); only these words differ."""

    fields: Callable[[str], str]
    types: Mapping[str, str]
    node: Callable[[str], str]             # a node named by its label
    join: Callable[[list[str]], str]       # a place from its parts, outermost first
    numbered: Callable[[str, int], str]    # "按键 6", "key 6"; "第 2 项" / "item 2" when the word is ""
    sentences: Mapping[str, str]
    count: Callable[[int], str] = str      # a number as the language writes it ("5000", "5,000")
    lang: str = "en"                       # which of wording_kinds' sentences

    def say(self, rule: str, **values: str) -> str:
        text = self.sentences[rule].format(**values)
        return text[:1].upper() + text[1:]


def condition_words(rest: list[str], words: Lexicon) -> list[str]:
    """A place inside a condition (the parts after "when", its leaf left off) as the builder names it (fix-focus
    item 2): 条件组 2, 条件 1 / group 2, condition 1, never the stored all/any lists ("全部满足 2 › 任一满足 1")."""
    steps = [p for p in rest if p != "not"]
    out: list[str] = []
    for i in range(0, len(steps) - 1, 2):
        if steps[i] in ("all", "any") and steps[i + 1].isdigit():
            group = i + 2 < len(steps) and steps[i + 2] in ("all", "any")
            out.append(f"{words.sentences['cond-group' if group else 'cond-item']} {int(steps[i + 1]) + 1}")
    return out


def _zh_numbered(word: str, n: int) -> str:
    return f"{word} {n}" if word else f"第 {n} 项"


ZH = Lexicon(
    fields=lambda name: FIELD_ZH.get(name, name), types=TYPE_ZH, node=lambda label: f"「{label}」",
    join=lambda parts: _spaced("的".join(_spaced(p) for p in parts)), numbered=_zh_numbered, lang="zh",
    sentences={
        "key": "按键", "branch": "分支", "rule": "规则", "node": "节点", "document": "文档", "next": "下一步",
        "start": "起始节点", "node-place": "{node}节点",
        "no-target": "{node}节点没有指定{what}：把它连到一个节点",
        "no-prompt": "{node}节点缺少提示音：填写播报的文字，或选择一段录音",
        "node-missing": "{node}节点缺少「{field}」：在右侧属性面板中填写",
        "missing": "{place}缺少「{field}」：请填写",
        "no-condition": "{place}还没有条件：选择要判断的字段、比较方式和值（没有条件的分支不能发布）",
        "long-variable": "{place}太长了：变量名最多 {limit} 个字符，现有 {length} 个：请缩短",
        "no-field": "请选择字段：{place}还没有选择要比较的字段",
        "cond-group": "条件组", "cond-item": "条件",
        "bad-node-id": "节点编号「{key}」不可用：节点编号只能用字母、数字、下划线和 -，且以字母或下划线开头",
        "bad-key": "{node}的按键「{key}」不可用：按键只能是 0–9、* 或 #",
        "bad-name": "名称「{key}」不可用：名称只能用字母、数字、下划线和 -，且以字母或下划线开头",
        "bad-variable-name": "变量名「{key}」不可用：变量名只能用字母、数字和下划线，且不能以数字开头",
        "bad-target": "{place}指向「{value}」，这不是有效的节点编号：把它连到一个节点",
        "not-connected": "{place}还没有连接下一步：把它连到一个节点",
        "bad-format-name": "{place}的格式不对：只能用字母、数字、下划线和 -，且以字母或下划线开头",
        "bad-format-variable": "{place}的格式不对：变量名只能用字母、数字和下划线，且不能以数字开头",
        "bad-format": "{place}的格式不对：请按说明填写",
        "empty": "{place}不能为空：请填写",
        "empty-list": "{owner}还没有{items}：请添加至少一个{item}",
        "too-many-options": "{node}最多 {limit} 个按键选项，现在有 {length} 个：请删减多余的选项",
        "too-long": "{place}太长了：请缩短",
        "too-long-text": "{place}太长了：最多 {limit} 个字，现在有 {length} 个字：请缩短",
        "too-many-items": "{place}的项数太多了：最多 {limit} 项，现在有 {length} 项：请删减",
        "above": "{place}不能大于 {bound}",
        "below": "{place}不能小于 {bound}",
        "type": "{place}应为{type}",
        "not-listed": "{place}的取值无效：请从列表中选择",
        "not-listed-value": "{place}的取值「{value}」无效：请从列表中选择",
        "repeated-items": "{place}重复列出了{value}：删除重复的一项",
        "extra": "{place}不支持「{name}」：删除它",
        "no-words": "{place}需要播报的文字或一段录音",
        "to-nowhere": "{place}指向不存在的节点「{target}」：改为连到一个已有节点",
        "field-to-nowhere": "{field}指向的节点不存在：请选择一个已有节点",
        "unreachable": "{node}节点从起始节点和兜底节点都走不到，来电者永远不会经过这里：把它连到流程中，或删除它",
        "stage-direction": "{place}中括号里的「{words}」会被当作舞台说明，不会播报给来电者："
                           "要播报就去掉括号，等待音乐由交换机的等待音乐播放，不写在提示音里",
        "digits-range": "{node}的最少位数（{low}）大于最多位数（{high}），任何输入都不会被接受："
                        "把最少位数改小，或把最多位数改大",
        "score-range": "{node}的最低分（{low}）不低于最高分（{high}），打分没有范围：把最低分改小，或把最高分改大",
        "loop": "这几个节点连成了一个不需要来电者按键的循环，通话会一直困在里面：在循环中加入菜单或收号，或断开循环",
        "unknown-named": "{place}选择的「{name}」在本租户中不存在：从列表中选择一个已有的",
    })

def _one(plural: str) -> str:
    """One item of a list field, in English: "actions" → "action", "branches" → "branch" (as "action 2")."""
    if re.search(r"(ch|sh|x)es$", plural):
        return plural[:-2]
    return plural[:-1] if plural.endswith("s") and not plural.endswith("ss") else plural


#: Machine names (node ids, queues, fields: common.schema.json `name`) may hold "-"; variable names may not,
#: since templates read them as {{name}} and conditions as var.name (ivr schema `$defs/variable`).
_NAME_RULE_EN = "may contain only letters, digits, underscores and -, and starts with a letter or an underscore"
_VARIABLE_RULE_EN = "may contain only letters, digits and underscores, and may not start with a digit"
EN = Lexicon(
    fields=lambda name: FIELD_EN.get(name, name.replace("_", " ")), types=TYPE_EN, node=lambda label: f"“{label}”",
    join=lambda parts: " of ".join(reversed(parts)), numbered=lambda word, n: f"{_one(word) or 'item'} {n}",
    count=lambda n: f"{n:,}",
    sentences={
        "key": "key", "branch": "branch", "rule": "rule", "node": "node", "document": "the document",
        "next": "next step", "start": "the start node", "node-place": "node {node}",
        "no-target": "node {node} has no {what}: connect it to a node",
        "no-prompt": "node {node} has no prompt: type the text to play, or choose a recording",
        "node-missing": "node {node} is missing “{field}”: fill it in in the property panel on the right",
        "missing": "{place} is missing “{field}”: fill it in",
        "no-field": "Choose a field: {place} compares no field yet",
        "long-variable": "{place} is too long: a variable name has at most {limit} characters, this one has {length}",
        "cond-group": "group", "cond-item": "condition",
        "no-condition": "{place} has no condition yet: choose a field, a comparison and a value (a branch without "
                        "one cannot be published)",
        "bad-node-id": f"node ID “{{key}}” cannot be used: a node ID {_NAME_RULE_EN}",
        "bad-key": "key “{key}” of {node} cannot be used: a key is one of 0–9, * or #",
        "bad-name": f"name “{{key}}” cannot be used: a name {_NAME_RULE_EN}",
        "bad-variable-name": f"variable name “{{key}}” cannot be used: a variable name {_VARIABLE_RULE_EN}",
        "bad-target": "{place} points to “{value}”, which is not a valid node ID: connect it to a node",
        "not-connected": "{place} is not connected to a next step: connect it to a node",
        "bad-format-name": f"the format of {{place}} is wrong: it {_NAME_RULE_EN}",
        "bad-format-variable": f"the format of {{place}} is wrong: a variable name {_VARIABLE_RULE_EN}",
        "bad-format": "the format of {place} is wrong: follow the field's description",
        "empty": "{place} cannot be empty: fill it in",
        "empty-list": "{owner} has no {items} yet: add at least one {item}",
        "too-many-options": "{node} has too many options: at most {limit} options, it has {length}: remove the "
                            "extra ones",
        "too-long": "{place} is too long: shorten it",
        "too-long-text": "{place} is too long: at most {limit} characters, it has {length}: shorten it",
        "too-many-items": "{place} has too many items: at most {limit}, it has {length}: remove some",
        "above": "{place} cannot be more than {bound}",
        "below": "{place} cannot be less than {bound}",
        "type": "{place} should be {type}",
        "not-listed": "{place} has a value that is not offered: choose one from the list",
        "not-listed-value": "{place} has the value “{value}”, which is not offered: choose one from the list",
        "repeated-items": "{place} has {value} more than once: remove the repeat",
        "extra": "{place} does not take “{name}”: delete it",
        "no-words": "{place} needs text to play or a recording",
        "to-nowhere": "{place} points to node “{target}”, which does not exist: connect it to an existing node",
        "field-to-nowhere": "{field} points to a node that does not exist: choose an existing node",
        "unreachable": "node {node} cannot be reached from the start node or the fallback node, so no caller ever "
                       "gets there: connect it into the flow, or delete it",
        "stage-direction": "the bracketed “{words}” in {place} is taken for a stage direction and is not played to "
                           "callers: remove the brackets to have it played; hold music comes from the switch's "
                           "music on hold, not from the prompt",
        "digits-range": "the min digits ({low}) of {node} are more than its max digits ({high}), so no input "
                        "can ever be accepted: lower the min digits, or raise the max digits",
        "score-range": "the min score ({low}) of {node} is not below its max score ({high}), so the scale "
                       "has no range: lower the min score, or raise the max score",
        "loop": "these nodes form a loop that never asks the caller for input, so a call would be stuck in it: "
                "add a menu or a digit collection to the loop, or break it",
        "unknown-named": "{place} uses “{name}”, which does not exist in this tenant: choose an existing one from "
                         "the list",
    })


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


#: Characters of tenant text a finding quotes (a label's schema limit): past it the text is cut with "…", so an
#: over-long label cannot make every finding about its node that long (the designer shortens further on screen).
QUOTE_MAX = 200


def quoted(text: str) -> str:
    """Tenant text as a finding quotes it: whole up to QUOTE_MAX characters, else cut with an ellipsis."""
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX - 1] + "…"


def _parts(ptr: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]] if ptr else []


def _spaced(text: str) -> str:
    """A space after a trailing number, Latin word or keypad symbol before Chinese text follows ("按键 6 还没有",
    "按键 # 还没有": the keypad's * and # read like its digits)."""
    return text + " " if text and text[-1].isascii() and (text[-1].isalnum() or text[-1] in "*#") else text


class _Words:
    """Rewords one document's findings in one language (knows its nodes' labels)."""

    def __init__(self, kind: str, body: Any, words: Lexicon) -> None:
        self.kind = kind
        self.words = words
        self.body = body if isinstance(body, Mapping) else {}
        nodes = self.body.get("nodes")
        self.nodes: Mapping[str, Any] = nodes if isinstance(nodes, Mapping) else {}
        # Forms, rule sets and scripts name their statuses, fields, pages… by label (wording_kinds).
        shared = KindWords(kind, self.body, words.lang, lambda text: words.node(quoted(text)), words.join,
                           words.numbered, words.fields)
        self.kinds = None if kind == "ivr" else shared
        #: An IVR's calendar, condition, template and reference findings share the other kinds' sentences.
        self.shared = shared

    def field(self, name: str, parts: list[str] | None = None) -> str:
        """A field's name (of the object at parts: an action's parameter is named as its editor labels it)."""
        if self.kinds:
            return self.kinds.field(name, self.kinds.owner(parts) if parts is not None else None)
        return self.words.fields(name)

    def node(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        label = node.get("label") if isinstance(node, Mapping) else None
        return self.words.node(quoted(label if isinstance(label, str) and label else node_id))

    def where(self, rest: list[str]) -> list[str]:
        """A place inside a node, as the UI names it: 按键 6 / key 6, 分支 2 的下一步, 提示音."""
        w = self.words
        if len(rest) >= 2 and rest[0] == "options":
            return [f"{w.sentences['key']} {rest[1]}"]
        if len(rest) >= 2 and rest[0] == "branches" and rest[1].isdigit():
            return [w.numbered(w.sentences["branch"], int(rest[1]) + 1), *(w.fields(p) for p in rest[2:3])]
        return [w.fields(p) if not p.isdigit() else w.numbered("", int(p) + 1) for p in rest]

    def place(self, parts: list[str]) -> str:
        """Where a finding is, for any kind: 「主菜单」的按键 6 / key 6 of “Main menu”, 规则 2 的动作 1."""
        w = self.words
        if self.kinds:
            return self.kinds.place(parts)
        if len(parts) >= 2 and parts[0] == "nodes":
            rest = self.where(parts[2:])
            # Not `say`: the place is inside a sentence, so it keeps its lower case ("the number … of node “xfer”").
            return w.join([self.node(parts[1]), *rest]) if rest else w.sentences["node-place"].format(
                node=self.node(parts[1]))
        out: list[str] = []
        for i, part in enumerate(parts):
            if part.isdigit() and i:
                out[-1] = w.numbered(out[-1], int(part) + 1) if out else w.numbered("", int(part) + 1)
            else:
                out.append(w.sentences["rule"] if part == "rules" else w.fields(part))
        return w.join(out) or w.sentences["document"]

    def condition_place(self, parts: list[str]) -> str:
        """Where a comparison with no field is, as the builder shows it: 条件组 2 的条件 1 (fix-focus item 2)."""
        at = parts.index("when")
        words = condition_words(parts[at + 1:-1], self.words)
        # A branch's comparisons under its own name (分支 1), a rule's under the rule; a lone comparison is its 条件.
        owner = parts[:at] if words else parts[:at + 1]
        return self.words.join([self.place(owner), *words])

    @staticmethod
    def _branch(parts: list[str]) -> bool:
        """Whether parts point at a condition node's branch (nodes/<id>/branches/<n>)."""
        return len(parts) == 4 and parts[0] == "nodes" and parts[2] == "branches" and parts[3].isdigit()

    def repeated(self, message: str) -> str:
        """The items a list repeats, quoted; a weekday by its name (周一 / Monday), never its code (mon)."""
        try:
            items = ast.literal_eval(message[:message.index(" has non-unique elements")])
        except (ValueError, SyntaxError):
            return ""
        if not isinstance(items, list):
            return ""
        seen: set[str] = set()
        twice: list[str] = []
        for item in map(str, items):
            if item in seen and item not in twice:
                twice.append(item)
            seen.add(item)
        named = [quoted(self.words.fields(d) if d in WEEKDAY_CODES else d) for d in twice]
        return "、".join(f"「{n}」" for n in named) if self.words.lang == "zh" else ", ".join(f"“{n}”" for n in named)

    def reword(self, f: Finding) -> str | None:
        parts, msg, say = _parts(f.pointer), f.message, self.words.say
        in_node = len(parts) >= 2 and parts[0] == "nodes"
        last = parts[-1] if parts else ""
        value = re.match(r"^'(.*?)' ", msg)
        names_target = in_node and (last in target_fields() or (len(parts) == 4 and parts[2] == "options"))
        if f.code == "schema":
            missing = re.match(r"missing required property '([^']+)'", msg)
            if missing:
                name = missing.group(1)
                if in_node and len(parts) == 2:
                    node = self.node(parts[1])
                    if name in target_fields():
                        return say("no-target", node=node, what=self.words.fields(name))
                    if name == "prompt":
                        return say("no-prompt", node=node)
                    return say("node-missing", node=node, field=self.words.fields(name))
                if name == "when" and self._branch(parts):
                    return say("no-condition", place=self.place(parts))
                return say("missing", place=self.place(parts), field=self.field(name, parts))
            if last == "when" and msg.startswith("needs one of: all, any") and self._branch(parts[:-1]):
                return say("no-condition", place=self.place(parts[:-1]))
            if "is not allowed as a key here" in msg:
                if len(parts) == 2 and parts[0] == "nodes":
                    return say("bad-node-id", key=last)
                if len(parts) >= 2 and parts[-2] == "options":
                    return say("bad-key", node=self.node(parts[1]), key=last)
                if len(parts) >= 2 and parts[-2] in ("variables", "assign", "values"):
                    return say("bad-variable-name", key=last)
                return say("bad-name", key=last)
            if last == "field" and "when" in parts and msg.startswith("'' "):
                return say("no-field", place=self.condition_place(parts))
            place = self.place(parts)
            if names_target and (msg.startswith("'' ") or "is too short" in msg or "does not match" in msg):
                if value and value.group(1):
                    return say("bad-target", place=place, value=value.group(1))
                return say("not-connected", place=place)
            if "does not match" in msg:
                # A name of the right letters but too long (the pattern's {0,63}) is said as such (fix-focus item 4).
                cap = re.search(r"\]\{0,(\d+)\}\$'", msg)
                if cap and value and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value.group(1)) \
                        and len(value.group(1)) > int(cap.group(1)) + 1:
                    return say("long-variable", place=place, limit=str(int(cap.group(1)) + 1),
                               length=str(len(value.group(1))))
                if "[A-Za-z_]" not in msg:
                    return say("bad-format", place=place)
                return say("bad-format-name" if "_-]" in msg else "bad-format-variable", place=place)
            options = re.match(r"this menu has too many options \((\d+) options; the limit is (\d+)\)", msg)
            if options and in_node:
                return say("too-many-options", node=self.node(parts[1]),
                           length=self.words.count(int(options.group(1))), limit=options.group(2))
            if msg.startswith("[] should be non-empty") and len(parts) >= 2 and not last.isdigit():
                # "规则「投诉升级」还没有动作：请添加至少一个动作", not "…的动作不能为空：请填写": a list is added to.
                items = self.words.fields(last)
                item = items[:-1] if self.words.lang == "en" and items.endswith("s") else items
                return say("empty-list", owner=self.place(parts[:-1]), items=items, item=item)
            if re.search(r"is too short|should be non-empty|does not have enough properties", msg):
                return say("empty", place=place)
            longer = re.search(r"is too long \((\d+) characters; the limit is (\d+)\)", msg)
            if longer:
                return say("too-long-text", place=place, length=self.words.count(int(longer.group(1))),
                           limit=longer.group(2))
            items = re.search(r"has too many items \((\d+) items; the limit is (\d+)\)", msg)
            if items:
                return say("too-many-items", place=place, length=self.words.count(int(items.group(1))),
                           limit=items.group(2))
            if "is too long" in msg or "has too many properties" in msg:
                return say("too-long", place=place)
            bound = re.search(r"is (greater|less) than (?:or equal to )?the (?:maximum|minimum) of ([-\d.]+)", msg)
            if bound:
                return say("above" if bound.group(1) == "greater" else "below", place=place, bound=bound.group(2))
            typed = re.search(r"is not of type '(\w+)'", msg)
            if typed:
                return say("type", place=place, type=self.words.types.get(typed.group(1), typed.group(1)))
            if "is not one of" in msg:
                # The value the reader typed or pasted, quoted and bounded, so they see which one is wrong.
                offered = re.match(r"^'(.*?)'? is not one of|^(\S+) is not one of", msg, re.S)
                if offered:
                    return say("not-listed-value", place=place, value=quoted(offered.group(1) or offered.group(2)))
                return say("not-listed", place=place)
            if "has non-unique elements" in msg:
                return say("repeated-items", place=place, value=self.repeated(f.message))
            extra = re.match(r"property '([^']+)' is not allowed here", msg)
            if extra:
                return say("extra", place=self.place(parts[:-1]), name=extra.group(1))
            if msg.startswith("needs one of: text, audio"):
                return say("no-words", place=place)
            return None
        if self.kinds:
            return self.kinds.reword(f.code, parts, f.message)
        return self.lint(f, parts, in_node) or self.shared.reword(f.code, parts, f.message, where=self.place)

    def lint(self, f: Finding, parts: list[str], in_node: bool) -> str | None:
        say = self.words.say
        target = re.search(r"goes to node '([^']*)', which does not exist", f.message)
        if f.code == "unknown-target" and target and in_node:
            return say("to-nowhere", place=self.place(parts), target=target.group(1))
        if f.code == "unknown-target":
            return say("field-to-nowhere",
                       field=self.words.fields(parts[0]) if parts else self.words.sentences["start"])
        if f.code == "unreachable" and in_node:
            return say("unreachable", node=self.node(parts[1]))
        directions = re.search(r"the bracketed (.+) in this prompt is taken for a stage direction", f.message)
        if f.code == "stage-direction" and directions:
            return say("stage-direction", place=self.place(parts), words=directions.group(1))
        digits = re.search(r"wants at least (\d+) digits but at most (\d+)", f.message)
        if f.code == "bad-range" and digits and in_node:
            return say("digits-range", node=self.node(parts[1]), low=digits.group(1), high=digits.group(2))
        scores = re.search(r"has min_score (\d+) not below max_score (\d+)", f.message)
        if f.code == "bad-range" and scores and in_node:
            return say("score-range", node=self.node(parts[1]), low=scores.group(1), high=scores.group(2))
        if f.code == "input-free-loop":
            return say("loop")
        known = re.search(r"(?:queue|form|table|prompt|recorded prompt) '([^']+)' does not exist", f.message)
        if known and f.code.startswith("unknown-"):
            return say("unknown-named", place=self.place(parts), name=known.group(1))
        return None


#: Lint codes only an IVR has, said by a sentence of the Lexicon (the other codes are in wording_kinds.SENTENCES).
LINT_CODES_WORDED_BY_IVR = frozenset({"stage-direction"})

#: Each language's words; the rules are shared. A locale not here keeps the developers' English sentences.
_LOCALES: dict[str, Lexicon] = {"zh_CN": ZH, "en": EN}


def in_words(findings: Iterable[Finding], kind: str, body: Any, locale: str) -> list[Finding]:
    """The findings with messages in `locale`'s words where a rule knows them (pointer, code kept)."""
    from .places import place_of  # here, not at the top: places.py builds on this module's words

    words = _LOCALES.get(locale)
    if words is None:
        return list(findings)
    rewording = _Words(kind, body, words)
    out: list[Finding] = []
    for finding in findings:
        message = rewording.reword(finding)
        if not message:
            out.append(replace(finding, place=tuple(place_of(kind, body, finding.pointer, locale))))
            continue
        # A missing field is shown on that field (the English sentence named it; the Chinese one names its title).
        missing = re.match(r"missing required property '([^']+)'", finding.message)
        ptr = join(finding.pointer, missing.group(1)) if missing else finding.pointer
        out.append(replace(finding, message=message, pointer=ptr, place=tuple(place_of(kind, body, ptr, locale))))
    return out
