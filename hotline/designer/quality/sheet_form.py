"""The score sheet as a form (task E item 1): sections, their items, weights and fatal items as fields, instead of
the sheet's JSON typed by hand.

Fields: `s<i>-title`, and per item `s<i>-<j>-key|label|weight|fatal`. Blank rows are offered for a new item in
every section and for a new section; a row left blank is dropped. "Add an item" / "Add a section" re-draw the form
with more blank rows and save nothing. An item without a key gets one from its place (`s1_2`), so an analyst never
has to invent identifiers; the platform's checks (quality.sheet_problems) stay the one source of what is valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Blank item rows per section and blank sections offered by default (the "add" buttons give more).
BLANK_ITEMS = 1
BLANK_SECTIONS = 1
MAX_BLANK = 20


def form_sections(body: Mapping[str, Any], extra_items: Mapping[int, int] | None = None,
                  extra_sections: int = 0) -> list[dict[str, Any]]:
    """The sections to draw, each with its items and blank rows to fill in."""
    extra_items = extra_items or {}
    sections = []
    for s, section in enumerate(body.get("sections") or []):
        items = [{"key": it.get("key", ""), "label": it.get("label", ""),
                  "weight": "" if it.get("fatal") else _number(it.get("weight", "")), "fatal": bool(it.get("fatal"))}
                 for it in section.get("items") or [] if isinstance(it, dict)]
        blanks = min(BLANK_ITEMS + extra_items.get(s, 0), MAX_BLANK)
        items += [{"key": "", "label": "", "weight": "", "fatal": False} for _ in range(blanks)]
        sections.append({"title": section.get("title", ""), "items": items})
    for _ in range(min(BLANK_SECTIONS + extra_sections, MAX_BLANK)):
        sections.append({"title": "", "items": [{"key": "", "label": "", "weight": "", "fatal": False}
                                                for _ in range(BLANK_ITEMS + 1)]})
    return sections


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def body_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The sheet body the fields describe; blank rows are dropped, a weight that is not a number is kept as typed so
    that the sheet's check names it."""
    indexes = sorted({int(m.group(1)) for k in form if (m := re.match(r"^s(\d+)-", k))})
    sections = []
    for s in indexes:
        items = []
        rows = sorted({int(m.group(1)) for k in form if (m := re.match(rf"^s{s}-(\d+)-", k))})
        for j in rows:
            label = form.get(f"s{s}-{j}-label", "").strip()
            weight = form.get(f"s{s}-{j}-weight", "").strip()
            key = form.get(f"s{s}-{j}-key", "").strip()
            fatal = form.get(f"s{s}-{j}-fatal") == "1"
            if not (label or weight or key or fatal):
                continue
            item: dict[str, Any] = {"key": key or f"s{len(sections) + 1}_{len(items) + 1}", "label": label}
            if fatal:
                item["fatal"] = True
                if weight and weight != "0":
                    item["weight"] = _parse(weight)
            else:
                item["weight"] = _parse(weight) if weight else 0
            items.append(item)
        title = form.get(f"s{s}-title", "").strip()
        if title or items:
            sections.append({"title": title, "items": items})
    return {"sections": sections}


def _parse(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number
