"""Yes/no and priority in the reader's words, through one function each (QA of dev-conditions, items 4 and 5):
booleans read 是/否 in Chinese and Yes/No in English wherever a person sees them, never True/False, and a
ticket's priority reads 紧急（9）/ Urgent (9), not 9."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from hotline.platform.ticket_forms import field_values
from hotline.platform.words import priority_label, yes_no

ROOT = Path(__file__).resolve().parents[2] / "hotline"
FORM = {"schema": {"type": "object", "properties": {
    "fragile": {"type": "boolean", "title": "易碎"}, "kind": {"type": "string", "title": "类型",
                                                         "oneOf": [{"const": "doc", "title": "文件"}]}}}}


@pytest.mark.parametrize(("locale", "yes", "no"), [("zh_CN", "是", "否"), ("en", "Yes", "No"), (None, "是", "否")])
def test_yes_no_by_language(locale: str | None, yes: str, no: str) -> None:
    assert (yes_no(True, locale), yes_no(False, locale)) == (yes, no)


@pytest.mark.parametrize(("value", "zh", "en"), [(9, "紧急（9）", "Urgent (9)"), (7, "高（7）", "High (7)"),
                                                 (5, "普通（5）", "Normal (5)"), (0, "低（0）", "Low (0)"),
                                                 ("8", "紧急（8）", "Urgent (8)"), (42, "42", "42")])
def test_priority_in_words(value: object, zh: str, en: str) -> None:
    assert priority_label(value, "zh_CN") == zh and priority_label(value, "en") == en


def test_a_tickets_fields_say_yes_no_in_the_readers_language() -> None:
    """The desk's read-only fields and the pop's hover text (ticket_forms.field_values) were Chinese only."""
    data = {"fragile": True, "kind": "doc"}
    assert field_values(FORM, data, "en") == [("易碎", "Yes"), ("类型", "文件")]
    assert field_values(FORM, {"fragile": False}, "zh_CN") == [("易碎", "否")]


def test_no_module_words_a_boolean_by_itself() -> None:
    """Every 是/否 and Yes/No of a boolean goes through words.yes_no: a literal 是/否 pair, `"是" if x else …`
    or `translate("Yes" if …)` anywhere else in the product is a second wording that drifts."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "words.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.IfExp):
                continue
            words = {getattr(node.body, "value", None), getattr(node.orelse, "value", None)}
            if words in ({"是", "否"}, {"Yes", "No"}):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
