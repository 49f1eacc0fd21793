"""UI strings: Chinese by default, English on request. One table so every page says the same words."""

from __future__ import annotations

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
    "ivr": {"zh_CN": "语音导航"},
    "form": {"zh_CN": "工单表单"},
    "dispatch": {"zh_CN": "分派规则"},
    "outbound": {"zh_CN": "外呼脚本"},
}


def translate(text: str, locale: str) -> str:
    if locale == "en":
        return text
    return STRINGS.get(text, {}).get(locale, text)
