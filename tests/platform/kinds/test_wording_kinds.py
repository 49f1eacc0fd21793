"""Findings of forms, dispatch rules and outbound scripts in plain words (QA 16 findings round, #4): a form's
findings read "schema", "statuses", "transitions" and 'quoted codes'; they must name things by their labels and say
the fix, in Chinese and in English, as IVR findings do. Every bad fixture of these kinds is worded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.platform.kinds.lint import check
from hotline.platform.kinds.starters import starter_body
from hotline.platform.kinds.wording import in_words
from tests.platform.kinds.conftest import context_for, documents, load, tenant_context

#: What an analyst must never read: a developer's quoted code, a JSON Pointer, a schema keyword or a raw key
#: (tenant text quoted in 「」 or “” is the analyst's own, and left out of the check).
RAW = re.compile(r"(?<!\w)'[^']*'|(?:^|\s)/\w|\b(?:schema|statuses|transitions|ui\.\w+|searchable|minLength|"
                 r"maxLength|minItems|maxItems|oneOf|enum|[a-z]+_[a-z_]+)\b")
QUOTED = re.compile(r"「[^」]*」|“[^”]*”")


def raw_words(message: str) -> list[str]:
    return RAW.findall(QUOTED.sub("", message))


def worded(path: Path, lang: str) -> list[tuple[str, str, str]]:
    document = load(path)
    body = document["body"]
    raw = check(document["kind"], body, context_for(document), document.get("source"))
    return [(f.pointer, before.message, f.message)
            for before, f in zip(raw, in_words(raw, document["kind"], body, lang), strict=True)]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", [*documents("bad", "ivr"), *documents("bad", "form"), *documents("bad", "dispatch"),
                                  *documents("bad", "outbound")], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_finding_of_every_kind_is_in_plain_words(path: Path, lang: str) -> None:
    for pointer, before, after in worded(path, lang):
        assert after != before, f"{pointer}: not reworded: {before}"
        assert not raw_words(after), f"{pointer}: {after}"


def test_a_form_names_statuses_and_fields_by_their_labels() -> None:
    path = next(p for p in documents("bad", "form") if p.stem == "dead_end_status")
    body = load(path)["body"]
    label = next(s["label"] for s in body["statuses"] if s["name"] == "waiting")
    (zh,) = [m for ptr, _, m in worded(path, "zh_CN") if ptr == "/statuses/2"]
    assert zh.startswith(f"状态「{label}」"), zh
    (en,) = [m for ptr, _, m in worded(path, "en") if ptr == "/statuses/2"]
    assert en.startswith(f"State “{label}”"), en


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("kind", ["form", "dispatch", "outbound"])
def test_a_document_missing_its_parts_names_them_in_words(kind: str, lang: str) -> None:
    body = {"title": "x"}
    findings = in_words(check(kind, body, tenant_context()), kind, body, lang)
    assert findings
    for f in findings:
        assert not raw_words(f.message), f.message
    assert check(kind, starter_body(kind, "x", lang), tenant_context()) == []


#: Latin words a Chinese sentence may hold outside quotes: an example the sentence gives, template braces.
_ZH_LATIN_OK = re.compile(r"Asia/Shanghai|\{\{|\}\}")


def _every_bad_fixture() -> list[Path]:
    return [*documents("bad", "ivr"), *documents("bad", "form"), *documents("bad", "dispatch"),
            *documents("bad", "outbound")]


@pytest.mark.parametrize("path", _every_bad_fixture(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_chinese_sentences_hold_no_code_or_english_fragment(path: Path) -> None:
    """「order」的工单字段的adress: a field's code glued into the Chinese sentence outside any quotes."""
    for pointer, _, after in worded(path, "zh_CN"):
        bare = _ZH_LATIN_OK.sub("", QUOTED.sub("", after))
        assert not re.search(r"[A-Za-z]", bare), f"{pointer}: {after}"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("path", _every_bad_fixture(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_a_sentence_names_each_thing_once(path: Path, lang: str) -> None:
    """Field “curier” … uses “curier”: the place and the name said the same code twice."""
    for pointer, _, after in worded(path, lang):
        names = QUOTED.findall(after)
        assert len(names) == len(set(names)), f"{pointer}: {after}"


#: English places built from a property name ("When of branch 1", "After of …") or from a phrase counted as if it
#: were a noun ("Dispositions that create a ticket 2 of ticket creation").
_EN_FRAGMENT = re.compile(r"^(?:When|After|Accepted|Declined|Failed|Error|Not found|Found|Target|Refused|"
                          r"No handler|Overflow|Timezone) of|\b[a-z]+ \d+ of (?:ticket creation|fields)\b|"
                          r"of fields\b|” “")


@pytest.mark.parametrize("path", _every_bad_fixture(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_english_places_read_as_phrases(path: Path) -> None:
    for pointer, _, after in worded(path, "en"):
        assert not _EN_FRAGMENT.search(after), f"{pointer}: {after}"


def test_the_two_reported_sentences_read_naturally() -> None:
    """The two sentences of the issue, as an analyst now reads them."""
    ivr = next(p for p in documents("bad", "ivr") if p.stem == "ticket_unknown_form_and_field")
    (zh,) = [m for ptr, _, m in worded(ivr, "zh_CN") if ptr == "/nodes/order/fields/adress"]
    assert "的adress" not in zh and "字段「adress」" in zh, zh
    out = next(p for p in documents("bad", "outbound") if p.stem == "create_ticket")
    (en,) = [m for ptr, _, m in worded(out, "en") if ptr == "/create_ticket/on/1"]
    assert "ticket 2 of" not in en and "“gone”" in en, en


@pytest.mark.parametrize(("lang", "no_actions", "bad_event"), [
    ("zh_CN", "规则「投诉升级」还没有动作：请添加至少一个动作",
     "规则「丙」的事件的取值「ticket.bogus」无效：请从列表中选择"),
    ("en", "Rule “投诉升级” has no actions yet: add at least one action",
     "Event of rule “丙” has the value “ticket.bogus”, which is not offered: choose one from the list"),
])
def test_an_empty_list_and_a_value_not_offered_are_said_precisely(lang: str, no_actions: str,
                                                                   bad_event: str) -> None:
    """QA 16 findings, item 4: "动作不能为空：请填写" and "事件的取值无效" did not say what to add or which value."""
    body = {"rules": [{"name": "b", "label": "投诉升级", "event": "ticket.created", "actions": []},
                      {"name": "c", "label": "丙", "event": "ticket.bogus" + "x" * 0,
                       "actions": [{"type": "set_status", "status": "closed"}]}]}
    said = {f.pointer: f.message for f in in_words(check("dispatch", body, tenant_context()), "dispatch", body, lang)}
    assert said["/rules/0/actions"] == no_actions
    assert said["/rules/1/event"] == bad_event


def test_a_value_not_offered_is_quoted_bounded() -> None:
    body = {"rules": [{"name": "c", "label": "丙", "event": "x" * 5000,
                       "actions": [{"type": "set_status", "status": "closed"}]}]}
    (said,) = [f.message for f in in_words(check("dispatch", body, tenant_context()), "dispatch", body, "zh_CN")
               if f.pointer == "/rules/0/event"]
    assert len(said) < 300 and "x…" in said
