"""Words of the report figures and dimensions in both languages (keys like figure.offered), shared by the
pages (registered as UI strings by designer/supervision/report_strings.py) and the scheduled e-mails."""

from __future__ import annotations

#: English text of the keyed strings (figure.*, dimension.*, group.*, report.*).
EN: dict[str, str] = {
    "report.calls": "Calls", "report.tickets": "Tickets",
    "schedule.": "Not e-mailed", "schedule.daily": "Daily", "schedule.weekly": "Weekly (Mondays)",
    "schedule.monthly": "Monthly (the 1st)",
    "dash.offered": "Offered", "dash.answered": "Answered",
    "dash.service_level": "Service level %", "dash.asa": "ASA (s)", "dash.aht": "AHT (s)",
    "dash.waiting": "Waiting now", "dash.created": "Tickets created", "dash.pending_dispatch": "Waiting for dispatch",
    "dash.overdue": "Overdue now", "dash.urged": "Urges today", "dash.resolved": "Resolved today",
    "dash.calls": "Calls", "dash.business": "Business", "dash.abandoned": "Abandoned in queue",
    "dash.abandoned_short": "Short abandons", "dash.abandon_rate": "Abandon rate %",
    "dash.definitions": "As in the reports (报表), from the same figures: service level = answered within the "
                        "queue's target ÷ (offered − short abandons); abandon rate = queue abandons ÷ the same; short "
                        "abandons counted apart; ASA = queue entry to the agent's answer, ringing included.",
    "source.ivr": "Self-service (IVR)", "source.call": "Agent, on a call", "source.desk": "Agent desk, by hand",
    "group.15min": "15 minutes", "group.30min": "30 minutes", "group.60min": "Hour", "group.day": "Day",
    "group.week": "Week", "group.month": "Month", "group.total": "Whole range",
    "field.from": "From", "field.to": "To", "field.start": "Start time", "field.end": "End time",
    "field.figure": "Figure", "field.extension": "Extension", "field.created_from": "Created from",
    "field.created_to": "Created to", "field.version": "Version", "field.compare": "Compare with",
    "field.ivr": "IVR", "field.format": "Export format",
    "dimension.": "(nothing)", "dimension.queue": "Queue", "dimension.skill": "Skill", "dimension.agent": "Agent",
    "dimension.did": "Number (DID)", "dimension.form": "Form", "dimension.category": "Category",
    "dimension.status": "Status", "dimension.source": "Source", "dimension.handler": "Handler",
    "skill.not_queued": "Not queued", "skill.none": "No skill",
    "report.skill_note": "By skill, a call counts in the row of each skill of its queue (a queue with two skills "
                         "puts its calls in both rows), so the rows can add up to more than the total, which counts "
                         "each call once. Not queued: calls that never entered a queue (IVR only); No skill: calls "
                         "of a queue that names no skill.",
    "figure.calls": "Calls", "figure.offered": "Offered to queues", "figure.answered": "Answered",
    "figure.abandoned_ivr": "Abandoned in IVR", "figure.abandoned_queue": "Abandoned in queue",
    "figure.abandoned_short": "Short abandons",
    "figure.timed_out": "Queue timeouts", "figure.timeout_rate": "Queue timeout rate %",
    "figure.answered_in_target": "Answered within target",
    "figure.service_level": "Service level %", "figure.abandon_rate": "Abandon rate %",
    "figure.asa": "ASA (s)", "figure.aht": "AHT (s)", "figure.aht_p90": "AHT p90 (s)",
    "figure.transfers": "Transfers", "figure.callbacks": "Callbacks", "figure.self_service": "Self-service completed",
    "figure.self_service_rate": "Self-service %", "figure.surveys": "Surveys",
    "figure.satisfaction": "Satisfied %", "figure.survey_average": "Survey average (1-5)",
    "figure.created": "Created", "figure.responded_in_time": "Responded in time",
    "figure.responded_late": "Responded late", "figure.response_rate": "Response timeliness %",
    "figure.response_overdue": "Unanswered past due",
    "report.timeliness_note": "Response timeliness = responded in time ÷ (responded + tickets still unanswered past "
                              "their response due time, counted as late). Completion timeliness = completed in time "
                              "÷ completed. Due times count business hours.",
    "figure.completed_in_time": "Completed in time", "figure.completed_late": "Completed late",
    "figure.completion_rate": "Completion timeliness %", "figure.urges": "Urges",
    "figure.urged_tickets": "Urged tickets", "figure.complaints": "Complaints",
    "report.outbound": "Outbound", "dimension.campaign": "Campaign", "dimension.disposition": "Disposition",
    # the tasks campaign's default dispositions (outbound/runner_script.py; the desk's words) and an unknown code
    "disposition.completed": "Completed", "disposition.callback_later": "Call back later",
    "disposition.dnc": "Asked not to be called again", "disposition.other": "Other",
    "disposition.unknown": "%(code)s (unknown disposition code)",
    "figure.attempts": "Attempts", "figure.connects": "Connects", "figure.connect_rate": "Connect rate %",
    "figure.machines": "Answering machines", "figure.abandoned": "Abandoned after answer",
    "figure.skipped": "Skipped by rules", "campaign.tasks": "Call tasks",
    "agent.extension": "Extension %(extension)s (no user)", "agent.agentless": "Agentless (voice)",
    "period.week": "Week %(week)s (%(from)s – %(to)s)", "period.part": "%(period)s (%(from)s – %(to)s)",
    "period.day": "%(date)s", "period.day_year": "%(date)s", "report.total": "Total",
    "period.week_one": "Week %(week)s (%(from)s)", "period.part_one": "%(period)s (%(from)s)",
    "outcome.answered": "Answered", "outcome.abandoned_queue": "Abandoned in queue",
    "outcome.abandoned_short": "Short abandon", "outcome.timed_out": "Queue timeout",
    "outcome.abandoned_ivr": "Abandoned in IVR", "outcome.transfers": "Transferred",
    "outcome.self_service": "Self-service completed", "outcome.other": "Other",
}

ZH: dict[str, str] = {
    "report.calls": "话务报表", "report.tickets": "工单报表",
    "schedule.": "不发送", "schedule.daily": "每日", "schedule.weekly": "每周一", "schedule.monthly": "每月1日",
    "dash.offered": "进线", "dash.answered": "接通", "dash.service_level": "服务水平%",
    "dash.asa": "平均应答（秒）", "dash.aht": "平均处理（秒）", "dash.waiting": "当前排队",
    "dash.created": "今日新建工单", "dash.pending_dispatch": "待派单", "dash.overdue": "当前超时",
    "dash.urged": "今日催办", "dash.resolved": "今日办结", "dash.calls": "话务", "dash.business": "业务",
    "dash.abandoned": "排队放弃", "dash.abandoned_short": "短时放弃", "dash.abandon_rate": "放弃率%",
    "dash.definitions": "与报表同一口径、同一数据：服务水平 = 目标时间内接通 ÷（进线 − 短时放弃）；"
                        "放弃率 = 排队放弃 ÷ 同一分母；短时放弃单列；平均应答 = 进入队列到座席接听（含振铃）。",
    "source.ivr": "自助语音", "source.call": "座席来电登记", "source.desk": "座席手工创建",
    "group.15min": "15分钟", "group.30min": "30分钟", "group.60min": "小时", "group.day": "日", "group.week": "周",
    "group.month": "月", "group.total": "整个区间",
    "field.from": "开始日期", "field.to": "结束日期", "field.start": "开始时间", "field.end": "结束时间",
    "field.figure": "数据项", "field.extension": "分机", "field.created_from": "创建日期（起）",
    "field.created_to": "创建日期（止）", "field.version": "版本", "field.compare": "对比版本",
    "field.ivr": "语音导航流程", "field.format": "导出格式",
    "dimension.": "（不细分）", "dimension.queue": "队列", "dimension.skill": "技能", "dimension.agent": "座席",
    "dimension.did": "号码", "dimension.form": "工单类型", "dimension.category": "类别", "dimension.status": "状态",
    "dimension.source": "来源", "dimension.handler": "处理人",
    "skill.not_queued": "未排队", "skill.none": "无技能",
    "report.skill_note": "按技能细分时，一通电话计入其队列的每个技能（队列有两个技能时，其通话在两行都计入），"
                         "所以各行之和可能大于合计，合计中每通电话只计一次。未排队：未进入队列的通话（仅IVR）；"
                         "无技能：所在队列未设置技能的通话。",
    "figure.calls": "呼入量", "figure.offered": "进线量（转人工）", "figure.answered": "接通量",
    "figure.abandoned_ivr": "IVR放弃", "figure.abandoned_queue": "排队放弃", "figure.abandoned_short": "短时放弃",
    "figure.timed_out": "排队超时", "figure.timeout_rate": "排队超时率%",
    "figure.answered_in_target": "目标内接通", "figure.service_level": "服务水平%", "figure.abandon_rate": "放弃率%",
    "figure.asa": "平均应答速度（秒）", "figure.aht": "平均处理时长（秒）", "figure.aht_p90": "处理时长P90（秒）",
    "figure.transfers": "转接", "figure.callbacks": "预约回呼", "figure.self_service": "自助完成",
    "figure.self_service_rate": "自助完成率%", "figure.surveys": "评价数", "figure.satisfaction": "满意率%",
    "figure.survey_average": "平均评分（1-5）",
    "figure.created": "新建工单", "figure.responded_in_time": "及时响应", "figure.responded_late": "超时响应",
    "figure.response_rate": "响应及时率%", "figure.completed_in_time": "及时完成", "figure.completed_late": "超时完成",
    "figure.response_overdue": "超时未响应",
    "report.timeliness_note": "响应及时率 = 及时响应 ÷（已响应 + 已过响应时限仍未响应的工单，按超时计）；"
                              "完成及时率 = 及时完成 ÷ 已完成。时限按工作时间计算。",
    "figure.completion_rate": "完成及时率%", "figure.urges": "催办次数", "figure.urged_tickets": "被催办工单",
    "figure.complaints": "投诉量",
    "report.outbound": "外呼报表", "dimension.campaign": "外呼活动", "dimension.disposition": "处理结果",
    "disposition.completed": "已完成", "disposition.callback_later": "另约时间", "disposition.dnc": "要求不再来电",
    "disposition.other": "其他", "disposition.unknown": "%(code)s（未知的结果代码）",
    "figure.attempts": "外呼次数", "figure.connects": "接通数", "figure.connect_rate": "接通率%",
    "figure.machines": "答录机", "figure.abandoned": "接通后放弃", "figure.skipped": "按规则跳过",
    "campaign.tasks": "回访任务",
    "agent.extension": "分机 %(extension)s（未绑定用户）", "agent.agentless": "无座席（语音）",
    "period.week": "第%(week)s周（%(from)s–%(to)s）", "period.part": "%(period)s（%(from)s–%(to)s）",
    "period.day": "%(month)s月%(day)s日", "period.day_year": "%(year)s年%(month)s月%(day)s日", "report.total": "合计",
    "period.week_one": "第%(week)s周（%(from)s）",
    "period.part_one": "%(period)s（%(from)s）",
    "outcome.answered": "已接通", "outcome.abandoned_queue": "排队放弃", "outcome.abandoned_short": "短时放弃",
    "outcome.timed_out": "排队超时", "outcome.abandoned_ivr": "IVR放弃", "outcome.transfers": "转接",
    "outcome.self_service": "自助完成", "outcome.other": "其他",
}


def label(key: str, locale: str = "zh_CN") -> str:
    """The words of a keyed label (figure.offered → 进线量（转人工） / Offered to queues)."""
    table = ZH if locale.startswith("zh") else EN
    return table.get(key, EN.get(key, key))
