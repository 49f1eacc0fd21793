"""Labels of the administration pages: Chinese by default, English under `?lang=en`, like the designer's pages.

Flask-Admin fixes view names, column and field labels when the views are built, so each label is a lazy
string (Flask-Babel's LazyString) that reads the request's language when it is shown; outside a request
(while the views are built) it reads the configured locale (`web_locale`). Strings not in this table fall
back to the designer's table (../i18n.py), then to the English key. Flask-Admin's own words (List, Create,
With selected, Delete) and WTForms' messages come from their shipped translations through Flask-Babel
(admin/__init__.py), in the same language (QA of issue 11, item 3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_request_context

from ..i18n import current_locale, translate

STRINGS: dict[str, str] = {
    "Hotline administration": "热线平台管理",
    "Yes": "是",
    "No": "否",
    "Platform": "平台",
    "Tenant": "租户",
    "Tenants": "租户",
    "Users": "用户",
    "DIDs": "接入号码",
    "Templates": "行业模板",
    "Queues": "队列",
    "Skills": "技能",
    "Agent skills": "座席技能",
    "Directories": "通讯录",
    "Directory entries": "通讯录条目",
    "Prompts": "提示音",
    "Articles": "知识库文章",
    "Memberships": "成员角色",
    "Agent extensions": "成员分机",
    "Extension": "分机",
    "Save": "保存",
    "Extension saved": "分机已保存：",
    "Choose a member of this tenant.": "请选择本租户的成员。",
    "An extension is 1 to 32 characters, without a colon.": "分机为 1 到 32 个字符，不能含冒号。",
    "This extension is already in use; choose another.": "该分机已被占用，请换一个。",
    "This agent serves several tenants; only the platform operator may change the extension.":
        "该座席同时服务多个租户，只有平台运营方可以修改其分机。",
    "The switch rings a member at this extension: agents at the desk, supervisors and QA for listen in, "
    "whisper and barge.": "交换机按此分机呼叫成员：座席接听来电，班长和质检用于监听、耳语和强插。",
    "Slug": "标识",
    "Title": "标题",
    "Template": "模板",
    "Settings": "设置",
    "Active": "启用",
    "Created at": "创建时间",
    "Updated at": "更新时间",
    "Username": "用户名",
    "Display name": "显示名称",
    "Platform operator": "平台运营",
    "New password": "新密码",
    "Leave empty to keep the current password.": "留空则不修改密码。",
    "Number": "号码",
    "Label": "显示名称",
    "IVR": "语音导航",
    "Name": "名称",
    "Description": "说明",
    "Priority": "优先级",
    "Service level (seconds)": "服务水平（秒）",
    "Longest wait (seconds)": "最长等待（秒）",
    "User": "用户",
    "Skill": "技能",
    "Level": "等级",
    "Kind": "类型",
    "Directory": "通讯录",
    "Phone": "电话",
    "Branch": "网点",
    "Coverage areas": "覆盖区域",
    "Separate with commas or 、": "用逗号或顿号（、）分隔",
    "Text": "文本",
    "Audio file": "音频文件",
    "Recorded": "已录音",
    "No recording (read by TTS)": "无录音（TTS 朗读）",
    "Body": "正文",
    "Tags": "标签",
    "Role": "角色",
    "This number is already assigned.": "该号码已被分配。",
    "This name is already taken.": "该名称已被使用。",
    "Settings not saved": "设置未保存",
    "Unknown skills (add them under Skills first)": "未知技能（请先在“技能”中添加）",
    # message provider findings (services/message_providers.py), shown in the admin's language
    "a name of 1 to 32 characters is needed": "名称需为 1 到 32 个字符",
    "the channel is SMS or e-mail": "渠道只能是短信或电子邮件",
    "the gateway's URL is needed": "请填写网关地址",
    "an http(s) URL of at most 500 characters": "须为 http(s) 网址，最多 500 个字符",
    "the template must place the message: {{text}}": "模板中必须包含消息内容占位符 {{text}}",
    "a header name: letters, digits and '-'": "请求头名称只能包含字母、数字和“-”",
    "the SMTP server's host name or address": "请填写 SMTP 服务器的主机名或地址",
    "a port from 1 to 65535": "端口须在 1 到 65535 之间",
    "the sender's e-mail address": "请填写发件人的电子邮件地址",
    "at most 200 characters": "最多 200 个字符",
    "An SMS goes to a mobile number (e.g. 13800138000)": "短信只能发往手机号码（如 13800138000）",
    "An e-mail goes to an address such as name@example.com": "电子邮件须发往有效地址，如 name@example.com",
    "Enter a whole number from %(min)s to %(max)s.": "请输入 %(min)s 到 %(max)s 之间的整数。",
    "Keys left out are kept; set a key to null to remove it.": "未填写的键保持不变；要删除某个键，请把它设为 null。",
    "No user with this username.": "没有该用户名的用户。",
    "The user already holds this role in this tenant.": "该用户在本租户中已拥有此角色。",
    "A new user needs a password.": "新用户需要设置密码。",
    # ACD settings (acd_fields.py)
    "Strategy": "分配策略",
    "How a free agent is picked for the next call.": "下一通电话分配给哪位空闲座席。",
    "Longest idle agent first": "空闲最久的座席优先",
    "Round robin": "轮流分配",
    "Fewest calls today first": "今日接听最少的座席优先",
    "Highest skill level first": "技能等级最高的座席优先",
    "Ring all free agents": "所有空闲座席同时振铃",
    "Ageing (seconds per priority level)": "等待提升（每级优先级的秒数）",
    "A waiting call gains one priority level per this many seconds; 0 = strict priorities.":
        "排队来电每等待这么多秒提升一级优先级；0 表示严格按优先级。",
    "Wrap-up (seconds)": "话后整理（秒）",
    "After-call work before the agent gets the next call; empty = the platform default.":
        "座席接下一通电话前的整理时间；留空则使用平台默认值。",
    "Overflow after (seconds)": "溢出等待（秒）",
    "A call waiting this long here moves to the overflow queue; empty = never.":
        "来电在本队列等待这么久后转入溢出队列；留空则不溢出。",
    "Overflow queue": "溢出队列",
    "None": "无",
    "Enter a whole number of seconds from %(min)s to %(max)s.": "请输入 %(min)s 到 %(max)s 之间的整数秒。",
    "Choose the overflow queue, or leave the overflow time empty.": "请选择溢出队列，或清空溢出等待时间。",
    "Give the overflow time, or choose no overflow queue.": "请填写溢出等待时间，或不选择溢出队列。",
    "The overflow queue must be one of this tenant's queues.": "溢出队列必须是本租户的队列。",
    "A queue cannot overflow to itself.": "队列不能溢出到自身。",
    "Cap on shared agents": "共享座席上限",
    "How many shared agents may hold this tenant's calls at once; empty = no cap.":
        "同一时间最多可有多少名共享座席处理本租户的来电；留空则不限。",
    "Enter a whole number from %(min)s to %(max)s, or leave it empty.":
        "请输入 %(min)s 到 %(max)s 之间的整数，或留空。",
    # message providers and knowledge-base synonyms (provider_views.py)
    "Message providers": "短信与邮件通道",
    "Knowledge-base synonyms": "知识库同义词",
    "Channel": "渠道",
    "SMS": "短信",
    "E-mail": "邮件",
    "Secret": "密钥",
    "Provider": "通道",
    "Gateway URL": "网关地址",
    "SMS: may contain {{to}} and {{text}}": "短信：可包含 {{to}} 和 {{text}}",
    "Method": "请求方法",
    "Content type": "内容类型",
    "Body template": "请求体模板",
    "{{to}}, {{text}}, {{subject}}, {{id}}; each value is escaped for the content type":
        "可用 {{to}}、{{text}}、{{subject}}、{{id}}；各值按内容类型转义",
    "Auth header name": "认证请求头名称",
    "e.g. Authorization; its value is the secret": "如 Authorization；其值即密钥",
    "SMTP host": "SMTP 服务器",
    "SMTP port": "SMTP 端口",
    "TLS": "加密方式",
    "Implicit TLS": "SSL/TLS",
    "SMTP user": "SMTP 用户名",
    "Sender address": "发件人地址",
    "Timeout (seconds)": "超时（秒）",
    "Auth header value or SMTP password; leave empty to keep it": "认证请求头的值或 SMTP 密码；留空则保持不变",
    "Send test": "发送测试",
    "Set": "已设置",
    "Recipient": "收件人",
    "Enter a recipient": "请输入收件人",
    "Test message sent": "测试消息已发送",
    "Test message failed": "测试消息发送失败",
    "Callers say": "来电用语",
    "Articles say": "文章用语",
    "Data tables": "数据表",
    "Recent imports": "最近的导入",
    "Status": "状态",
    "A file is loaded by a background worker; reload the page to see its progress.":
        "文件由后台任务导入；刷新页面查看进度。",
    "Data table": "数据表",
    "File": "文件",
    "Result": "结果",
    "created": "新增",
    "updated": "更新",
    "skipped": "跳过",
    "Line": "行号",
    "Line {n}": "第 {n} 行",
    "Rows": "行数",
    "Load a file": "导入文件",
    "Import": "导入",
    "Export CSV": "导出 CSV",
    "The first column is the key (headed key), the others are fields; each line creates or replaces the row of "
    "its key.": "第一列为键（表头写 key），其余列为字段；每行新增或替换该键的记录。",
    # tenant settings (platform/tenant_settings.py)
    "the settings must be a JSON object ({...})": "设置必须是一个 JSON 对象（{...}）",
    "must be %(kind)s": "必须是%(kind)s",
    "text": "文本", "an object": "对象", "a list": "列表",
    "unknown time zone %(zone)s (an IANA name such as Asia/Shanghai)":
        "未知的时区 %(zone)s（请使用 IANA 时区名，如 Asia/Shanghai）",
    "must be an object with a recipient (to)": "必须是包含收件人（to）的对象",
    "differs from /timezone (%(zone)s): a tenant has one time zone for every page and its calendar":
        "与 /timezone（%(zone)s）不同：一个租户的所有页面和营业日历只使用一个时区",
    "must be a phone number as text": "必须是文本形式的电话号码",
    "must be a whole number of days from %(low)s to %(high)s": "必须是 %(low)s 到 %(high)s 之间的整数天数",
    # the fields a provider's or synonym's finding names
    "url": "网关地址", "method": "请求方法", "content_type": "内容类型", "body_template": "请求体模板",
    "auth_header": "认证请求头名称", "host": "SMTP 服务器", "port": "SMTP 端口", "tls": "加密方式",
    "user": "SMTP 用户名", "sender": "发件人地址", "timeout_seconds": "超时（秒）", "term": "来电用语",
    "alternatives": "文章用语", "name": "名称", "channel": "渠道", "secret": "密钥",
}


def words(text: str, locale: str) -> str:
    """The admin table first, then the designer's; English is the key itself unless the designer's table words a
    code in English too (a role code such as "tenant_admin" reads "Tenant admin")."""
    if locale == "en":
        return translate(text, "en")
    return STRINGS.get(text) or translate(text, locale)


def labeller(locale: str) -> Callable[[str], Any]:
    """`_` for the admin: a label in the request's language (`locale` when there is no request)."""
    try:
        from flask_babel import LazyString
    except ImportError:  # an environment installed before flask-babel joined the dependencies: fixed labels
        return lambda text: words(text, locale)

    def lazy(text: str) -> Any:
        return LazyString(lambda: words(text, current_locale() if has_request_context() else locale))
    return lazy
