"""Words out of Chinese text, for knowledge-base full-text search: the same cut for articles and questions.

Chinese has no spaces between words, and the databases' own parsers cannot cut it (zhparser and pgroonga
are not installable here), so the application cuts: rjieba (the Rust jieba, bench/segmenters.py and
docs/decisions.md say why not jieba itself) in search mode, which yields a long word and its parts
("赔偿标准" → 赔偿, 标准, 赔偿标准), so a question saying either matches. The words, joined by spaces, go
into PostgreSQL's `to_tsvector('simple', …)` or SQLite's FTS5 table, whose own tokenizers then only split on
those spaces.

Function words (我, 的, 怎么…) and punctuation are dropped: they would match every article. Short runs of
Latin letters or digits ("20" of "20:00") are chance, not evidence, and are dropped from questions too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import rjieba

#: A question longer than this is cut here: an agent types a question, not an article.
MAX_QUERY_CHARS = 200
#: Words searched for at most (after synonyms): bounds the database's work per search.
MAX_QUERY_WORDS = 40
_WORD = re.compile(r"[^\W_]+")  # letters and digits: safe inside tsquery and FTS5 syntax
_STOP = ("我 你 他 她 它 我们 你们 他们 的 了 吗 呢 吧 啊 呀 么 嘛 是 在 有 和 与 或 及 也 都 就 还 又 被 把 给 让 要 "
         "会 能 可 可以 怎么 怎么办 怎样 如何 什么 为什么 哪 哪里 哪儿 多少 几 请问 请 一下 这 那 这个 那个 个 "
         "a an the of to is are and or in on for")
STOP_WORDS = frozenset(_STOP.split(" "))


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text: str) -> list[str]:
    """The text's words for the index, in order, repeats kept (they count for ranking)."""
    found = []
    for token in rjieba.cut_for_search(normalize(text)):
        for word in _WORD.findall(token):
            if word not in STOP_WORDS:
                found.append(word)
    return found


def document(text: str | Iterable[str]) -> str:
    """The words of an article's part, joined by spaces, as the databases index them."""
    if not isinstance(text, str):
        text = " ".join(map(str, text))
    return " ".join(words(text))


def query_words(text: str) -> list[str]:
    """A question's words, without repeats, without chance matches (Latin or digit runs under 3 characters)."""
    found = words(text[:MAX_QUERY_CHARS])
    return list(dict.fromkeys(w for w in found if not (w.isascii() and len(w) < 3)))
