"""Findings name an action's parameters as the dispatch editor labels them (QA 16 findings, item 3: "动作 1 缺少
「编号」" for the field the editor calls 小组、座席或部门名称). The editor's labels (ParamInput.tsx PARAM_LABELS and
their Chinese in editors/strings.ts) and the server's (wording_kinds.ACTION_PARAMS) are compared here, so the two
tables cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.platform.kinds.lint import check
from hotline.platform.kinds.wording import in_words
from hotline.platform.kinds.wording_kinds import ACTION_PARAMS
from tests.platform.kinds.conftest import tenant_context

FRONTEND = Path(__file__).resolve().parents[3] / "frontend" / "src" / "editors"


def editor_labels() -> dict[str, dict[str, str]]:
    source = (FRONTEND / "dispatch" / "ParamInput.tsx").read_text(encoding="utf-8")
    start = source.index("export const PARAM_LABELS")
    block = source[source.index("{", start) + 1:source.index("};", start)]
    block = re.sub(r"//[^\n]*", "", block)
    strings = (FRONTEND / "strings.ts").read_text(encoding="utf-8")
    labels = {}
    for key, english in re.findall(r'"?([\w.]+)"?: "([^"]*)"', block):
        zh = re.search(rf'^\s*"{re.escape(english)}": "([^"]*)"', strings, re.M)
        assert zh, f"no Chinese for the editor label {english!r}"
        labels[key] = {"en": english, "zh": zh.group(1)}
    return labels


def test_the_server_names_action_parameters_as_the_editor_does() -> None:
    assert editor_labels() == ACTION_PARAMS


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "动作 1 缺少「小组、座席或部门名称」"),
                                             ("en", "missing “Group, agent or department”")])
def test_a_missing_assignee_is_named_by_the_editors_label(lang: str, words: str) -> None:
    body = {"rules": [{"name": "r", "event": "ticket.created",
                       "actions": [{"type": "assign", "target": "group"}]}]}
    said = [f.message for f in in_words(check("dispatch", body, tenant_context()), "dispatch", body, lang)]
    assert any(words in m for m in said), said
