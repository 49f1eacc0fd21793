"""The test call's refusal of a draft with errors, in the reader's language (QA of issue 16, item 1).

Why a module of its own: the sentence reuses the findings panel's plain words (platform/kinds/wording.py,
`in_words`) so the analyst reads the same finding in both places, lists only a few (a broken draft can have
dozens, many alike) and points to the findings panel for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...platform.findings import Finding
from ...platform.kinds.fixes import with_fixes
from ...platform.kinds.wording import in_words

#: How many findings the sentence lists; the rest are counted and left to the findings panel.
LISTED = 3

_WORDS = {
    "zh_CN": {"head": "草稿有错误，模拟来电无法运行，请先修正：", "sep": "；",
              "more": "；还有 {n} 条，见右侧「检查结果」", "all": "（见右侧「检查结果」）"},
    "en": {"head": "The draft has errors the test call cannot run with. Fix them first: ", "sep": "; ",
           "more": "; {n} more, see Findings on the right", "all": " (see Findings on the right)"},
}


def draft_findings(findings: Sequence[Finding], body: Any, locale: str) -> list[Finding]:
    """The findings as the findings panel words them (same rewording, same fixes)."""
    return in_words(with_fixes(list(findings), "ivr", body), "ivr", body, locale)


def refusal(findings: Sequence[Finding], locale: str) -> str:
    """One sentence: the first few distinct error messages, the rest counted, the findings panel named."""
    words = _WORDS.get(locale, _WORDS["en"])
    messages: list[str] = []
    for finding in findings:
        if finding.severity == "error" and finding.message not in messages:
            messages.append(finding.message)
    listed = words["sep"].join(messages[:LISTED])
    rest = len(messages) - LISTED
    tail = words["more"].format(n=rest) if rest > 0 else words["all"]
    return words["head"] + listed + tail


#: An entry with keys a phone does not have (a waybill typed as "SF123"), refused in the reader's language.
_NOT_KEYS = {
    "zh_CN": "电话键盘只有 0-9、* 和 #：「{text}」中的「{bad}」无法按出，请只输入数字",
    "en": "A phone keypad has only 0-9, * and #: “{bad}” in “{text}” cannot be pressed; enter digits only",
}


def not_keys(text: str, locale: str) -> str | None:
    """The refusal of an entry with non-keypad characters, or None when every character is a key."""
    bad = "".join(dict.fromkeys(c for c in text if c not in "0123456789*#"))
    if not bad:
        return None
    return _NOT_KEYS.get(locale, _NOT_KEYS["en"]).format(text=text[:64], bad=bad[:16])


#: An entry the waiting node would not take whole (runtime/trial/entry.py), in the reader's language.
_ENTRY = {
    "zh_CN": {"too_many": "「{node}」最多收 {most} 位，您输入了 {n} 位{before}；多出的按键会被下一个节点读到，"
                          "整段未发送，请检查后重新输入",
              "after_end": "「{node}」的输入到此结束，其后的「{rest}」会被下一个节点读到；"
                           "整段未发送，请去掉它们或分开发送",
              "not_waiting": "通话当前不在等待按键（在「{node}」），整段输入未发送；请等节点提示按键时再发送",
              "before": "（含之前已按的 {already} 位）"},
    "en": {"too_many": "「{node}」 takes at most {most} digit{s}; you entered {n}{before}. The extra keys would be "
                       "read by the next node, so nothing was sent: check the entry and send it again",
           "after_end": "「{node}」 ends the entry there; “{rest}” after it would be read by the next node, so "
                        "nothing was sent: leave it out or send it separately",
           "not_waiting": "The call is not waiting for keys (it is at 「{node}」), so the entry was not sent; "
                          "send it when a node asks for keys",
           "before": " (including {already} pressed before)"},
}


def entry_refusal(refused: Any, locale: str) -> str:
    """The sentence for an EntryRefused: the node by its label, its maximum and the count typed."""
    words = _ENTRY.get(locale, _ENTRY["en"])
    before = words["before"].format(already=refused.already) if refused.already else ""
    return words[refused.reason].format(node=refused.label[:80], most=refused.most, n=refused.typed,
                                        before=before, rest=refused.rest[:16],
                                        s="" if refused.most == 1 else "s")
