"""Whether the node a test call waits at takes an analyst's whole entry, or some keys would spill over.

Why: on FreeSWITCH `play_and_get_digits` returns as soon as it has `max_digits` or reads a terminator; any
key after that stays in the channel's DTMF queue and is read by the NEXT node that asks (the runtime does
not flush it, as a phone's type-ahead works). In a test call the analyst types an entry for the node on
screen, so a spilled key (the 13th digit of a 12-digit account, the # after a full entry, keys after the #,
a second key at a menu) would silently become the next node's first key. The designer's decision: such an
entry is refused whole, in words naming the node, its maximum and the count typed (docs/decisions.md,
"A test call refuses an entry the waiting node would not take whole"). The check reads what the node
actually asked the channel for (max digits, terminator), so menus, surveys and collects are alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import TestCallError

TOO_MANY, AFTER_END, NOT_WAITING = "too_many", "after_end", "not_waiting"


@dataclass(frozen=True)
class Asking:
    """What the node waiting for keys asked the channel for."""

    node: str
    label: str
    max_digits: int
    terminators: str


class EntryRefused(TestCallError):
    """An entry some of whose keys the waiting node would not take (worded by the API per locale)."""

    def __init__(self, reason: str, label: str, *, most: int = 0, typed: int = 0, already: int = 0,
                 rest: str = "", terminator: str | None = None) -> None:
        self.reason, self.label, self.most, self.typed = reason, label, most, typed
        self.already, self.rest, self.terminator = already, rest, terminator
        if reason == TOO_MANY:
            text = f"「{label}」 takes at most {most} digits; you entered {typed}"
        elif reason == AFTER_END:
            text = f"「{label}」 ends the entry before “{rest}”, which the next node would read"
        else:
            text = f"the call is not waiting for keys (at 「{label}」): send a whole entry when it asks"
        super().__init__(text)


def check_entry(asking: Asking | None, keys: str, already: int, current_label: str) -> str:
    """The keys to press: raises EntryRefused unless the waiting node takes every key of `keys` (`already`:
    keys it holds). One exception is trimmed instead: terminators right after an entry that filled the node
    ("1203#" at a 4-digit node), the natural way to type an entry; the caller notes the drop in the call.

    A single key while nothing asks is let through (a key pressed during a prompt, as on a phone)."""
    if asking is None:
        if len(keys) > 1:
            raise EntryRefused(NOT_WAITING, current_label)
        return keys
    taken = already
    for index, key in enumerate(keys):
        if asking.terminators and key in asking.terminators:
            rest = keys[index + 1:]
            if rest:
                raise EntryRefused(AFTER_END, asking.label, most=asking.max_digits, typed=taken, already=already,
                                   rest=rest, terminator=key)
            return keys
        taken += 1
        if taken >= asking.max_digits:
            rest = keys[index + 1:]
            if not rest or all(k in asking.terminators for k in rest):
                return keys[:index + 1]
            surplus = len(_before_terminator(rest, asking.terminators))
            if surplus:
                raise EntryRefused(TOO_MANY, asking.label, most=asking.max_digits, typed=taken + surplus,
                                   already=already, rest=rest)
            raise EntryRefused(AFTER_END, asking.label, most=asking.max_digits, typed=taken, already=already,
                               rest=rest)
    return keys


def _before_terminator(keys: str, terminators: str) -> str:
    """The keys up to the first terminator (all of them when the node has none)."""
    for index, key in enumerate(keys):
        if terminators and key in terminators:
            return keys[:index]
    return keys
