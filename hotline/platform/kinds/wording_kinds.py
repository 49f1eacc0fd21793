"""Findings of forms, dispatch rules and outbound scripts in an analyst's words (QA 16: a form's findings read
"schema", "statuses", "transitions" and quoted codes, while IVR findings already named nodes by their labels).

`wording.py` rewords IVR findings and the schema's generic ones; this module adds, for the other three kinds, the
places (a status, a field, a page, a question, a disposition, a rule named by its label, lists counted from 1) and
one sentence per lint code saying what is wrong and how to fix it. The lint's own English sentences stay the
developers' (CLI without --lang, logs); the pointer, severity and code never change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

#: Titles of the fields of forms, rules and scripts, per language (a field not here is left to wording.py).
FIELDS: dict[str, dict[str, str]] = {
    "zh": {"schema": "字段定义", "statuses": "状态", "transitions": "流转", "required": "必填字段",
           "ui": "显示设置", "order": "字段顺序", "widget": "控件", "directory": "名录", "searchable": "可搜索字段",
           "summary": "摘要", "sla": "时限", "first_response_minutes": "首次响应时限（分钟）",
           "resolution_minutes": "解决时限（分钟）", "response": "响应", "urge_open": "催办字段", "default": "默认值",
           "enum": "选项", "oneOf": "选项", "minLength": "最少字数", "maxLength": "最多字数", "minimum": "最小值",
           "maximum": "最大值", "minItems": "至少选择", "maxItems": "至多选择", "const": "取值",
           "initial": "初始", "final": "结束", "from": "起点状态", "to": "终点状态", "pages": "页面",
           "start": "起始页面", "dispositions": "结果分类", "dialing": "拨打策略", "windows": "拨打时段",
           "days": "星期", "timezone": "时区", "retries": "重拨设置", "max_abandon_rate": "最大放弃率",
           "create_ticket": "生成工单", "on": "生成工单的结果分类", "all": "全部满足", "any": "任一满足",
           "not": "不满足", "questions": "问题", "min": "最小值",
           "max": "最大值", "digit": "按键", "disposition": "结果分类", "say": "话术", "next": "下一页",
           "value": "取值", "code": "编号", "rules": "规则", "actions": "动作", "when": "条件", "field": "字段",
           "address_field": "地址字段", "phone_field": "电话字段", "status": "状态", "forms": "适用表单",
           "script": "外呼脚本", "subject": "主题", "type": "类型", "event": "事件", "options": "选项",
           "branches": "分支", "name": "编号", "label": "名称", "title": "标题"},
    "en": {"schema": "fields", "statuses": "workflow states", "transitions": "state changes",
           "required": "required fields", "ui": "display settings", "order": "field order", "searchable":
           "search fields", "sla": "service levels", "first_response_minutes": "first response time (minutes)",
           "resolution_minutes": "resolution time (minutes)", "urge_open": "urge field", "default": "default value",
           "enum": "choices", "oneOf": "choices", "minLength": "minimum length", "maxLength": "maximum length",
           "minimum": "minimum", "maximum": "maximum", "minItems": "choose at least", "maxItems": "choose at most",
           "const": "value", "from": "from state", "to": "to state", "start": "start page",
           "dialing": "dialing policy", "windows": "call windows", "timezone": "time zone",
           "retries": "redial settings",
           "max_abandon_rate": "max abandon rate", "create_ticket": "ticket creation",
           "on": "the dispositions that create a ticket", "all": "all-of list", "any": "any-of list",
           "not": "none-of condition", "say": "script", "next": "next page",
           "address_field": "address field", "phone_field": "phone field", "forms": "forms",
           "script": "outbound script", "when": "condition", "name": "code", "code": "code"},
}

#: A thing named by its label: 状态「待处理」/ state “Open”.
NOUNS: dict[str, dict[str, str]] = {
    "zh": {"status": "状态", "field": "字段", "transition": "流转", "page": "页面", "question": "问题",
           "option": "选项", "disposition": "结果分类", "rule": "规则", "action": "动作", "window": "拨打时段",
           "branch": "分支"},
    "en": {"status": "state", "field": "field", "transition": "state change", "page": "page",
           "question": "question", "option": "option", "disposition": "disposition", "rule": "rule",
           "action": "action", "window": "call window", "branch": "branch"},
}
#: List fields whose items are named (by label, title or name) or counted, and the noun of one item.
_LISTS = {"statuses": "status", "transitions": "transition", "dispositions": "disposition", "questions": "question",
          "options": "option", "rules": "rule", "actions": "action", "windows": "window", "branches": "branch"}

#: code → the sentence per language. {place}: where, named; {name}: the name the lint quoted; {a}, {b}: numbers.
#: The bounded call fields (context.CALL_BOUNDS) as the condition builder names them.
_BOUNDED_FIELDS: dict[str, tuple[str, str]] = {"call.hour": ("当前小时", "Hour")}

#: A range's limits by the keyword of its lower one (the form editor's titles), "" for any other range.
_RANGE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "zh": {"minLength": ("最少字数", "最多字数"), "minItems": ("至少选择的项数", "至多选择的项数"),
           "": ("最小值", "最大值")},
    "en": {"minLength": ("minimum length", "maximum length"),
           "minItems": ("minimum number of choices", "maximum number of choices"), "": ("minimum", "maximum")},
}

SENTENCES: dict[str, dict[str, str]] = {
    "zh": {
        "bad-default": "{place}的默认值「{name}」不是这个字段可取的值：改为一个可选的值，或删除默认值",
        "bad-option": "{place}与字段的类型不同，永远选不到：改成与字段相同的类型",
        "duplicate-option": "{place}的取值「{name}」重复了：删除或改掉重复的一项",
        "bad-range": "{place}的{low}（{a}）大于{high}（{b}），任何取值都不合格：把{low}改小，或把{high}改大",
        "bad-widget": "{place}不能用这个控件显示，或控件缺少可选项：换一个控件，或给字段加上选项",
        "unknown-named": "{place}选择的「{name}」在本租户中不存在：从列表中选择一个已有的",
        "dead-end-status": "{place}不是结束状态，却没有流转可以离开，工单会卡在这里：加一个流转，或把它设为结束状态",
        "duplicate-status": "{place}的编号「{name}」已被另一个状态使用：改用另一个编号",
        "no-initial-status": "没有标为初始的状态，新工单没有状态：把一个状态设为初始",
        "multiple-initial-statuses": "{place}和「{b}」都标为初始状态：只保留一个",
        "no-final-status": "没有结束状态，工单永远无法关闭：把至少一个状态设为结束",
        "unreachable-status": "{place}从初始状态经任何流转都到不了：加一个到它的流转，或删除它",
        "duplicate-transition": "{place}重复了：删除这一条",
        "final-status-transition": "{place}从结束状态「{name}」出发，结束的工单不应再流转：删除这一条，或取消结束",
        "unknown-status": "{place}用到的状态「{name}」不存在：从已有的状态中选择",
        "unknown-status-listed": "{place}中的状态「{name}」不存在：从已有的状态中选择",
        "unknown-field-listed": "{place}中的字段「{name}」不存在：从已有的字段中选择",
        "unknown-named-listed": "{place}中的「{name}」在本租户中不存在：从列表中选择一个已有的",
        "unknown-disposition-listed": "{place}中的结果分类「{name}」不存在：从已有的结果分类中选择",
        "bad-sla": "首次响应时限（{a} 分钟）晚于解决时限（{b} 分钟）：把首次响应时限改短",
        "unknown-field": "{place}用到的「{name}」不存在：从已有的字段中选择",
        "urge-open": "{place}必须是可搜索字段之一（未结工单靠它查找）：先把它加入可搜索字段",
        "initial-response": "{place}是初始状态，每张工单一开始就在这里，不能算作已响应：选择其他状态",
        "duplicate-key": "{place}写了两次，后一个会覆盖前一个：删除重复的一项",
        "template-error": "{place}的变量写法有误：检查 {{{{ }}}} 是否成对、变量名是否正确",
        "template-unbounded": "{place}的写法会生成过长的文字：简化它",
        "undefined-variable": "{place}用到的变量「{name}」没有定义：改用已有的变量或字段",
        "value-out-of-bounds": "{place}把「{name}」与 {value} 比较，超出 {a}–{b} 的范围，永远不会成立："
                               "改为 {a}–{b} 之间的值",
        "empty-prompt": "{place}是空的，又没有录音，来电者会听到一片静音：填写要播报的文字，或选择一段录音",
        "no-calendar": "{place}没有自己的营业日历，租户也没有设置营业日历，分不出营业和非营业时间：设置营业日历",
        "transfer-not-allowed": "{place}的号码「{name}」不在租户允许转接的号码中：改用允许的号码，或请管理员添加",
        "unavailable-operand": "{place}用到的「{name}」在这里读不到：改用这里可用的数据",
        "operand-not-for-event": "{place}用到的「{name}」在这个事件中没有：换一个条件，或换一个事件",
        "action-not-for-event": "{place}在这个事件中无法执行（事件没有通话或工单）：换一个动作，或换一个事件",
        "forms-not-for-event": "{place}对这个事件无效（事件没有工单）：删除适用表单，或换一个事件",
        "duplicate-rule": "{place}的编号「{name}」已被另一条规则使用：改用另一个编号",
        "not-an-option": "{place}的条件把字段「{field}」与「{value}」比较，但「{value}」不是它的选项"
                         "（{options}）：从这些选项中选择",
        "shadowed-rule": "{place}永远不会执行：前面的规则「{b}」事件相同、没有条件且会停止："
                         "调整顺序，或给前面的规则加条件",
        "dead-end": "{place}结束时没有结果分类（没有下一页也没有设置结果）：设置下一页，或设置结果分类",
        "unreachable": "{place}从起始页面走不到：把它连入流程，或删除它",
        "unknown-target": "{place}指向的页面「{name}」不存在：选择一个已有的页面",
        "unknown-disposition": "{place}用到的结果分类「{name}」不存在：从已有的结果分类中选择",
        "duplicate-disposition": "{place}的编号「{name}」重复了：改用另一个编号",
        "duplicate-digit": "{place}的按键和前面的选项相同：换一个按键",
        "duplicate-question": "{place}的编号「{name}」在另一页已用过，两个答案会互相覆盖：改用另一个编号",
        "not-for-agentless": "{place}无法在无坐席模式下用按键回答：改成选择题并给每个选项设按键，或换拨打方式",
        "zero-abandon-rate": "预测式拨打的最大放弃率为 0，无法提前拨号：改用渐进式拨打，或放宽放弃率",
        "retries-exceed-cap": "重拨设置合计超过每个联系人的最多拨打次数，以后者为准：减少重拨次数，或调高上限",
        "bad-timezone": "{place}的时区「{name}」不是有效的时区名称：选择一个时区，例如 Asia/Shanghai",
        "empty-window": "{place}永远不会开放（没有星期，或开始不早于结束）：选择星期，并让开始早于结束",
        "ticket-never-created": "没有哪个结果分类会生成工单：在生成工单的结果分类中选择至少一个",
        "always-closed": "{place}每周都不营业，日历永远是关闭的：设置营业时间",
        "conflicting-day": "{place}同时是节假日和调休工作日，以节假日为准：删除其中一个",
        "bad-field-schema": "{place}的字段定义无效：检查字段的类型和取值范围",
        "lookup-webhook-no-error": "{place}没有设置：外部系统出错或超时时，来电者会被送到兜底节点："
                                   "把它连到一个排队节点，让来电者能转到坐席",
        "too-many-to-try": "规则有 {a} 条，试运行最多 {b} 条：删减或合并规则，才能试运行",
        "input-free-loop": "这几个页面连成了一个不提问的循环，通话会一直困在里面：在循环中加一个问题，或断开循环",
    },
    "en": {
        "bad-default": "the default value “{name}” of {place} is not a value the field can take: choose one it offers, "
                       "or remove the default",
        "bad-option": "{place} is not of the field's type, so it can never be chosen: give it the field's type",
        "duplicate-option": "the value “{name}” of {place} is listed twice: remove or change the repeated one",
        "bad-range": "the {low} ({a}) of {place} is above its {high} ({b}), so no value is valid: lower the "
                     "{low}, or raise the {high}",
        "bad-widget": "{place} cannot be shown with this control, or the control has no choices: choose another "
                      "control, or give the field choices",
        "unknown-named": "{place} uses “{name}”, which does not exist in this tenant: choose an existing one from "
                         "the list",
        "dead-end-status": "{place} is not final but no state change leaves it, so tickets get stuck there: add a "
                           "state change out of it, or mark it final",
        "duplicate-status": "the code “{name}” of {place} is used by another state: give it another code",
        "no-initial-status": "no state is marked initial, so new tickets have no state: mark one state initial",
        "multiple-initial-statuses": "{place} and “{b}” are both marked initial: keep only one",
        "no-final-status": "no state is marked final, so tickets can never be closed: mark at least one final",
        "unreachable-status": "{place} cannot be reached from the initial state by any state change: add a state "
                              "change into it, or delete it",
        "duplicate-transition": "{place} is listed twice: delete this one",
        "final-status-transition": "{place} leaves the final state “{name}”, and closed tickets should not move: "
                                   "delete it, or unmark the state final",
        "unknown-status": "{place} uses the state “{name}”, which does not exist: choose an existing state",
        "unknown-status-listed": "the state “{name}” in {place} does not exist: choose an existing state",
        "unknown-field-listed": "the field “{name}” in {place} does not exist: choose an existing field",
        "unknown-named-listed": "“{name}” in {place} does not exist in this tenant: choose an existing one "
                                "from the list",
        "unknown-disposition-listed": "the disposition “{name}” in {place} does not exist: choose an existing one",
        "bad-sla": "the first response time ({a} minutes) is later than the resolution time ({b} minutes): shorten "
                   "the first response time",
        "unknown-field": "{place} uses “{name}”, which does not exist: choose an existing field",
        "urge-open": "{place} must be one of the search fields (open tickets are found by them): add it to the "
                     "search fields first",
        "initial-response": "{place} is the initial state, where every ticket starts, so it cannot mean someone "
                            "responded: choose another state",
        "duplicate-key": "{place} is written twice and the second one wins: delete the repeated one",
        "template-error": "the variables in {place} are written wrongly: check that every {{{{ has its }}}} and the "
                          "names are right",
        "template-unbounded": "{place} would produce an over-long text: simplify it",
        "value-out-of-bounds": "{place} compares “{name}” with {value}, outside {a}–{b}, so it never holds: use a "
                               "value from {a} to {b}",
        "undefined-variable": "{place} uses the variable “{name}”, which is not defined: use an existing variable "
                              "or field",
        "empty-prompt": "{place} is blank and there is no recording, so the caller would hear silence: type the "
                        "text to play, or choose a recording",
        "no-calendar": "{place} has no calendar of its own and the tenant has no business calendar, so open and "
                       "closed cannot be told apart: set a business calendar",
        "transfer-not-allowed": "the number “{name}” of {place} is not one of the tenant's allowed transfer "
                                "numbers: use an allowed number, or ask an administrator to add it",
        "unavailable-operand": "{place} uses “{name}”, which cannot be read here: use data available here",
        "operand-not-for-event": "{place} uses “{name}”, which this event does not carry: choose another condition "
                                 "or event",
        "action-not-for-event": "{place} cannot run on this event (it has no call or no ticket): choose another "
                                "action or event",
        "forms-not-for-event": "{place} does not apply to this event (it has no ticket): remove the forms, or choose "
                               "another event",
        "duplicate-rule": "the code “{name}” of {place} is used by another rule: give it another code",
        "not-an-option": "the condition of {place} compares the field “{field}” to “{value}”, which is not one of "
                         "its options ({options}): choose one of them",
        "shadowed-rule": "{place} never runs: rule “{b}” before it has the same event, no condition and stops: "
                         "reorder them, or give the earlier rule a condition",
        "dead-end": "{place} ends the call without a disposition (no next page, no disposition): set a next page "
                    "or a disposition",
        "unreachable": "{place} cannot be reached from the start page: connect it into the flow, or delete it",
        "unknown-target": "{place} points to the page “{name}”, which does not exist: choose an existing page",
        "unknown-disposition": "{place} uses the disposition “{name}”, which does not exist: choose an existing one",
        "duplicate-disposition": "the code “{name}” of {place} is used twice: give it another code",
        "duplicate-digit": "the key of {place} is already used by an earlier option: choose another key",
        "duplicate-question": "the code “{name}” of {place} is used on another page, so the answers would "
                              "overwrite each other: give it another code",
        "not-for-agentless": "{place} cannot be answered on the keypad in agentless mode: make it a choice with a "
                             "key per option, or change the dialing mode",
        "zero-abandon-rate": "predictive dialing with a max abandon rate of 0 cannot dial ahead: use progressive "
                             "mode, or allow some abandons",
        "retries-exceed-cap": "the redial settings allow more attempts than the cap per contact, and the cap wins: "
                              "lower the redials, or raise the cap",
        "bad-timezone": "the time zone “{name}” of {place} is not a time zone name: choose one, for example "
                        "Asia/Shanghai",
        "empty-window": "{place} never opens (no days, or its start is not before its end): choose days and make "
                        "the start earlier than the end",
        "ticket-never-created": "no disposition creates a ticket: choose at least one for ticket creation",
        "always-closed": "{place} opens on no day, so the calendar is always closed: set the opening hours",
        "conflicting-day": "{place} is both a holiday and a make-up workday; the holiday wins: remove one of them",
        "bad-field-schema": "the field definitions of {place} are not valid: check the fields' types and ranges",
        "lookup-webhook-no-error": "{place} is not set, so when the tracking system fails or times out the caller "
                                   "goes to the fallback node: connect it to a queue node so the caller reaches an "
                                   "agent",
        "too-many-to-try": "there are {a} rules and a dry run takes at most {b}: remove or merge rules to try "
                           "them",
        "input-free-loop": "these pages form a loop that asks no question, so a call would be stuck in it: add a "
                           "question to the loop, or break it",
    },
}

#: Codes whose sentence names the pointer's last field itself ("the default value “gas” of field “Kind”"), so the
#: place stops before it (else "的默认值的默认值").
_SAYS_LAST = frozenset({
    "bad-default", "duplicate-option", "duplicate-status", "duplicate-rule", "duplicate-disposition",
    "duplicate-question", "duplicate-digit", "multiple-initial-statuses", "final-status-transition", "bad-widget",
    "action-not-for-event", "not-for-agentless", "empty-window", "bad-range", "bad-timezone", "transfer-not-allowed"})

#: Fields whose title already names the field before them, so the place skips that one ("the dispositions that
#: create a ticket", not "… of ticket creation"; "required fields", not "required fields of fields").
_SKIPPED_BEFORE = {("create_ticket", "on"), ("schema", "required")}

#: Codes of a name the tenant lacks, all said by the one "unknown-named" sentence (a queue, a form, a recording…).
NAMED_CODES = frozenset({"unknown-queue", "unknown-form", "unknown-table", "unknown-prompt", "unknown-directory",
                         "unknown-skill", "unknown-script"})

_UNKNOWN = re.compile(r"^(?:queue|form|table|prompt|recorded prompt|directory|skill|outbound script) '([^']+)' "
                      "does not exist")


def _label(item: Any, *keys: str) -> str | None:
    if not isinstance(item, Mapping):
        return None
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return None


#: An action's parameters as the dispatch editor labels them (frontend ParamInput.tsx PARAM_LABELS and its
#: Chinese in editors/strings.ts; tests/platform/kinds/test_action_param_labels.py keeps the two equal).
#: "<action>.<parameter>" wins over "<parameter>", as in the editor.
ACTION_PARAMS: dict[str, dict[str, str]] = {
    "queue": {"en": "Queue", "zh": "队列"},
    "priority": {"en": "Priority (0-9)", "zh": "优先级（0-9）"},
    "skills": {"en": "Required skills", "zh": "所需技能"},
    "after_seconds": {"en": "After (seconds)", "zh": "等待秒数"},
    "to": {"en": "To", "zh": "到"},
    "target": {"en": "Assign to", "zh": "分派给"},
    "name": {"en": "Name", "zh": "名称"},
    "directory": {"en": "Directory", "zh": "通讯录"},
    "address_field": {"en": "Address field", "zh": "地址字段"},
    "name_field": {"en": "Fill the name into", "zh": "姓名填入字段"},
    "phone_field": {"en": "Fill the phone into", "zh": "电话填入字段"},
    "notify": {"en": "Notify by SMS", "zh": "短信通知"},
    "text": {"en": "Message", "zh": "消息内容"},
    "channel": {"en": "Channel", "zh": "渠道"},
    "subject": {"en": "Subject", "zh": "主题"},
    "level": {"en": "Escalation level", "zh": "升级级别"},
    "note": {"en": "Note", "zh": "备注"},
    "fields": {"en": "Set fields", "zh": "设置字段"},
    "status": {"en": "New status", "zh": "新状态"},
    "after_minutes": {"en": "After (minutes)", "zh": "延后分钟数"},
    "script": {"en": "Outbound script", "zh": "外呼脚本"},
    "escalate.target": {"en": "Escalate to", "zh": "升级给"},
    "assign.name": {"en": "Group, agent or department", "zh": "小组、座席或部门名称"},
    "escalate.name": {"en": "Group, agent or department", "zh": "小组、座席或部门名称"},
    "notify.to": {"en": "Recipient (phone, e-mail or web address)", "zh": "接收方（手机号、邮箱或网址）"},
    "overflow.to": {"en": "Move the call to", "zh": "转到"},
    "schedule_callback.queue": {"en": "Callback queue", "zh": "回呼队列"},
}


class KindWords:
    """Places and sentences of one form, rule set or outbound script in one language."""

    def __init__(self, kind: str, body: Mapping[str, Any], lang: str, quote: Callable[[str], str],
                 join: Callable[[list[str]], str], numbered: Callable[[str, int], str],
                 fields: Callable[[str], str]) -> None:
        self.kind, self.body, self.lang = kind, body, lang
        self.quote, self.join, self.numbered, self.base_fields = quote, join, numbered, fields
        #: Labels the sentence quotes itself, so a list item with that label is counted instead of named
        #: (not "the code “vip” of rule “vip”" when the rule has no label but its code).
        self.unnamed: frozenset[str] = frozenset()

    def field(self, name: str, owner: Any = None) -> str:
        """A field's name; an action's parameter (owner: the action) by the editor's own label."""
        if self.kind == "dispatch" and isinstance(owner, Mapping) and isinstance(owner.get("type"), str):
            label = ACTION_PARAMS.get(f"{owner['type']}.{name}") or ACTION_PARAMS.get(name)
            if label:
                return label[self.lang]
        return FIELDS[self.lang].get(name) or self.base_fields(name)

    def owner(self, parts: list[str]) -> Any:
        """The object at parts in the body (None when the path leaves it)."""
        here: Any = self.body
        for part in parts:
            if isinstance(here, Mapping):
                here = here.get(part)
            elif isinstance(here, list) and part.isdigit() and int(part) < len(here):
                here = here[int(part)]
            else:
                return None
        return here

    def named(self, noun: str, label: str) -> str:
        word = NOUNS[self.lang][noun]
        return f"{word}{self.quote(label)}" if self.lang == "zh" else f"{word} {self.quote(label)}"

    def _field_title(self, name: str) -> str:
        props = (self.body.get("schema") or {}).get("properties") if self.kind == "form" else None
        field = props.get(name) if isinstance(props, Mapping) else None
        return _label(field, "title") or name

    def _status_label(self, name: Any) -> str:
        for status in self.body.get("statuses") or []:
            if isinstance(status, Mapping) and status.get("name") == name:
                return _label(status, "label", "name") or str(name)
        return str(name)

    #: List fields whose items are named or counted (places.py's place line adds a form field's choices).
    lists: Mapping[str, str] = _LISTS
    #: Whether an item of a list of a form's field names (required fields, field order) is named as that field.
    names_listed_fields = False
    #: Keywords that only carry structure and are left out of a place (places.py: a field's "items").
    structural: frozenset[str] = frozenset()

    def label_keys(self, items: str) -> tuple[str, ...]:
        """The keys that name an item of the list field `items`, first found wins."""
        return ("label", "title", "name")

    def place(self, parts: list[str]) -> str:
        """Where a finding is: 状态「待处理」, 字段「运单号」的控件, 页面「开场白」的问题「满意吗」."""
        out = self.place_parts(parts)
        if out:
            return self.join(out)
        return "文档" if self.lang == "zh" else "the document"

    def place_parts(self, parts: list[str]) -> list[str]:
        """The place's parts, outermost first (a list item counted from 1 joined to its list's part)."""
        out: list[str] = []
        here: Any = self.body
        i = 0
        while i < len(parts):
            part, nxt = parts[i], parts[i + 1] if i + 1 < len(parts) else None
            field_map = part in ("schema", "ui") and nxt in ("properties", "fields")
            if self.kind == "form" and field_map and i + 2 < len(parts):
                name = parts[i + 2]
                out.append(self.named("field", self._field_title(name)))
                here = here.get(part, {}).get(nxt, {}).get(name) if isinstance(here, Mapping) else None
                i += 3
                continue
            if self.kind == "form" and field_map:  # the field map itself: "display settings", not "… of fields"
                out.append(self.field(part))
                here, i = None, i + 2
                continue
            if part == "pages" and nxt is not None and self.kind == "outbound":
                page = (self.body.get("pages") or {}).get(nxt)
                out.append(self.named("page", _label(page, "title") or nxt))
                here, i = page, i + 2
                continue
            if part == "fields" and nxt is not None and not nxt.isdigit():
                out.append(self.named("field", nxt))
                here, i = None, i + 2
                continue
            if part in self.structural:
                here, i = here.get(part) if isinstance(here, Mapping) else None, i + 1
                continue
            if part in self.lists and nxt is not None and nxt.isdigit():
                items = here.get(part) if isinstance(here, Mapping) else None
                item = items[int(nxt)] if isinstance(items, list) and int(nxt) < len(items) else None
                if part == "transitions" and isinstance(item, Mapping):
                    label = f"{self._status_label(item.get('from'))} → {self._status_label(item.get('to'))}"
                else:
                    label = _label(item, *self.label_keys(part))
                noun = self.lists[part]
                named = label and label not in self.unnamed
                out.append(self.named(noun, label) if named else self.numbered(NOUNS[self.lang][noun], int(nxt) + 1))
                here, i = item, i + 2
                continue
            if (part, nxt) in _SKIPPED_BEFORE:
                here, i = here.get(part) if isinstance(here, Mapping) else None, i + 1
                continue
            if part.isdigit() and self.names_listed_fields and self._is_field(here, part):
                out.append(self.named("field", self._field_title(here[int(part)])))
                here, i = None, i + 1
                continue
            if part.isdigit():
                n = int(part) + 1
                out[-1:] = [self.numbered(out[-1], n)] if out else [self.numbered("", n)]
            else:
                out.append(self.field(part, here))
            if isinstance(here, list) and part.isdigit():
                here = here[int(part)] if int(part) < len(here) else None
            else:
                here = here.get(part) if isinstance(here, Mapping) else None
            i += 1
        return out

    def _is_field(self, items: Any, index: str) -> bool:
        """Whether items[index] names one of this form's fields (an item of its required fields or field order)."""
        props = (self.body.get("schema") or {}).get("properties") if self.kind == "form" else None
        if not isinstance(items, list) or not isinstance(props, Mapping) or int(index) >= len(items):
            return False
        item = items[int(index)]
        return isinstance(item, str) and item in props

    def _rule_place(self, ptr_parts: list[str]) -> str:
        """A rule by its label, else counted from 1 as the editor counts its cards (its code is not a label)."""
        index = int(ptr_parts[1]) if len(ptr_parts) > 1 and ptr_parts[1].isdigit() else 0
        rules = self.body.get("rules") if isinstance(self.body, Mapping) else None
        rule = rules[index] if isinstance(rules, list) and index < len(rules) else None
        label = _label(rule, "label")
        return self.named("rule", label) if label else self.numbered(NOUNS[self.lang]["rule"], index + 1)

    def _not_an_option(self, ptr_parts: list[str], message: str) -> str | None:
        found = re.match(r"field '(.*?)' \(.*?\) is compared to '(.*?)', which is not one of its options: (.*)$",
                         message, re.S)
        if not found:
            return None
        options = ("、" if self.lang == "zh" else ", ").join(
            self.quote(label) for label in re.findall(r"'([^']*)'", found.group(3)))
        text = SENTENCES[self.lang]["not-an-option"].format(
            place=self.join([self._rule_place(ptr_parts)]), field=found.group(1), value=found.group(2), options=options)
        return text[:1].upper() + text[1:]

    def _range_words(self, keyword: str) -> dict[str, str]:
        """A range's two limits as the form editor titles them (最少字数 / 最多字数), so the sentence names the limits
        the analyst typed; any other range (an outbound question's min/max) reads minimum / maximum."""
        words = _RANGE_WORDS[self.lang]
        return dict(zip(("low", "high"), words.get(keyword, words[""]), strict=True))

    def reword(self, code: str, ptr_parts: list[str], message: str,
               where: Callable[[list[str]], str] | None = None) -> str | None:
        """The finding's sentence in this language, or None when no sentence here knows its code.

        `where` names places instead of this kind's rules (an IVR's nodes, for its calendar, condition and
        template findings, which share these codes)."""
        sentences = SENTENCES[self.lang]
        if code == "not-an-option":
            return self._not_an_option(ptr_parts, message)
        names = re.findall(r"'([^']*)'", message)
        numbers = re.findall(r"\d+", message)
        key = "unknown-named" if code.startswith("unknown-") and _UNKNOWN.match(message) else code
        if key not in sentences:
            return None
        name = (names[-1] if key in ("unknown-field", "unknown-target") else names[0]) if names else ""
        if not name:  # a template's variable: "summary reads {{kinds}}"
            found = re.search(r"\{\{\s*([^{}]+?)\s*\}\}", message)
            name = found.group(1) if found else ""
        # A range is the field's or the question's, not its min's ("field “Address”", not "min length of …").
        drop = key in _SAYS_LAST and ptr_parts and not ptr_parts[-1].isdigit()
        # An item of a list of names (skills/1, on/1, a ticket's fields/<name>) is the name the sentence quotes:
        # the place is the list ("the field “adress” in ticket fields of “Order”", not "adress of fields …").
        last = ptr_parts[-1] if ptr_parts else ""
        if f"{key}-listed" in sentences and name and (last.isdigit() or (
                len(ptr_parts) >= 2 and ptr_parts[-2] == "fields" and last == name)):
            key, drop = f"{key}-listed", True
        self.unnamed = frozenset({name}) if key in _SAYS_LAST else frozenset()
        try:
            place = (where or self.place)(ptr_parts[:-1] if drop else ptr_parts)
        finally:
            self.unnamed = frozenset()
        values = {"place": place, "name": name, "a": "", "b": "", **self._range_words(last)}
        if key in ("bad-sla", "too-many-to-try"):
            values["a"], values["b"] = [*numbers, "", ""][:2]
        if key == "bad-range":
            found = re.search(r"(-?\d+(?:\.\d+)?) above \w+ (-?\d+(?:\.\d+)?)", message)
            values["a"], values["b"] = found.groups() if found else ("", "")
        if key == "value-out-of-bounds":
            found = re.search(r"compared with (\S+) outside (-?\d+) to (-?\d+)", message)
            values["value"], values["a"], values["b"] = found.groups() if found else ("", "", "")
            values["name"] = _BOUNDED_FIELDS.get(name, (name, name))[0 if self.lang == "zh" else 1]
        if key == "multiple-initial-statuses" and len(names) > 1:
            values["b"] = self._status_label(names[1])
        if key == "shadowed-rule" and len(names) > 1:
            values["b"] = names[1]
        text = sentences[key].format(**values)
        return text[:1].upper() + text[1:]
