"""Where a finding is, in the reader's words (the findings panel's and the refused publish's place line): a form's
finding read "Schema › Properties › phone › Format" — JSON-Schema keywords in English even in Chinese, list items
counted from 0. The place names the form's field by its label, sections and list items by their labels or counted
from 1, in Chinese by default and in English when chosen, for every document kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.platform.findings import Finding
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.places import place_of
from hotline.platform.kinds.wording import in_words
from tests.platform.kinds.conftest import context_for, documents, load

FORM = {
    "title": "投诉",
    "schema": {"type": "object", "required": ["phone"], "properties": {
        "phone": {"type": "string", "title": "联系电话", "format": "email"},
        "kind": {"type": "string", "title": "投诉类型",
                 "oneOf": [{"const": "delay", "title": "派送延误"}, {"const": "lost", "title": "快件丢失"}]},
        "tags": {"type": "array", "title": "标签", "items": {"type": "string", "enum": ["a", "b", "c"]}},
    }},
    "ui": {"order": ["kind", "phone"], "fields": {"phone": {"widget": "phone"}}},
    "statuses": [{"name": "open", "label": "待处理", "color": "#ff0000", "initial": True},
                 {"name": "done", "label": "已完成", "color": "#00ff00", "final": True}],
    "transitions": [{"from": "open", "to": "done"}],
}

IVR = {
    "title": "主流程", "start": "main_menu", "fallback": "bye",
    "nodes": {
        "main_menu": {"type": "menu", "label": "主菜单", "prompt": {"text": "请按键"}, "options": {"9": "gone"},
                      "fallback": "bye"},
        "route": {"type": "condition", "label": "分流", "else": "bye",
                  "branches": [{"when": {"all": [{"field": "var.x", "op": "eq", "value": 1}]}, "next": "bye"}]},
        "bye": {"type": "hangup"},
        "find": {"type": "lookup", "label": "查运单", "source": "waybills", "key": "{{var.no}}",
                 "assign": {"status": "state", "name_1": "owner"}, "found": "bye", "not_found": "bye"},
    },
}

DISPATCH = {"title": "规则", "rules": [
    {"name": "vip", "label": "投诉升级", "event": "ticket.created",
     "actions": [{"type": "notify", "to": "x"}, {"type": "assign", "name": "组"}]},
    {"event": "ticket.created", "actions": []},
]}

OUTBOUND = {"title": "回访", "start": "greeting", "pages": {
    "greeting": {"title": "开场确认", "say": "您好", "questions": [
        {"name": "reached", "label": "接听人", "type": "choice",
         "options": [{"value": "self", "label": "客户本人"}, {"value": "other"}]}]}},
    "dispositions": [{"code": "ok", "label": "成功"}]}

PLACES = [
    # A form's field by its label, then what in it, in words.
    ("form", FORM, "/schema/properties/phone/format", ["「联系电话」字段", "格式"], ["the “联系电话” field", "format"]),
    ("form", FORM, "/schema/properties/phone", ["「联系电话」字段"], ["the “联系电话” field"]),
    # A field's bounds by the form editor's own labels (最少字数, not 最短长度).
    ("form", FORM, "/schema/properties/phone/minLength", ["「联系电话」字段", "最少字数"],
     ["the “联系电话” field", "minimum length"]),
    ("form", FORM, "/schema/properties/phone/maxLength", ["「联系电话」字段", "最多字数"],
     ["the “联系电话” field", "maximum length"]),
    ("form", FORM, "/schema/properties/tags/minItems", ["「标签」字段", "至少选择"],
     ["the “标签” field", "choose at least"]),
    ("form", FORM, "/schema/properties/tags/maxItems", ["「标签」字段", "至多选择"],
     ["the “标签” field", "choose at most"]),
    ("form", FORM, "/schema/properties/kind/oneOf/1/title",
     ["「投诉类型」字段", "「快件丢失」选项", "标题"], ["the “投诉类型” field", "the “快件丢失” option", "title"]),
    ("form", FORM, "/schema/properties/tags/items/enum/2", ["「标签」字段", "选项 3"],
     ["the “标签” field", "choice 3"]),
    ("form", FORM, "/schema/required/0", ["必填字段", "「联系电话」字段"], ["required fields", "the “联系电话” field"]),
    ("form", FORM, "/ui/fields/phone/widget", ["「联系电话」字段", "控件"], ["the “联系电话” field", "widget"]),
    ("form", FORM, "/statuses/1/color", ["「已完成」状态", "颜色"], ["the “已完成” state", "color"]),
    ("form", FORM, "/transitions/0", ["「待处理 → 已完成」流转"], ["the “待处理 → 已完成” state change"]),
    # An IVR's node by its label (and its id, which the designer shows), a key as pressed, lists counted from 1.
    ("ivr", IVR, "/nodes/main_menu/options/9", ["主菜单 (main_menu)", "按键 9"], ["主菜单 (main_menu)", "key 9"]),
    ("ivr", IVR, "/nodes/route/branches/0/when/all/0/value",
     ["分流 (route)", "分支 1", "条件", "条件 1", "取值"],
     ["分流 (route)", "branch 1", "condition", "condition 1", "value"]),
    ("ivr", IVR, "/nodes/bye", ["bye"], ["bye"]),
    # A lookup's result row counted from 1 with the variable it sets, not the automatic key alone.
    ("ivr", IVR, "/nodes/find/assign/name_1", ["查运单 (find)", "结果赋值", "第 2 行（变量 name_1）"],
     ["查运单 (find)", "result variables", "row 2 (variable name_1)"]),
    ("ivr", IVR, "/start", ["起始节点"], ["start node"]),
    # A rule by its label, else counted; an action counted from 1.
    ("dispatch", DISPATCH, "/rules/0/actions/1/name",
     ["「投诉升级」规则", "动作 2", "小组、座席或部门名称"],
     ["the “投诉升级” rule", "action 2", "Group, agent or department"]),
    ("dispatch", DISPATCH, "/rules/1/actions", ["规则 2", "动作"], ["rule 2", "actions"]),
    # A page by its title, a question and an option by their labels.
    ("outbound", OUTBOUND, "/pages/greeting/questions/0/options/1/value",
     ["「开场确认」页面", "「接听人」问题", "选项 2", "取值"],
     ["the “开场确认” page", "the “接听人” question", "option 2", "value"]),
    ("outbound", OUTBOUND, "/dispositions/0/code", ["「成功」结果分类", "编号"], ["the “成功” disposition", "code"]),
]


@pytest.mark.parametrize(("kind", "body", "pointer", "zh", "en"), PLACES, ids=[p[2] for p in PLACES])
def test_a_place_names_things_by_their_labels_and_counts_from_one(
        kind: str, body: dict, pointer: str, zh: list[str], en: list[str]) -> None:
    assert place_of(kind, body, pointer, "zh_CN") == zh
    assert place_of(kind, body, pointer, "en") == en


def test_the_whole_document_is_said_in_words() -> None:
    assert place_of("form", FORM, "", "zh_CN") == ["文档"]
    assert place_of("form", FORM, "", "en") == ["the document"]


def test_a_worded_finding_carries_its_place_for_the_designer() -> None:
    finding = Finding("/schema/properties/phone/format", "error", "'x' is not one of ['email']")
    zh, = in_words([finding], "form", FORM, "zh_CN")
    assert zh.place == ("「联系电话」字段", "格式")
    assert zh.as_dict()["place"] == ["「联系电话」字段", "格式"]
    en, = in_words([finding], "form", FORM, "en")
    assert en.as_dict()["place"] == ["the “联系电话” field", "format"]


#: What a place line must never show: JSON-Schema structure words, a stored key with an underscore, a JSON Pointer
#: segment, or a list index counted from 0 (the bare index "0" or a number straight after a structure word).
RAW = re.compile(r"\b(?:properties|items|allOf|anyOf|oneOf|\$defs|\$ref|minLength|maxLength|minItems|maxItems|"
                 r"enum|schema|statuses|transitions|[a-z]+_[a-z_]+)\b|/|^0$")
QUOTED = re.compile(r"「[^」]*」|“[^”]*”|^.+ \([a-z0-9_]+\)$")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", [*documents("bad", "ivr"), *documents("bad", "form"), *documents("bad", "dispatch"),
                                  *documents("bad", "outbound")], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_place_of_any_bad_document_shows_a_pointer_segment(path: Path, lang: str) -> None:
    document = load(path)
    kind, body = document["kind"], document["body"]
    for finding in in_words(check(kind, body, context_for(document), document.get("source")), kind, body, lang):
        assert finding.place, finding
        named_node = kind == "ivr" and finding.pointer.startswith("/nodes/")
        for part in finding.place[1:] if named_node else finding.place:  # a node's id is shown beside its label
            said = QUOTED.sub("", part)
            assert not RAW.search(said), (finding.pointer, finding.place)
