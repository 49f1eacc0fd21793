"""The wallboard's UI strings (English keys, Chinese default), added to the one table at import."""

from __future__ import annotations

from .. import i18n

#: The reports' short abandons, apart from 放弃 and the abandon rate; the board puts the tenant's threshold in {n}.
SHORT_ABANDONS = "Short abandons (≤ {n} s)"
SHORT_ABANDONS_TIP = ("Hung up within {n} s of queueing: not counted as abandoned nor in the abandon rate, "
                      "as in the reports.")

STRINGS: dict[str, dict[str, str]] = {
    "Wallboard": {"zh_CN": "监控大屏"},
    "Supervisor wallboard": {"zh_CN": "班长监控大屏"},
    "Colour thresholds": {"zh_CN": "颜色阈值"},
    "All queues": {"zh_CN": "全部队列"},
    "Whole tenant": {"zh_CN": "整个租户"},
    "Queue": {"zh_CN": "队列"},
    "Queues": {"zh_CN": "队列"},
    "Agents": {"zh_CN": "座席"},
    "Today": {"zh_CN": "今日"},
    "Calls waiting": {"zh_CN": "排队来电"},
    "Longest wait": {"zh_CN": "最长等待"},
    "Service level": {"zh_CN": "服务水平"},
    "Abandon rate": {"zh_CN": "放弃率"},
    "Average speed of answer": {"zh_CN": "平均应答速度"},
    "Average handle time": {"zh_CN": "平均处理时长"},
    "Offered": {"zh_CN": "呼入"},
    "Answered": {"zh_CN": "接通"},
    "Abandoned": {"zh_CN": "放弃"},
    SHORT_ABANDONS: {"zh_CN": "短时放弃（≤{n}秒）"},
    SHORT_ABANDONS_TIP: {"zh_CN": "排队{n}秒内挂机：与报表一致，不计入放弃数和放弃率。"},
    "Target": {"zh_CN": "目标"},
    "seconds": {"zh_CN": "秒"},
    "available": {"zh_CN": "空闲"},
    "reserved": {"zh_CN": "预留"},
    "ringing": {"zh_CN": "振铃"},
    "on_call": {"zh_CN": "通话中"},
    "wrap_up": {"zh_CN": "话后整理"},
    "break": {"zh_CN": "小休"},
    "offline": {"zh_CN": "离线"},
    # why an agent is on a break or offline after a failed offer (runtime/acd/offers.py)
    "no_answer": {"zh_CN": "未接听"},
    "busy": {"zh_CN": "占线"},
    "not_registered": {"zh_CN": "未注册"},
    "rejected": {"zh_CN": "拒接，未就绪"},
    "unreachable": {"zh_CN": "无法接通"},
    "Live figures unavailable": {"zh_CN": "实时数据不可用"},
    "Connecting…": {"zh_CN": "连接中…"},
    "Live": {"zh_CN": "实时"},
    "Reconnecting…": {"zh_CN": "重新连接中…"},
    "No agents signed in": {"zh_CN": "暂无座席登录"},
    "No queues yet": {"zh_CN": "暂无队列"},
    "Amber at": {"zh_CN": "黄色阈值"},
    "Red at": {"zh_CN": "红色阈值"},
    "Figure": {"zh_CN": "指标"},
    "Save": {"zh_CN": "保存"},
    "Saved": {"zh_CN": "已保存"},
    "Settings for": {"zh_CN": "设置范围"},
    "Back to the wallboard": {"zh_CN": "返回监控大屏"},
    "Leave both empty to follow the tenant-wide setting.": {"zh_CN": "两项都留空则沿用租户级设置。"},
    "Leave a level empty to not use it.": {"zh_CN": "某一级留空表示不使用该级别。"},
    "Higher is worse": {"zh_CN": "数值越高越差"},
    "Lower is worse": {"zh_CN": "数值越低越差"},
    "inherited": {"zh_CN": "继承"},
    "Not saved: correct the marked fields.": {"zh_CN": "未保存：请修改标出的字段。"},
    "Not a number.": {"zh_CN": "不是有效的数字。"},
    "Levels cannot be negative.": {"zh_CN": "阈值不能为负数。"},
    "A percentage cannot be above 100.": {"zh_CN": "百分比不能超过100。"},
    "Amber must be below red (a higher value is worse).": {"zh_CN": "黄色阈值必须低于红色阈值（数值越高越差）。"},
    "Amber must be above red (a lower value is worse).": {"zh_CN": "黄色阈值必须高于红色阈值（数值越低越差）。"},
    "Unknown queue.": {"zh_CN": "队列不存在。"},
    "Choose the tenant to watch": {"zh_CN": "选择要监控的租户"},
    "in state for": {"zh_CN": "已持续"},
    "updated": {"zh_CN": "更新于"},
    "Handle time includes wrap-up from": {"zh_CN": "处理时长中的话后整理来自"},
    "No extension": {"zh_CN": "无分机"},
    "No extension: no phone call to listen in on.": {"zh_CN": "无分机：没有可监听的话机通话。"},
}

#: The strings the board's script shows (sent to the page translated).
BOARD_TEXTS = (
    "Calls waiting", "Longest wait", "Service level", "Abandon rate", "Average speed of answer",
    "Average handle time", "Offered", "Answered", "Abandoned", SHORT_ABANDONS, SHORT_ABANDONS_TIP,
    "Target", "seconds", "Whole tenant",
    "available", "reserved", "ringing", "on_call", "wrap_up", "break", "offline", "Live", "Reconnecting…",
    "No agents signed in", "No queues yet", "updated", "Live figures unavailable",
    "No extension", "No extension: no phone call to listen in on.",
    "no_answer", "busy", "not_registered", "rejected", "unreachable", "lunch", "rest", "meeting", "training",
)

#: Agent states are codes; English readers get words too (the string table passes English keys through).
ENGLISH_STATES = {"available": "Available", "reserved": "Reserved", "ringing": "Ringing", "on_call": "On a call",
                  "wrap_up": "Wrap-up", "break": "On break", "offline": "Offline"}


#: Reasons for a break or offline are codes too.
ENGLISH_REASONS = {"no_answer": "No answer", "busy": "Busy", "not_registered": "Phone not registered",
                   "rejected": "Rejected calls, not ready", "unreachable": "Unreachable", "lunch": "Lunch",
                   "rest": "Rest", "meeting": "Meeting", "training": "Training"}


def board_texts(locale: str) -> dict[str, str]:
    """The board script's strings in `locale`, agent states and reasons as labels in every language."""
    texts = {key: i18n.translate(key, locale) for key in BOARD_TEXTS}
    if locale == "en":
        texts.update(ENGLISH_STATES)
        texts.update(ENGLISH_REASONS)
    return texts


i18n.extend(STRINGS)
