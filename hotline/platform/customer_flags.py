"""The customer flags the product itself reads (the dispatch rules' and the IVR's `customer.monthly_settlement`),
with the words people see for them. Other flags are the tenant's own words, stored and shown as typed.

A flag is stored as its code so that rules keep working when the label changes or the user switches language;
pages show the label and accept either the label (in any language) or the code back.
"""

from __future__ import annotations

from collections.abc import Iterable

#: code → label per locale
KNOWN: dict[str, dict[str, str]] = {
    "monthly_settlement": {"zh_CN": "月结客户", "en": "Monthly settlement"},
}
_BY_WORD = {word.casefold(): code for code, labels in KNOWN.items() for word in (code, *labels.values())}


def label(flag: str, locale: str) -> str:
    """What a person reads for `flag` (the tenant's own flags read as typed)."""
    labels = KNOWN.get(flag)
    return labels.get(locale, labels["zh_CN"]) if labels else flag


def labels(flags: Iterable[str], locale: str) -> list[str]:
    return [label(f, locale) for f in flags]


def code(word: str) -> str:
    """The stored flag for what a person typed: a known flag's label (any language) or code gives its code."""
    return _BY_WORD.get(word.strip().casefold(), word.strip())
