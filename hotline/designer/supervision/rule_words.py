"""Rule events and action types in words, for the rule firings page (QA of issue 11, item 4: it showed
ticket.created, set_fields, assign_by_coverage). The same words the designer's dispatch editor uses
(frontend/src/editors/dispatch/model.ts EVENT_LABELS, api/kinds.py ACTION_HELP); keys are the English text
that supervision/strings.py translates."""

from __future__ import annotations

from ..api.kinds import ACTION_HELP

EVENTS = {
    "call.entered_queue": "A call enters a queue",
    "call.abandoned": "A caller hangs up while waiting",
    "ticket.created": "A ticket is created",
    "ticket.updated": "A ticket is updated",
    "ticket.status_changed": "A ticket changes status",
    "ticket.sla_warning": "A ticket is about to be overdue",
    "ticket.sla_breached": "A ticket is overdue",
    "callback.due": "A callback is due",
}
ACTIONS = {name: title for name, (title, _help) in ACTION_HELP.items()}
#: Chinese for both, as the designer's editor says it.
STRINGS = {
    "A call enters a queue": "来电进入队列", "A caller hangs up while waiting": "来电排队时挂机",
    "A ticket is created": "工单创建", "A ticket is updated": "工单更新", "A ticket changes status": "工单状态变更",
    "A ticket is about to be overdue": "工单即将超时", "A ticket is overdue": "工单已超时",
    "A callback is due": "回呼时间到", "Route to queue": "转入队列", "Overflow": "溢出转移", "Assign": "分派",
    "Assign by coverage": "按地址匹配分派", "Notify": "发送通知", "Escalate": "升级", "Set fields": "设置字段",
    "Set status": "修改状态", "Schedule callback": "安排回呼", "Start return visit": "发起回访",
    "Action done": "已执行", "Action skipped": "已跳过", "Action failed": "执行失败",
    "Nobody to assign: on the dispatch list": "无人可派，已转待派单",
}
#: An action's status in a firing → the words shown.
STATUSES = {"done": "Action done", "skipped": "Action skipped", "failed": "Action failed",
            "unassigned": "Nobody to assign: on the dispatch list"}


def event_words(event: str) -> str:
    return EVENTS.get(event, event)


def action_words(kind: str) -> str:
    return ACTIONS.get(kind, kind)


def status_words(status: str) -> str:
    return STATUSES.get(status, status)
