"""The schedules area's UI strings (keys are the English text), added to the one table at blueprint creation.

Seat types and presence states are labelled by platform/schedules/labels.py; the keys of refusals and import
problems (platform/schedules/service.py, imports.py) are translated here.
"""

from __future__ import annotations

from .. import i18n

STRINGS: dict[str, str] = {
    "Schedules": "排班",
    "Attendance": "考勤",
    "Shifts": "班次",
    "Week of %(day)s": "%(day)s 起的一周",
    "Previous week": "上一周",
    "Next week": "下一周",
    "Times are in the tenant's time zone: %(zone)s": "时间均为租户时区：%(zone)s",
    "Agent": "座席",
    "Seat type": "座席类型",
    "Date": "日期",
    "Starts": "开始",
    "Ends": "结束",
    "Break (minutes)": "休息（分钟）",
    "Note": "备注",
    "Add shift": "添加班次",
    "Save shift": "保存班次",
    "Delete shift": "删除班次",
    "Edit shift": "修改班次",
    "An end at or before the start is the next morning (a night shift).": "结束时间不晚于开始时间时视为次日（夜班）。",
    "No agent or supervisor in this tenant yet.": "该租户还没有座席或班长。",
    "no longer an agent": "已不是座席",
    "Shift saved.": "班次已保存。",
    "Shift deleted.": "班次已删除。",
    "Import shifts": "导入排班",
    "Excel or CSV (UTF-8 or GBK)": "Excel 或 CSV（UTF-8 或 GBK）",
    "Import": "导入",
    "Template (Excel)": "模板（Excel）",
    "Template (CSV)": "模板（CSV）",
    "%(count)s shifts imported.": "已导入 %(count)s 个班次。",
    "The file is larger than %(mb)s MB": "文件超过 %(mb)s MB",
    "At most %(max)s lines per file.": "每个文件最多 %(max)s 行。",
    "The file holds more than %(max)s lines; nothing was imported. Split it into files of at most %(max)s lines "
    "(for example one per week or per team)": "文件超过 %(max)s 行，未导入任何班次。请拆分为每个不超过 %(max)s 行的文件"
                                             "（例如每周或每个班组一个文件）",
    "Line %(line)s: %(reason)s": "第 %(line)s 行：%(reason)s",
    "Choose a file to import": "请选择要导入的文件",
    "Draw from the Erlang plan": "按话务预测生成排班",
    "Shift length (hours)": "班次时长（小时）",
    "Propose shifts": "生成建议班次",
    "Create these shifts": "创建这些班次",
    "Positions needed": "需排班人数",
    "Proposed shifts": "建议班次",
    "Unassigned": "暂不安排",
    "No calls forecast for this day: nothing to draw.": "该日没有预测话务，无需排班。",
    "%(count)s shifts created.": "已创建 %(count)s 个班次。",
    "Shift %(number)s: %(reason)s": "第 %(number)s 个班次：%(reason)s",
    "Day": "日期",
    "Interval": "时段",
    "Month": "月份",
    "Show": "查询",
    "Attendance of the day": "当日考勤",
    "Scheduled (h)": "排班工时（小时）",
    "Logged in (h)": "登录时长（小时）",
    "Available (h)": "置闲时长（小时）",
    "Talk (h)": "通话时长（小时）",
    "Wrap-up (h)": "话后处理（小时）",
    "Break (h)": "小休时长（小时）",
    "Outside the shift (h)": "班外时长（小时）",
    "First login": "首次登录",
    "Last logout": "最后退出",
    "Adherence per interval": "分时段排班遵从度",
    "Scheduled agents": "排班人数",
    "Working agents": "在岗人数",
    "Adherence %": "遵从度%",
    "Overtime of the month": "当月加班",
    "Show the month": "查看当月",
    "Standard month (h: the agent's vendor contract; %(hours)s without one)":
        "标准月工时（小时，按座席所属外包合同；无合同为 %(hours)s）",
    "Above the standard month (h)": "超出标准月工时（小时）",
    "Nobody scheduled or logged in on this day.": "当日无人排班或登录。",
    "Export CSV": "导出CSV",
    "Export Excel": "导出Excel",
    "The live presence could not be read (%(reason)s); figures stop at the last copy.":
        "无法读取实时状态（%(reason)s），数据截至上次同步。",
    "%(field)s: give a date as YYYY-MM-DD": "%(field)s：请按 YYYY-MM-DD 填写日期",
    "%(field)s: give a month as YYYY-MM": "%(field)s：请按 YYYY-MM 填写月份",
    "%(field)s: give a time as HH:MM": "%(field)s：请按 HH:MM 填写时间",
    "%(field)s: a whole number of minutes from 0": "%(field)s：请填写不小于 0 的整数分钟",
    # refusals and import problems
    "Unknown seat type %(value)s; use 实习座席, 座席 or 班组长 (trainee, agent, team_lead)":
        "未知的座席类型 %(value)s，请填写 实习座席、座席 或 班组长",
    "The shift must end after it starts": "班次的结束时间必须晚于开始时间",
    "A shift may last at most %(hours)s hours": "一个班次最长 %(hours)s 小时",
    "The break must be from 0 to %(max)s minutes and shorter than the shift":
        "休息时长须在 0 到 %(max)s 分钟之间，且短于班次",
    "The note may hold at most %(max)s characters": "备注最多 %(max)s 个字符",
    "%(user)s is not an agent of this tenant": "%(user)s 不是本租户的座席",
    "User #%(id)s is not an agent of this tenant": "用户 #%(id)s 不是本租户的座席",
    "Overlaps %(user)s's shift %(start)s–%(end)s": "与 %(user)s 的班次 %(start)s–%(end)s 重叠",
    "No agent with the username %(user)s": "没有用户名为 %(user)s 的座席",
    "Date %(value)s is not a date like 2026-03-16": "日期 %(value)s 格式不对，应如 2026-03-16",
    "Time %(value)s is not a time like 09:00": "时间 %(value)s 格式不对，应如 09:00",
    "Break %(value)s is not a number of minutes": "休息时长 %(value)s 不是分钟数",
    "The file cannot be read: %(reason)s": "文件无法读取：%(reason)s",
    "The file has no header line": "文件没有表头行",
    "Missing columns: %(columns)s": "缺少列：%(columns)s",
    "%(reason)s": "%(reason)s",
    "The file is empty": "文件是空的",
    "%(file)s is neither CSV nor Excel .xlsx": "%(file)s 既不是 CSV 也不是 Excel .xlsx 文件",
    "Shifts imported": "已导入班次",
    "%(count)s more lines refused are not listed.": "另有 %(count)s 个被拒绝的行未列出。",
    "Back to the shifts": "返回排班",
}


def register() -> None:
    i18n.extend({english: {"zh_CN": chinese} for english, chinese in STRINGS.items()})
