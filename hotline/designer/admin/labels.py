"""Labels of the administration pages, in the app's configured language (Chinese by default).

Flask-Admin fixes view names, column and field labels when the views are built, so they follow the
configured locale (`web_locale`), not the per-request `?lang=` switch of the designer pages. Strings not
in this table fall back to the designer's table (../i18n.py), then to the English key.
"""

from __future__ import annotations

from ..i18n import translate

STRINGS: dict[str, str] = {
    "Hotline administration": "热线平台管理",
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
    "No user with this username.": "没有该用户名的用户。",
    "The user already holds this role in this tenant.": "该用户在本租户中已拥有此角色。",
    "A new user needs a password.": "新用户需要设置密码。",
}


def labeller(locale: str):  # returns Callable[[str], str]
    """`_` for the admin: the admin table first, then the designer's."""
    if locale == "en":
        return lambda text: text
    return lambda text: STRINGS.get(text) or translate(text, locale)
