"""The supervision area's UI strings (keys are the English text), added to the one table at blueprint creation."""

from __future__ import annotations

from .. import i18n

STRINGS: dict[str, str] = {
    "Overdue tickets": "超时工单",
    "Overdue and near-due tickets": "超时与临近超时工单",
    "Show tickets due within": "显示即将到期（分钟内）",
    "minutes": "分钟",
    "Ticket": "工单",
    "Form": "表单",
    "Clock": "时限",
    "first_response": "首次响应",
    "resolution": "办结",
    "Due": "到期时间",
    "Time left": "剩余时间",
    "Overdue by": "已超时",
    "Handler": "处理人",
    "Urged": "催办次数",
    "Urged by": "催办人",
    "Time": "时间",
    "Status": "状态",
    "Urge": "催办",
    "Urge note": "催办备注",
    "Rule log": "规则记录",
    "No overdue or near-due tickets": "没有超时或临近超时的工单",
    "Rule firings of ticket": "工单规则执行记录",
    "Event": "事件",
    "Rule": "规则",
    "Outcome": "结果",
    "Actions": "动作",
    "Warnings": "警告",
    "fired": "已执行",
    "partial": "部分执行",
    "skipped": "已跳过",
    "No rule has fired for this ticket": "该工单尚无规则执行记录",
    "Urging history": "催办记录",
    "Ticket %(number)s urged (%(count)s times); %(notified)s handler(s) notified.":
        "工单%(number)s已催办（第%(count)s次），已通知%(notified)s位处理人。",
    "Call-backs and return visits": "回呼与回访任务",
    "Waiting for dispatch": "待派单",
    "Address": "地址",
    "Why nobody was assigned": "未派单原因",
    "Waiting since": "等待开始",
    "Alerts sent": "已提醒次数",
    "Dispatch to": "派给",
    "Dispatch": "派单",
    "No ticket is waiting for dispatch": "没有待派单的工单",
    "covers the address": "负责该地址",
    "Ticket %(number)s dispatched to %(handler)s.": "工单%(number)s已派给%(handler)s。",
}


def register() -> None:
    i18n.extend({english: {"zh_CN": chinese} for english, chinese in STRINGS.items()})
