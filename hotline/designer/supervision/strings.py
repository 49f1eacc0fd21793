"""The supervision area's UI strings (keys are the English text), added to the one table at blueprint creation."""

from __future__ import annotations

from .. import i18n
from . import rule_words

#: The calculator's field labels are stored under keys (staffing.calls…): their English words, so an English page
#: never shows the key (QA 14).
ENGLISH: dict[str, str] = {
    # the overdue page's clock codes (English showed first_response: QA of issue 16, fixc18 item 6)
    "first_response": "First response", "resolution": "Resolution",
    "staffing.calls": "Calls per interval",
    "staffing.interval": "Interval length (minutes)",
    "staffing.handle": "Average handle time (s)",
    "staffing.level": "Service-level target (%)",
    "staffing.within": "Answer within (s)",
    "staffing.patience": "Average patience (s, optional, Erlang A)",
    "staffing.shrinkage": "Shrinkage (%)",
    "staffing.day": "Day",
}

STRINGS: dict[str, str] = {
    "Staffing calculator": "排班测算",
    "staffing.calls": "每时段来电量",
    "staffing.interval": "时段长度（分钟）",
    "staffing.handle": "平均处理时长（秒）",
    "staffing.level": "服务水平目标（%）",
    "staffing.within": "目标应答时间（秒）",
    "staffing.patience": "平均耐心时长（秒，可选，Erlang A）",
    "staffing.shrinkage": "缺勤与非话务占比（%）",
    "staffing.day": "日期",
    "This tenant has no call history yet for this weekday: type the calls you expect per interval to size it.":
        "本租户在这个星期几还没有历史话务：请填写预计的每时段来电量再测算。",
    "From this tenant's history: the busiest %(interval)s-minute interval of this weekday (%(start)s), %(calls)s "
    "calls and %(handle)s s handle time on average over %(days)s days.":
        "按本租户历史：同一星期几最忙的 %(interval)s 分钟时段（%(start)s），近 %(days)s 天平均 %(calls)s 个来电、"
        "处理时长 %(handle)s 秒。",
    "%(field)s: %(value)s is not a number from %(low)s to %(high)s":
        "%(field)s：%(value)s 不是 %(low)s 到 %(high)s 之间的数字",
    "%(field)s: %(value)s is not one of %(choices)s": "%(field)s：%(value)s 不是可选值（%(choices)s）之一",
    "%(field)s: give a date as YYYY-MM-DD": "%(field)s：请按 YYYY-MM-DD 填写日期",
    "%(field)s: %(value)s is outside the days a plan can be made for (%(first)s to %(last)s: the tenant's kept "
    "history up to a year ahead)":
        "%(field)s：%(value)s 不在可排班的日期范围内（%(first)s 至 %(last)s：本租户保留的历史数据起，最多提前一年）",
    "Plan a whole day from history": "按历史数据测算全天",
    "The day is a holiday": "该日为节假日",
    "Calculate": "计算",
    "Offered load (Erlangs)": "话务量（爱尔兰）",
    "Agents needed": "所需座席",
    "Positions to schedule": "需排班人数",
    "Probability of waiting": "排队概率",
    "Service level": "服务水平",
    "Average speed of answer": "平均应答速度",
    "Occupancy": "座席占用率",
    "Abandon rate": "放弃率",
    "seconds": "秒",
    "Day plan": "全天排班测算",
    "Average of": "取以下日期的平均",
    "No history for this weekday yet": "该星期几尚无历史话务",
    "Interval": "时段",
    "Forecast calls": "预测来电",
    "Handle time": "处理时长",
    "No calls forecast": "没有预测来电",
    "Overdue tickets": "超时工单",
    "Overdue and near-due tickets": "超时与临近超时工单",
    "Show tickets due within (minutes)": "显示多少分钟内到期的工单",
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
    "Ticket %(number)s urged (%(count)s times); %(notified)s dispatcher(s) notified.":
        "工单%(number)s已催办（第%(count)s次），尚无处理人，已通知%(notified)s位派单员。",
    "Call-backs and return visits": "回呼与回访任务",
    "Waiting for dispatch": "待派单",
    "Address": "地址",
    "Why nobody was assigned": "未派单原因",
    "Waiting since": "等待开始",
    "Alerts sent": "已提醒次数",
    "Dispatch to": "派给",
    "Skill needed": "所需技能",
    "covers the address and has the skill the ticket needs": "负责该地址且具备工单所需技能",
    "skills": "技能",
    "Dispatch": "派单",
    "No ticket is waiting for dispatch": "没有待派单的工单",
    "covers the address": "负责该地址",
    "Ticket %(number)s dispatched to %(handler)s.": "工单%(number)s已派给%(handler)s。",
    "No complete day of the same weekday in the last weeks has calls: the plan has nothing to average.":
        "最近几周没有同一星期几的完整日有来电：日计划没有可平均的历史数据。",
    "No holiday of the same weekday in the last weeks has calls (the tenant's calendar lists none with calls): "
    "the holiday plan has nothing to average.":
        "最近几周没有同一星期几的节假日有来电（本租户日历中的节假日都没有来电）：节假日计划没有可平均的历史数据。",
    "no number of agents up to %(most)s answers %(level)s within %(within)s s at %(load)s Erlangs":
        "话务量 %(load)s 爱尔兰时，%(most)s 名以内的座席都无法做到 %(within)s 秒内接听 %(level)s 的来电",
}


def register() -> None:
    i18n.extend({english: {"zh_CN": chinese, **({"en": ENGLISH[english]} if english in ENGLISH else {})}
                 for english, chinese in STRINGS.items()})
    # The rule firings page's event and action words: the designer's own; a word another area registered
    # first (Assign, Notify…) keeps that area's translation.
    i18n.extend({english: {"zh_CN": chinese} for english, chinese in rule_words.STRINGS.items()
                 if english not in i18n.STRINGS})
