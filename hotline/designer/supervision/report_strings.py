"""UI strings of the report pages and the dashboard (keys are the English text; figure.* and dimension.* keys
have their English text in EN below)."""

from __future__ import annotations

from ...platform.reports.labels import EN, ZH
from .. import i18n

STRINGS: dict[str, str] = {
    "Site dashboard": "业务现场管理", "Saved reports": "已保存的报表", "E-mail it": "定时邮件",
    "Recipients": "收件人邮箱", "Save this report": "保存该报表", "Report saved: %(name)s": "报表已保存：%(name)s",
    "Reports": "报表", "Report": "报表", "Group by period": "统计周期",
    "Break down by": "细分维度", "(all)": "（全部）", "Show": "查询", "Export CSV": "导出CSV",
    "Export Excel": "导出Excel", "Times in": "时间按时区", "Test calls are never counted.": "测试呼叫不计入统计。",
    "Times in %(zone)s. Test calls are never counted.": "时间按时区 %(zone)s。测试呼叫不计入统计。",
    "Charts need the front end built (npm run build in frontend/).":
        "图表需要先构建前端（在 frontend/ 运行 npm run build）。",
    "Interval (%(zone)s)": "时段（%(zone)s）",
    "Period": "时段", "Details": "明细", "Total": "合计", "Complaints by category": "投诉分类",
    "No complaints in this period": "该时段没有投诉", "Hottest complaint topics": "投诉热点",
    "Calls behind the figure": "数据明细（通话）", "the newest %(limit)s at most": "最多显示最新 %(limit)s 条",
    "Caller": "主叫号码", "No calls": "没有通话",
    "Wait (s): queue entry to the agent's answer, ringing included": "等待时长（秒，入队至坐席接听，含振铃）",
    "(none)": "（无）", "(nobody)": "（未分配）",
    "Attempts behind the figure": "数据明细（外呼）", "No attempts": "没有外呼记录", "Phone": "电话号码",
    "Report figures are kept for %(days)s days (this tenant's retention setting): figures before %(kept_from)s "
    "are no longer kept, so the periods before that day show zeros.":
        "报表数据保留 %(days)s 天（本租户的保留期设置）：%(kept_from)s 之前的数据已不再保留，该日之前的时段显示为零。",
    "%(value)s is not one of %(choices)s": "%(value)s 不是可选值（%(choices)s）",
    "%(value)s is not a date (YYYY-MM-DD)": "%(value)s 不是日期（请按 YYYY-MM-DD 填写）",
    "%(to)s is before %(from)s": "%(to)s 早于开始日期 %(from)s",
    "%(days)s days is too long a range for a funnel (at most %(most)s)":
        "漏斗分析最多统计 %(most)s 天，所选范围为 %(days)s 天",
    "%(days)s days is too long a range for this grouping (at most %(most)s)":
        "%(days)s 天的范围对该统计周期太长（最多 %(most)s 天）",
    "%(value)s is not a number (an id)": "%(value)s 不是编号（应为数字）",
    "at most %(most)s characters": "最多 %(most)s 个字符",
    "%(value)s is not a time with its UTC offset (ISO 8601, e.g. 2026-03-09T10:00:00+08:00)":
        "%(value)s 不是带时区的时间（ISO 8601，例如 2026-03-09T10:00:00+08:00）",
    "%(end)s is not after the start %(start)s": "%(end)s 不晚于开始时间 %(start)s",
    "a range of at most %(most)s days": "时间范围最多 %(most)s 天",
    "%(value)s is not a user id or entry:<directory entry id>":
        "%(value)s 不是处理人编号（用户编号或 entry:目录条目编号）",
    "%(value)s is not a queue of this tenant": "%(value)s 不是本租户的队列",
    "%(value)s is not an agent of this tenant": "%(value)s 不是本租户的座席",
    "%(value)s is not a number (DID) of this tenant": "%(value)s 不是本租户的号码",
    "%(value)s is not a form of this tenant": "%(value)s 不是本租户的工单类型",
    "%(value)s is not a user or directory entry of this tenant": "%(value)s 不是本租户的用户或目录条目",
    " (cut: %(length)s characters in all)": "（已截断，共 %(length)s 个字符）",
    "the name has %(length)s characters; at most %(most)s": "名称有 %(length)s 个字符，最多 %(most)s 个",
    "a version cannot be compared with itself (both are version %(version)s); pick another one":
        "不能与所选版本相同（都是第 %(version)s 版），请选择另一个版本",
    "Version %(number)s · %(date)s": "第%(number)s版 · %(date)s",
    "%(value)s is not a version number": "%(value)s 不是版本号（应为数字）",
    "give the IVR's name (1-64 characters)": "请填写语音导航流程的名称（1-64 个字符）",
    "No IVR is called %(name)s in this tenant.": "本租户没有名为 %(name)s 的语音导航流程。",
    "The IVR %(name)s has no version %(version)s.": "语音导航流程 %(name)s 没有第 %(version)s 版。",
    "Tickets behind the figure": "数据明细（工单）", "No tickets": "没有工单", "Ticket": "工单",
    "Credited to": "记入", "Holds it now": "当前处理人",
    "give the report a name of 1-100 characters": "请给报表起一个 1-100 个字符的名称",
    "the report's name contains a NUL character (at character %(at)s); remove it":
        "报表名称含有空字符（NUL，第 %(at)s 个字符），请删除",
    "%(value)s is not calls, tickets or outbound": "%(value)s 不是报表类型（话务、工单或外呼）",
    "%(value)s is not a dimension of this report": "%(value)s 不是该报表的细分维度",
    "%(value)s is not a grouping": "%(value)s 不是统计周期",
    "%(value)s is not daily, weekly or monthly": "%(value)s 不是每日、每周或每月",
    "not e-mail addresses: %(value)s": "不是邮箱地址：%(value)s",
    "at most %(most)s recipients": "最多 %(most)s 个收件人",
    "a scheduled report needs a recipient": "定时邮件需要至少一个收件人",
    "a saved report is already called %(value)s": "已有名为 %(value)s 的报表",
    "a tenant keeps at most %(most)s saved reports; delete one first": "每个租户最多保存 %(most)s 个报表，请先删除一个",
}


def register() -> None:
    # A common word another area already translated (From, To, ...) keeps that area's translation.
    table = {english: {"zh_CN": chinese} for english, chinese in STRINGS.items() if english not in i18n.STRINGS}
    table.update({key: {"zh_CN": ZH[key], "en": text} for key, text in EN.items()})
    i18n.extend(table)
