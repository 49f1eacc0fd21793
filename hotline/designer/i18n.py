"""UI strings: Chinese by default, English on request. One table so every page says the same words.

Keys are the English strings, so an untranslated key still reads sensibly. The chosen language is kept
in the session (`?lang=en` on any page switches it) so it survives navigation and sign-in.
"""

from __future__ import annotations

from flask import current_app, request, session

from hotline.platform.words import KIND_LABELS, ROLE_LABELS

LOCALES = ("zh_CN", "en")

STRINGS: dict[str, dict[str, str]] = {
    "Hotline": {"zh_CN": "热线云客服平台"},
    "Tenants": {"zh_CN": "租户"},
    "Template": {"zh_CN": "模板"},
    "Documents": {"zh_CN": "文档"},
    "Kind": {"zh_CN": "类型"},
    "Name": {"zh_CN": "名称"},
    "Title": {"zh_CN": "标题"},
    "Published version": {"zh_CN": "已发布版本"},
    "Draft revision": {"zh_CN": "草稿修订"},
    "not published": {"zh_CN": "未发布"},
    "Sign in": {"zh_CN": "登录"},
    "Sign out": {"zh_CN": "退出登录"},
    "Username": {"zh_CN": "用户名"},
    "Password": {"zh_CN": "密码"},
    "Wrong username or password": {"zh_CN": "用户名或密码错误"},
    "Choose a tenant": {"zh_CN": "选择租户"},
    "Work in this tenant": {"zh_CN": "进入该租户"},
    "Current tenant": {"zh_CN": "当前租户"},
    "current": {"zh_CN": "当前"},
    "Roles": {"zh_CN": "角色"},
    "Role": {"zh_CN": "角色"},
    "You have no role in any tenant yet; ask a tenant admin.": {
        "zh_CN": "您尚未在任何租户中拥有角色，请联系租户管理员。"},
    "Page not found": {"zh_CN": "页面不存在"},
    "Not allowed": {"zh_CN": "无权操作"},
    # The reasons a 403 page gives under "Not allowed" (auth.require_tenant): worded in Chinese too, not English.
    "your role in this tenant does not allow this": {"zh_CN": "您在本租户的角色不能进行此操作。"},
    "choose a tenant to work in first": {"zh_CN": "请先选择要进入的租户。"},
    "you have no agent extension": {"zh_CN": "您没有座席分机号。"},
    "only platform operators manage the platform-wide do-not-call list":
        {"zh_CN": "只有平台运营人员可以管理全平台免打扰名单。"},
    "The form expired; reload the page and try again.": {"zh_CN": "表单已过期，请刷新页面后重试。"},
    # the counter under a bounded ticket field (desk/form_render._counter, shared by the desk and the studio)
    "characters at most": {"zh_CN": "字（上限）"},
    ", at least {least}": {"zh_CN": "，至少 {least} 字"},
    "11-digit mobile number": {"zh_CN": "11 位手机号"},
    "{count} digits": {"zh_CN": "{count} 位数字"},
    "{least}–{most} digits": {"zh_CN": "{least}–{most} 位数字"},
    ", an optional leading +": {"zh_CN": "，可以 + 开头"},
    "Between {low} and {high}": {"zh_CN": "范围 {low}–{high}"},
    "At least {low}": {"zh_CN": "不小于 {low}"},
    "At most {high}": {"zh_CN": "不大于 {high}"},
}
# Role codes read as labels in both languages (platform.words is the one source; English pages showed the codes).
STRINGS.update({code: {"zh_CN": zh, "en": en} for code, (zh, en) in ROLE_LABELS.items()})
# Document kinds likewise (/tenants/<slug> showed "dispatch / form" in English: QA of fix-labels item 2).
STRINGS.update({code: {"zh_CN": zh, "en": en} for code, (zh, en) in KIND_LABELS.items()})


def extend(strings: dict[str, dict[str, str]]) -> None:
    """Add an area's strings to the one table; a key translated two ways is a bug, so it fails loudly."""
    for key, translations in strings.items():
        known = STRINGS.get(key)
        if known is not None and known != translations:
            raise ValueError(f"UI string {key!r} is translated differently in two places: {known} vs {translations}")
        STRINGS[key] = translations


def translate(text: str, locale: str) -> str:
    if locale == "en":  # keyed strings (figure.offered) carry their English text; plain keys are it
        return STRINGS.get(text, {}).get("en", text)
    return STRINGS.get(text, {}).get(locale, text)


def current_locale() -> str:
    """The request's language: `?lang=`, else the session's choice, else the configured default."""
    asked = request.args.get("lang")
    if asked in LOCALES:
        return asked
    return session.get("lang") or current_app.config["HOTLINE_LOCALE"]


def remember_locale() -> None:
    """Before every request: a `?lang=` choice is kept for the rest of the session."""
    asked = request.args.get("lang")
    if asked in LOCALES and session.get("lang") != asked:
        session["lang"] = asked
