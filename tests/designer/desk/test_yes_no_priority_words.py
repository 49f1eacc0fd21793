"""The desk's history and the records' hover text say yes/no and priority in the reader's words (QA of
dev-conditions, items 4 and 5; hotline/platform/words.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from hotline.designer.desk import strings as desk_strings
from hotline.designer.desk.ticket_pages import history_rows
from hotline.designer.records.tickets import content_text


def test_the_records_hover_text_says_yes_no_in_the_readers_language() -> None:
    assert content_text({"fragile": False}, {"fragile": "易碎"}, {}, "en") == "易碎: No"
    assert content_text({"fragile": True}, {"fragile": "易碎"}, {}) == "易碎: 是"


def test_the_desk_history_words_a_yes_no_change_and_a_priority(app) -> None:
    """A history line read "易碎: False → True" and "priority: 5 → 9"."""
    desk_strings.register()  # done on the first desk request
    entry = SimpleNamespace(at=datetime(2026, 12, 7, 8, 0, tzinfo=UTC), actor="dispatch", action="update",
                            changes={"fragile": [False, True], "priority": [5, 9]})
    for lang, rows in (("zh_CN", [("易碎", "否", "是"), ("优先级", "普通（5）", "紧急（9）")]),
                       ("en", [("易碎", "No", "Yes"), ("Priority", "Normal (5)", "Urgent (9)")])):
        with app.test_request_context(f"/?lang={lang}"):
            shown = history_rows([entry], {"fragile": "易碎"}, {}, "Asia/Shanghai")
        assert shown[0]["changes"] == rows, lang
