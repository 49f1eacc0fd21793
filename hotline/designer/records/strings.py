"""The records area's UI strings (keys are the English text), added to the one table at blueprint creation."""

from __future__ import annotations

from .. import i18n

STRINGS: dict[str, str] = {
    # navigation and page titles
    "Tickets": "工单", "Customers": "客户资料", "Directory and coverage": "业务员与辖区", "Notifications": "通知",
    "Knowledge base": "知识库", "Notifications delivery log": "通知发送记录", "Import customers": "批量导入客户",
    "Recent imports": "最近的导入", "New customer": "新建客户", "New article": "新建文章", "Edit article": "编辑文章",
    "New directory": "新建名录", "New entry": "新建条目", "Who covers this address?": "该地址由谁负责？",
    # common words
    "All": "全部", "Anyone": "任何人", "Me": "我", "Search": "搜索", "Filter": "筛选", "Show all": "显示全部",
    "Save": "保存", "Delete": "删除", "Edit": "编辑", "Create": "创建", "Import": "导入", "Previous": "上一页",
    "Next": "下一页", "Page": "第", "Total": "共", "Per page": "每页", "Sort": "排序", "yes": "是", "no": "否",
    "monthly_settlement": "月结客户",
    "lines": "行", "Back to the list": "返回列表", "Saved": "已保存", "Deleted": "已删除",
    # tickets
    "Saved filters": "常用筛选", "Waybill, phone or number": "运单号、电话或工单号", "Status": "状态",
    "Form": "表单", "Handler": "处理人", "From": "起始日期", "To": "截止日期", "Open only": "仅未完成",
    "Recipient": "收件人",
    "Overdue": "已超时", "Waiting for dispatch": "待派单",
    "Save this filter as": "将当前筛选保存为", "Number": "编号", "Content": "服务内容",
    "Customer": "客户", "Created": "创建时间", "Due": "到期时间", "No ticket matches": "没有符合条件的工单",
    "Filter saved": "筛选已保存", "Filter deleted": "筛选已删除", "my_open": "我的未完成", "overdue": "已超时",
    "today": "今天", "created_at": "创建时间", "updated_at": "更新时间", "number": "工单号", "status": "状态",
    "priority": "优先级", "resolution_due": "完成时限", "first_response_due": "首次响应时限",
    "resolved_at": "完成时间", "name": "姓名",
    # customers
    "Name, phone or address": "姓名、电话或地址", "VIP": "VIP", "VIP only": "仅VIP", "Not VIP": "非VIP",
    "Flag": "标记", "Flags": "标记", "Phones": "电话", "Address": "地址", "Note": "备注", "one per line": "每行一个",
    "Export CSV": "导出CSV", "Export Excel": "导出Excel", "No customer matches": "没有符合条件的客户",
    "Delete this customer?": "确定删除该客户？", "Tickets of this customer": "该客户的工单",
    "CSV (UTF-8) or Excel .xlsx with the columns name, phones, address, vip, flags, note; other columns are kept. "
    "A customer whose phone is known already is merged.":
        "CSV（UTF-8）或 Excel .xlsx 文件，列为 name、phones、address、vip、flags、note，其他列一并保存；"
        "电话已存在的客户将合并。",
    "File": "文件", "Merged": "合并", "Skipped": "跳过", "By": "操作人", "No import yet": "暂无导入记录",
    "More lines were skipped than are listed": "未列出的跳过行数",
    "Line": "行号", "Reason": "原因", "Import another file": "导入其他文件",
    "queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败",
    "done_with_errors": "已完成（有错误）", "sent": "已发送",
    # directory
    "{name} ({phone}) cannot receive SMS (not a mobile number): call instead, or choose someone with a mobile "
    "number": "{name}（{phone}）不是手机号码，无法接收短信：请改为电话联系，或选择有手机号码的人员",
    "Address keyword": "地址关键字", "e.g. 望京SOHO, 阜通东大街": "例如：望京SOHO、阜通东大街",
    "Ticket number (optional)": "工单号（可选）", "Courier": "业务员", "Phone": "电话", "Notify by SMS": "短信通知",
    "Branch": "网点", "Coverage areas": "管辖范围", "Active": "在岗", "No entry yet": "暂无条目", "Label": "显示名称",
    "one keyword per line: street, compound, building": "每行一个关键字：街道、小区、写字楼",
    "courier": "快递员", "technician": "维修技师", "branch": "网点", "service_hall": "营业厅",
    "Kind": "类型", "as the directory": "同通讯录类型", "Skills": "技能",
    "separated by 、 or commas, e.g. 水电、门窗": "用顿号或逗号分隔，例如：水电、门窗",
    # notifications
    "Channel": "渠道", "Text message": "短信", "E-mail": "邮件", "Webhook": "网络回调",
    "Message text": "消息内容", "Time": "时间", "Attempts": "尝试次数", "Last error": "最近错误", "Origin": "来源",
    "Call": "来电", "Nothing sent yet": "暂无发送记录",
    # knowledge base
    "Tags": "标签", "Updated": "更新于", "No article found": "没有找到文章", "Delete this article?": "确定删除该文章？",
    "Type the caller's question": "输入来电客户的问题", "separated by commas": "用逗号分隔",
}

#: Sort keys (ticket_search.SORTS, customers.SORTS) → the words a sort option shows: `_("created_at")` read
#: "created_at" under ?lang=en (QA of issue 11, item 4). Phrases of their own, so no other area's word clashes.
#: The built-in presets (ticket_lists.PRESETS) in words; English showed the codes my_open, today (QA of issue 16,
#: fixc18 item 6).
PRESET_LABELS = {"my_open": "My open tickets", "overdue": "Overdue", "today": "Today"}
SORT_LABELS = {
    "created_at": "Time created", "updated_at": "Time updated", "number": "Ticket number",
    "status": "Ticket status", "priority": "Ticket priority", "resolution_due": "Resolution deadline",
    "first_response_due": "First response deadline", "resolved_at": "Time resolved", "name": "Customer name",
}
STRINGS.update({
    "My open tickets": "我的未完成", "Today": "今天", "Yes": "是", "No": "否",
    "Time created": "创建时间", "Time updated": "更新时间", "Ticket number": "工单号", "Ticket status": "状态",
    "Ticket priority": "优先级", "Resolution deadline": "完成时限", "First response deadline": "首次响应时限",
    "Time resolved": "完成时间", "Customer name": "姓名",
    "Waiting to send": "排队中", "Sent out": "已发送", "Sending failed": "发送失败",
    # the ticket list's export (tester's defect 1)
    "Priority": "优先级", "Ticket completed": "是否完成", "Created (%(zone)s)": "创建时间（%(zone)s）",
    "Due (%(zone)s)": "到期时间（%(zone)s）",
    "Only the first %(cap)s of %(total)s tickets are exported; narrow the filter for the rest.":
        "仅导出前 %(cap)s 条工单（共 %(total)s 条），请缩小筛选范围后导出其余工单。",
})


def register() -> None:
    """Adds the strings; a key some other area translated differently keeps that area's translation."""
    known = {key: value for key, value in i18n.STRINGS.items()}
    i18n.extend({english: {"zh_CN": chinese} for english, chinese in STRINGS.items()
                 if english not in known or known[english].get("zh_CN") == chinese})
