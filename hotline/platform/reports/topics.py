"""The words a complaint's text is about, for the hottest complaint topics (QA 14 item 4).

The knowledge base's cut (services/kb_text) is jieba's search mode, which adds a long word's parts (外包装 →
外包, 包装, 外包装) so a question matches either; counting topics that way counted one word three times and made up
外包. Topics use jieba's precise mode instead (rjieba.cut, the segmenter docs/decisions.md chose): each run of text
is one word once. Markup someone typed (<script>alert(1)</script>) is removed first, and Latin or digit runs are
dropped: topics are the Chinese words customers wrote, not tags or codes.
"""

from __future__ import annotations

import re

import rjieba

from ..services.kb_text import STOP_WORDS, normalize

_MARKUP = re.compile(r"<[^<>]{0,200}>")
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def topic_words(text: str) -> set[str]:
    """The distinct words of one complaint worth counting: two characters or more, Chinese, not function words."""
    plain = _MARKUP.sub(" ", normalize(text))
    return {word for word in rjieba.cut(plain)
            if len(word) >= 2 and word not in STOP_WORDS and _CHINESE.search(word) and not word.isascii()}
