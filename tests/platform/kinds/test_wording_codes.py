"""Every lint code has a sentence in Chinese and in English (issue 16 #2): the rewording is keyed by the finding's
code, so a new lint code without one would silently reach analysts as the developers' English sentence. The codes
are read from the lint modules themselves (every `error(…)`/`warning(…)` call), so adding a code without wording
it fails here."""

from __future__ import annotations

import ast
from importlib import resources

import pytest

from hotline.platform.kinds.wording import EN, LINT_CODES_WORDED_BY_IVR, ZH
from hotline.platform.kinds.wording_kinds import NAMED_CODES, SENTENCES


def lint_codes() -> set[str]:
    """The code of every finding a lint module makes: the last string argument of error()/warning()."""
    codes: set[str] = set()
    root = resources.files("hotline.platform.kinds")
    files = [root / "lint_helpers.py", *(root / kind / "lint.py" for kind in ("ivr", "form", "dispatch", "outbound"))]
    for file in files:
        for call in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("error", "warning") and call.args:
                last = call.args[-1]
                if isinstance(last, ast.Constant) and isinstance(last.value, str):
                    codes.add(last.value)
    return codes


def test_the_lint_codes_are_found() -> None:
    assert {"unknown-target", "bad-range", "unknown-field", "dead-end"} <= lint_codes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_lint_code_has_a_sentence_in_both_languages(lang: str) -> None:
    worded = set(SENTENCES[lang]) | NAMED_CODES | LINT_CODES_WORDED_BY_IVR
    assert sorted(lint_codes() - worded) == []
    ivr = ZH if lang == "zh" else EN
    for code in LINT_CODES_WORDED_BY_IVR:
        assert code in ivr.sentences or code in SENTENCES[lang], code
