"""The shared file reader's line refusals (English sentences naming a column by its position) as coded reasons
naming the column by its header, so the list page words them in the reader's language (QA 13f #4)."""

from __future__ import annotations

import re
from typing import Any

_TOO_LONG = re.compile(r"column (\d+) is ([\d,]+) characters long; at most ([\d,]+)")
_NUL = re.compile(r"column (\d+) contains a NUL character")
_TOO_MANY = re.compile(r"(\d+) cells; a line may have at most (\d+) columns")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def coded(reason: Any, header: list[str]) -> Any:
    """{"code", **params} for a reader's sentence it knows, the column named by `header` (its position when the
    header has no name there); anything else is returned as it is."""
    if not isinstance(reason, str):
        return reason

    def column(position: str) -> str:
        index = int(position) - 1
        name = header[index].strip() if index < len(header) else ""
        return name or f"#{position}"

    if match := _TOO_LONG.match(reason):
        return {"code": "contacts.cell_too_long", "column": column(match[1]), "length": _number(match[2]),
                "most": _number(match[3])}
    if match := _NUL.match(reason):
        return {"code": "contacts.cell_nul", "column": column(match[1])}
    if match := _TOO_MANY.match(reason):
        return {"code": "contacts.too_many_cells", "cells": int(match[1]), "most": int(match[2])}
    return reason
