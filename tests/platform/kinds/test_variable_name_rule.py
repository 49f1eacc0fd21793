"""One rule for variable names (fix-nodes QA item 4): the collect node's help said "-" was allowed while the finding
said letters, digits and underscore only, and `way-bill` was accepted. Templates read a variable as {{name}} and
conditions as var.name, neither of which can hold "-", so a variable name is letters, digits and _ (ivr schema
`$defs/variable`); machine names elsewhere (node ids) keep "-", and each finding says the rule that applies."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hotline.platform.kinds.validation import validate_schema
from hotline.platform.kinds.wording import in_words

ROOT = Path(__file__).resolve().parents[3]
BODY = {
    "start": "ask-1", "fallback": "bye",
    "nodes": {
        "ask-1": {"type": "collect", "label": "输入运单号", "prompt": {"text": "请输入运单号"}, "variable": "waybill",
                  "next": "bye", "fallback": "bye"},
        "bye": {"type": "hangup", "label": "再见"},
    },
}


def _words(body: dict, lang: str) -> list[str]:
    return [f.message for f in in_words(validate_schema("ivr", body), "ivr", body, lang)]


def test_a_node_id_with_a_dash_is_fine_and_a_variable_with_a_dash_is_refused_saying_the_variable_rule() -> None:
    assert validate_schema("ivr", BODY) == []
    body = copy.deepcopy(BODY)
    body["nodes"]["ask-1"]["variable"] = "way-bill"
    zh, en = _words(body, "zh_CN"), _words(body, "en")
    assert len(zh) == 1 and "变量名只能用字母、数字和下划线，且不能以数字开头" in zh[0], zh
    assert "a variable name may contain only letters, digits and underscores" in en[0], en


def test_a_declared_variable_with_a_dash_is_refused_by_name() -> None:
    body = copy.deepcopy(BODY)
    body["variables"] = {"way-bill": {}}
    zh = _words(body, "zh_CN")
    assert zh == ["变量名「way-bill」不可用：变量名只能用字母、数字和下划线，且不能以数字开头"], zh


def test_the_panel_help_and_the_schema_say_the_same_rule() -> None:
    schema = json.loads((ROOT / "hotline/platform/kinds/ivr/schema.json").read_text())
    variable = schema["$defs"]["variable"]
    assert variable["pattern"] == "^[A-Za-z_][A-Za-z0-9_]{0,63}$"
    collect = schema["$defs"]["collect"]["properties"]["variable"]
    assert collect == {"$ref": "#/$defs/variable"}
    field_text = (ROOT / "frontend/src/ivr/fieldText.ts").read_text()
    assert json.dumps(variable["description"], ensure_ascii=False) in field_text
    edits = (ROOT / "frontend/src/ivr/nodeEdits.ts").read_text()
    assert "export const VARIABLE_NAME = /" + variable["pattern"] + "/;" in edits
