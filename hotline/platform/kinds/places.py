"""Where a finding is, as the designer's findings list and refused-publish dialog show it, in the reader's words.

The designer built this "place" line in the browser from the JSON Pointer, so a form's finding read
"Schema › Properties › phone › Format": JSON-Schema keywords, in English even in Chinese, list items counted from 0.
The server already names places for its sentences (`wording_kinds.KindWords`, `wording.Lexicon`); this module
gives the same names as a short line of parts, outermost first, that the designer joins with " › ":
「联系电话」字段 › 格式 / the “Phone” field › format. A form's field, a status, a page, a rule… is named by its label
(a list item without one is counted from 1), a key by what is pressed; structure words (a field's "properties",
"items") never show. An IVR node keeps its id beside its label, as the designer's canvas and panel show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .wording import EN, FIELD_EN, FIELD_ZH, ZH, Lexicon, condition_words, quoted
from .wording_kinds import _LISTS, FIELDS, NOUNS, KindWords

#: Words a place line needs beyond the sentences' (a form field's keywords, a status's colour).
_MORE: dict[str, dict[str, str]] = {
    "zh": {"format": "格式", "description": "说明", "readOnly": "只读", "uniqueItems": "不可重复", "color": "颜色",
           "type": "类型", "title": "标题", "value": "取值", "text": "内容", "audio": "录音", "items": "选项"},
    "en": {"readOnly": "read-only", "uniqueItems": "no repeats", "oneOf": "choices", "items": "choices"},
}

#: IVR fields whose keys are the analyst's own (a menu's digit, a variable's name): shown as typed.
_KEYED = frozenset({"options", "values", "assign", "headers", "variables", "fields"})


class _PlaceWords(KindWords):
    """KindWords naming things as a place line does: 「联系电话」字段 / the “Phone” field (a label, then its noun)."""

    lists: ClassVar[Mapping[str, str]] = {**_LISTS, "oneOf": "option"}
    names_listed_fields = True
    structural = frozenset({"items"})

    def named(self, noun: str, label: str) -> str:
        word = NOUNS[self.lang][noun]
        return f"{self.quote(label)}{word}" if self.lang == "zh" else f"the {self.quote(label)} {word}"

    def label_keys(self, items: str) -> tuple[str, ...]:
        # An action's "name" is its parameter (the group to assign to), not the action's name: it is counted.
        return ("label",) if items == "actions" else super().label_keys(items)

    def field(self, name: str, owner: Any = None) -> str:
        more = _MORE[self.lang].get(name)
        if more and not (self.kind == "dispatch" and isinstance(owner, Mapping) and "type" in owner):
            return more
        return super().field(name, owner)


def _lexicon(locale: str) -> tuple[str, Lexicon]:
    return ("en", EN) if locale == "en" else ("zh", ZH)


def _field(lang: str, words: Lexicon, name: str) -> str:
    """An IVR field's title: the property panel's word, else the other kinds', else the name made readable."""
    own = FIELD_ZH if lang == "zh" else FIELD_EN
    if name in own:
        return own[name]
    return _MORE[lang].get(name) or FIELDS[lang].get(name) or words.fields(name)


def _ivr_place(body: Mapping[str, Any], parts: list[str], lang: str, words: Lexicon) -> list[str]:
    """An IVR's place: the node by its label (and id), a key as pressed, a branch counted from 1, fields titled."""
    out: list[str] = []
    rest = parts
    node: Any = None
    if len(parts) >= 2 and parts[0] == "nodes":
        nodes = body.get("nodes")
        node = nodes.get(parts[1]) if isinstance(nodes, Mapping) else None
        label = node.get("label") if isinstance(node, Mapping) else None
        out.append(f"{quoted(label)} ({parts[1]})" if isinstance(label, str) and label else parts[1])
        rest = parts[2:]
    i = 0
    while i < len(rest):
        part, nxt = rest[i], rest[i + 1] if i + 1 < len(rest) else None
        if part == "options" and nxt is not None:
            out.append(f"{words.sentences['key']} {nxt}")
            i += 2
            continue
        if part == "branches" and nxt is not None and nxt.isdigit():
            out.append(words.numbered(words.sentences["branch"], int(nxt) + 1))
            i += 2
            continue
        if part == "assign" and nxt is not None and isinstance(node.get("assign") if isinstance(node, Mapping)
                                                                else None, Mapping):
            # A lookup's result row by its place in the list and the variable it sets ("name_1" alone is the
            # designer's automatic name and says nothing): 结果赋值 › 第 1 行（变量 name_1）.
            keys = list(node["assign"])
            row = keys.index(nxt) + 1 if nxt in keys else None
            said = (f"第 {row} 行（变量 {nxt}）" if row else f"变量 {nxt}") if lang == "zh" else (
                f"row {row} (variable {nxt})" if row else f"variable {nxt}")
            out += [_field(lang, words, part), said]
            i += 2
            continue
        if part in _KEYED and nxt is not None:
            out += [_field(lang, words, part), nxt]
            i += 2
            continue
        if part.isdigit():
            n = int(part) + 1
            out[-1:] = [words.numbered(out[-1], n)] if out else [words.numbered("", n)]
        else:
            out.append(_field(lang, words, part))
        i += 1
    return out


def place_of(kind: str, body: Any, pointer: str, locale: str) -> list[str]:
    """Where `pointer` is in `body`, as parts in `locale`'s words ("zh_CN" or "en"), outermost first."""
    lang, words = _lexicon(locale)
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]] if pointer else []
    body = body if isinstance(body, Mapping) else {}
    if "when" in parts[:-1]:
        # Inside a condition: 条件组 2 › 条件 1 as the builder shows it, then the comparison's part (its field is
        # the comparison itself: a finding there says which field is missing).
        at = parts.index("when")
        inner = condition_words(parts[at + 1:], words)
        leaf = parts[-1]
        if inner:
            tail = [] if leaf in ("field", "all", "any", "not") or leaf.isdigit() else [_field(lang, words, leaf)]
            return place_of(kind, body, "/" + "/".join(parts[:at + 1]), locale) + inner + tail
    if kind == "ivr":
        out = _ivr_place(body, parts, lang, words)
    else:
        quote = (lambda text: f"「{quoted(text)}」") if lang == "zh" else (lambda text: f"“{quoted(text)}”")
        out = _PlaceWords(kind, body, lang, quote, words.join, words.numbered, words.fields).place_parts(parts)
    return out or [words.sentences["document"]]
