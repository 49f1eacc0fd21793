"""Quality problems (platform/services/quality.py `Problem`) in the reader's language: where — the sheet's section
and item, the item scored or appealed by its label, the remark, the field — and why, the reason with its values.

The platform keeps the English "JSON path: reason" for logs and the JSON API; the pages show these words instead
(task 15a item 3: the items were named in English by their JSON paths). Reasons are keyed `quality.problem.<the
English template>` so that a short English reason ("true or false") never collides with another area's string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ...platform.services import quality
from ..i18n import translate

PREFIX = "quality.problem."
_SECTION = re.compile(r"^/sections/(\d+)(?:/items/(\d+))?(?:/(\w+))?$")
_ITEM = re.compile(r"^/(?:answers|items)/([^/]+)(?:/\w+)?$")
_REMARK = re.compile(r"^/remarks/(\d+)(?:/(\w+))?$")
#: The words of a field named by a path of its own.
FIELDS = {"/sections": "Score sheet", "/sheet": "Score sheet", "/name": "Name", "/title": "Title",
          "/reason": "Reason", "/note": "Resolution note", "/remarks": "Remarks"}
REMARK_FIELDS = {"at_seconds": "At (s)", "text": "Text", "item": "Item"}


def worded(problems: Iterable[str], sheet: Mapping[str, Any], locale: str) -> list[str]:
    """Each problem as the reader reads it; `sheet` is the sheet the problems are about (its labels)."""
    return [_one(problem, sheet, locale) for problem in problems]


def _one(problem: str, sheet: Mapping[str, Any], locale: str) -> str:
    if not isinstance(problem, quality.Problem):
        return translate(str(problem), locale)
    key = PREFIX + problem.reason
    template = translate(key, locale)
    if template == key:
        template = problem.reason
    reason = template % problem.params if problem.params else template
    where = _where(problem.path, sheet, locale)
    if not where:
        return reason
    return f"{where}: {reason}" if locale == "en" else f"{where}：{reason}"


def _quoted(text: Any) -> str:
    return f" “{text}”" if text else ""


def _where(path: str, sheet: Mapping[str, Any], locale: str) -> str:
    if (match := _SECTION.match(path)) is not None:
        return _sheet_place(sheet, locale, *match.groups())
    if (match := _ITEM.match(path)) is not None:
        labels = {item.get("key"): item.get("label") for item in quality.items(dict(sheet))}
        return translate("Item", locale) + _quoted(labels.get(match.group(1)) or match.group(1))
    if (match := _REMARK.match(path)) is not None:
        words = translate("Remark {n}", locale).format(n=int(match.group(1)) + 1)
        field = REMARK_FIELDS.get(match.group(2) or "")
        return f"{words}, {translate(field, locale)}" if field else words
    return translate(FIELDS[path], locale) if path in FIELDS else ""


def _sheet_place(sheet: Mapping[str, Any], locale: str, s: str, i: str | None, field: str | None) -> str:
    """'Section 2 “业务处理”, item 1 “信息准确”, points', counted from 1 as the form shows them."""
    sections = sheet.get("sections") or []
    section = sections[int(s)] if int(s) < len(sections) and isinstance(sections[int(s)], dict) else {}
    words = translate("Section {n}", locale).format(n=int(s) + 1) + _quoted(section.get("title"))
    if i is not None:
        items = section.get("items") or []
        item = items[int(i)] if int(i) < len(items) and isinstance(items[int(i)], dict) else {}
        words += translate(", item {n}", locale).format(n=int(i) + 1) + _quoted(item.get("label"))
    if field and field != "items":
        words += f", {translate('sheet.' + field, locale)}"
    return words
