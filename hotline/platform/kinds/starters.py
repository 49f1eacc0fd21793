"""A new document's first draft, per kind and language: valid and lint-clean, so a new document opens with no
findings (QA 16: a new outbound script opened with three, a new form with three, a dispatch rule set with one).

Each starter is the smallest working document an analyst extends: an IVR's greeting, menu and goodbye; a form
with one field and a two-status workflow; an empty rule set; an outbound script with one page that ends with a
disposition and the dialing policy its editor shows (frontend/src/editors/outbound/model.ts DEFAULT_DIALING).
"""

from __future__ import annotations

from typing import Any

#: The words of every starter, per language (a locale not here gets the Chinese ones, the UI's default).
_WORDS: dict[str, dict[str, str]] = {
    "zh_CN": {"welcome": "欢迎语", "welcome_text": "您好，欢迎致电。", "menu": "主菜单",
              "menu_text": "结束本次通话请按0。", "goodbye": "结束语", "goodbye_text": "感谢您的来电，再见。",
              "note": "备注", "open": "待处理", "done": "已完成", "finish": "完成",
              "intro": "开场白", "intro_text": "您好，请问是{{contact.name}}吗？"},
    "en": {"welcome": "Welcome", "welcome_text": "Hello, thank you for calling.", "menu": "Main menu",
           "menu_text": "To end this call, press 0.", "goodbye": "Goodbye",
           "goodbye_text": "Thank you for calling. Goodbye.",
           "note": "Note", "open": "Open", "done": "Done", "finish": "Finish",
           "intro": "Opening", "intro_text": "Hello, am I speaking with {{contact.name}}?"},
}


def _ivr(name: str, w: dict[str, str]) -> dict[str, Any]:
    # The menu says what its one digit does (it said "for an agent, press 0" and 0 hung up: QA 16 round 4 #11).
    return {"title": name, "start": "welcome", "fallback": "goodbye", "nodes": {
        "welcome": {"type": "play", "label": w["welcome"], "prompt": {"text": w["welcome_text"]},
                    "next": "main_menu", "position": {"x": 0, "y": 0}},
        "main_menu": {"type": "menu", "label": w["menu"], "prompt": {"text": w["menu_text"]},
                      "options": {"0": "goodbye"}, "fallback": "goodbye", "position": {"x": 0, "y": 180}},
        "goodbye": {"type": "hangup", "label": w["goodbye"], "prompt": {"text": w["goodbye_text"]},
                    "position": {"x": 0, "y": 360}},
    }}


def _form(name: str, w: dict[str, str]) -> dict[str, Any]:
    return {"title": name,
            "schema": {"type": "object", "properties": {"note": {"type": "string", "title": w["note"]}}},
            "statuses": [{"name": "open", "label": w["open"], "color": "#1677ff", "initial": True},
                         {"name": "done", "label": w["done"], "color": "#52c41a", "final": True}],
            "transitions": [{"from": "open", "to": "done", "label": w["finish"]}]}


def _outbound(name: str, w: dict[str, str]) -> dict[str, Any]:
    return {"title": name, "start": "intro",
            "pages": {"intro": {"title": w["intro"], "say": w["intro_text"], "disposition": "done"}},
            "dispositions": [{"code": "done", "label": w["done"], "outcome": "success"}],
            "dialing": {"mode": "progressive", "timezone": "Asia/Shanghai",
                        "windows": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "18:00"}]}}


def starter_body(kind: str, name: str, locale: str = "zh_CN") -> dict[str, Any]:
    """A new document's first draft in the user's language; it passes the schema and the lint."""
    words = _WORDS.get(locale, _WORDS["zh_CN"])
    if kind == "ivr":
        return _ivr(name, words)
    if kind == "form":
        return _form(name, words)
    if kind == "outbound":
        return _outbound(name, words)
    return {"title": name, "rules": []}
