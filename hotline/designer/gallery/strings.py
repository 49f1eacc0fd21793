"""The gallery's UI strings (English keys, Chinese default)."""

from __future__ import annotations

from ..i18n import extend

extend({
    "Template gallery": {"zh_CN": "行业模板库"},
    "Preview template": {"zh_CN": "预览模板"},
    "IVR outline": {"zh_CN": "语音导航结构"},
    "Forms and their fields": {"zh_CN": "工单表单及字段"},
    "Field name": {"zh_CN": "字段名"},
    "Field type": {"zh_CN": "字段类型"},
    "Required field": {"zh_CN": "必填"},
    "Field options": {"zh_CN": "可选值"},
    "Form statuses": {"zh_CN": "工单状态"},
    "Dispatch rules": {"zh_CN": "分派规则"},
    "Outbound scripts": {"zh_CN": "外呼脚本"},
    "script pages": {"zh_CN": "页"},
    "IVR nodes": {"zh_CN": "个节点"},
    "Queues and directories": {"zh_CN": "队列与通讯录"},
    "directory entries": {"zh_CN": "条"},
    "Create a tenant from this template": {"zh_CN": "用此模板创建租户"},
    "Tenant name": {"zh_CN": "租户名称（英文标识）"},
    "Create tenant": {"zh_CN": "创建租户"},
    "Lower-case letters, digits, '_' or '-', starting with a letter": {
        "zh_CN": "只能使用小写字母、数字、“_”或“-”，并以字母开头"},
    "Enter the tenant's name": {"zh_CN": "请输入租户名称"},
    "Re-import into draft": {"zh_CN": "重新导入为草稿"},
    "Your tenant was created from this template: re-importing replaces the document's draft with the "
    "template's version; the published version stays until you publish.": {
        "zh_CN": "您的租户由此模板创建：重新导入会用模板版本替换该文档的草稿，已发布版本在您再次发布前保持不变。"},
    "Open in designer": {"zh_CN": "在设计器中打开"},
    "back to": {"zh_CN": "返回到"},
    "All templates": {"zh_CN": "全部模板"},
    "Title (optional)": {"zh_CN": "显示名称（可选）"},
    "Tenant {slug} created from template {template}; you are now working in it.": {
        "zh_CN": "已用模板“{template}”创建租户 {slug}，您现在正在该租户中工作。"},
    "{document} re-imported into the draft (revision {revision}); publish it to use it.": {
        "zh_CN": "{document} 已重新导入为草稿（修订 {revision}），发布后生效。"},
    "Could not create the tenant": {"zh_CN": "无法创建租户"},
    "A tenant named {slug} already exists; choose another name.": {"zh_CN": "已有名为 {slug} 的租户，请换一个名称。"},
    "not in your tenant": {"zh_CN": "本租户中没有"},
    "2–64 characters: lower-case letters, digits, '_' or '-', starting with a letter": {
        "zh_CN": "2–64 个字符：只能使用小写字母、数字、“_”或“-”，并以字母开头"},
    "This name is free.": {"zh_CN": "此名称可用。"},
    "Numbers (DIDs)": {"zh_CN": "号码（DID，可选，多个用逗号分隔）"},
    "First tenant admin (login)": {"zh_CN": "首位租户管理员（登录名，可选）"},
    "{number} is not a phone number: 3 to 20 digits, an optional leading +.": {
        "zh_CN": "{number} 不是电话号码：应为 3 到 20 位数字，可以 + 开头。"},
    "At most {count} numbers at once.": {"zh_CN": "一次最多 {count} 个号码。"},
    "numbers at most": {"zh_CN": "个号码（上限）"},
    "The number {number} is already assigned to the tenant “{title}” ({slug}).": {
        "zh_CN": "号码 {number} 已分配给租户“{title}”（{slug}）。"},
    "The login {username} may use 2–64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit.": {
        "zh_CN": "登录名 {username} 只能使用 2–64 个字母、数字、“_”“.”“@”或“-”，并以字母或数字开头。"},
    "The account {username} is deactivated.": {"zh_CN": "账号 {username} 已停用。"},
    "Numbers routed to its main IVR: {numbers}.": {"zh_CN": "已将号码接入其主语音导航：{numbers}。"},
    "First tenant admin: new account {username}, one-time password {password} (shown only now: pass it on; they "
    "change it on their password page).": {
        "zh_CN": "首位租户管理员：新账号 {username}，一次性密码 {password}"
                 "（仅显示这一次：请转交本人，并在“修改密码”页更改）。"},
    "First tenant admin: the existing account {username} now has the role.": {
        "zh_CN": "首位租户管理员：已有账号 {username} 已获得该角色。"},
})

#: Words of the IVR outline (node exits and node types). Kept here rather than in the shared table: keys as
#: short as "next" or "queue" would collide with other areas' translations of the same English word.
TERMS: dict[str, str] = {
    "next": "下一步", "open": "营业时间内", "closed": "非营业时间",
    "fallback": "兜底", "else": "否则", "branches": "条件",
    "found": "查到", "not_found": "未查到", "error": "出错",
    "no_handler": "无处理人", "refused": "不可催办",
    "overflow": "溢出", "after": "结束后", "accepted": "接受",
    "declined": "拒绝", "target": "目标",
    "hours": "营业时间", "menu": "菜单", "play": "放音",
    "collect": "收号", "lookup": "查询", "condition": "条件判断",
    "set": "设置变量", "queue": "排队", "transfer": "转接",
    "voicemail": "留言", "callback": "预约回电", "ticket": "建工单", "urge": "催办",
    "sms": "短信", "survey": "满意度调查", "goto": "跳转",
    "hangup": "挂机",
}


def term(key: str, locale: str) -> str:
    """An outline word in the page's language (the English key itself in English, or when unknown)."""
    return key if locale == "en" else TERMS.get(key, key)
