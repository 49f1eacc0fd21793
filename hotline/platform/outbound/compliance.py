"""The rules every dial must pass, checked by the dialer at dial time (not by the operator's care).

A refusal names its rule and the detail an operator needs (which list matched, when the window opens), and is
recorded as a skipped attempt. The rules:

* do-not-call: the tenant's list and the platform-wide list (an entry added by a "要求不再来电" disposition in any
  campaign takes effect at once for every campaign of the tenant);
* call window: the callee's local time (the contact's time zone, else the policy's) inside one of the policy's
  windows, and not on a holiday of the tenant's calendar;
* marketing (商业性) calls only to a contact with a recorded consent; service calls on the contact's own ticket
  need none;
* attempts: at most `max_attempts_per_contact` dials, no two closer than `min_gap_minutes`;
* no automatic redial within 72 hours of an abandoned call (a live answer that got no agent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ABANDON_QUIET = timedelta(hours=72)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Refusals after which a contact is never dialled again; the others (window, minimum gap, 72 hours) pass in time.
FINAL_REFUSALS = frozenset({"dnc", "no_consent", "attempt_cap"})


@dataclass(frozen=True)
class Refusal:
    """Why a contact may not be dialled now: `rule` is a stable code, `detail` the words for the operator."""

    rule: str
    detail: str
    #: The detail's values (times already in the callee's zone): a page words `detail.<rule>` with them in the
    #: reader's language (QA 13 #2); `detail` stays the English for logs and the dialer's stored reason.
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ContactFacts:
    """What the rules need to know about one contact at dial time."""

    phone_e164: str
    timezone: str | None = None
    consent_at: datetime | None = None
    dnc_lists: tuple[str, ...] = ()  # names of the lists that hold the number ("tenant", "platform")
    attempts: Sequence[tuple[datetime, bool]] = ()  # (when, abandoned) of earlier dials, any order
    #: Dials of the number by the tenant's other campaigns: they count for the minimum gap (the person is the same
    #: whichever campaign calls), not for this campaign's attempt cap.
    elsewhere: Sequence[datetime] = ()


def last_dial(facts: ContactFacts) -> datetime | None:
    """The latest dial of the number by any campaign of the tenant (what the minimum gap counts from)."""
    times = [at for at, _ in facts.attempts] + list(facts.elsewhere)
    return max(times) if times else None


def _zone(name: str | None, fallback: str) -> ZoneInfo:
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def _hhmm(text: str) -> time:
    """A window's start as a clock time (a start is at most 23:59; an end may be 24:00, see `_minutes`)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _minutes(text: str) -> int:
    """Minutes since midnight of "HH:MM", where "24:00" is 1440, the end of the day: a window may run to midnight
    (the form allows it), which `datetime.time` cannot hold (QA 13e #1)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def in_window(local: datetime, windows: Iterable[Mapping[str, Any]], holidays: Iterable[str] = ()) -> bool:
    """Whether a local time falls inside one of the windows, on a day that is not a holiday."""
    if local.date().isoformat() in set(holidays):
        return False
    day = WEEKDAYS[local.weekday()]
    clock = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
    return any(day in window.get("days", ()) and _minutes(window["start"]) <= clock < _minutes(window["end"])
               for window in windows)


def next_window_opening(local: datetime, windows: Sequence[Mapping[str, Any]],
                        holidays: Iterable[str] = (), days_ahead: int = 14) -> datetime | None:
    """The next local time a window opens (minute resolution over window starts), or None within `days_ahead`."""
    holidays = set(holidays)
    for offset in range(days_ahead + 1):
        day = (local + timedelta(days=offset)).date()
        if day.isoformat() in holidays:
            continue
        starts = sorted(_hhmm(w["start"]) for w in windows
                        if WEEKDAYS[day.weekday()] in w.get("days", ()) and _minutes(w["start"]) < 24 * 60)
        for start in starts:
            opening = datetime.combine(day, start, tzinfo=local.tzinfo)
            if opening > local:
                return opening
    return None


def check(facts: ContactFacts, dialing: Mapping[str, Any], now: datetime, *, purpose: str = "service",
          holidays: Iterable[str] = (), min_gap_minutes: int = 60) -> Refusal | None:
    """The first rule that refuses dialling `facts` at `now` under the script's `dialing` policy, or None."""
    if facts.dnc_lists:
        return Refusal("dnc", f"on the do-not-call list: {', '.join(facts.dnc_lists)}",
                       {"lists": list(facts.dnc_lists)})
    if purpose == "marketing" and facts.consent_at is None:
        return Refusal("no_consent", "a marketing call needs the contact's recorded consent")
    zone = _zone(facts.timezone, str(dialing.get("timezone") or "Asia/Shanghai"))
    local = now.astimezone(zone)
    holidays = list(holidays)
    windows = dialing.get("windows") or []
    if not in_window(local, windows, holidays):
        opening = next_window_opening(local, windows, holidays)
        when = opening.strftime("%Y-%m-%d %H:%M") + f" ({zone.key})" if opening else "not in the next 14 days"
        return Refusal("outside_window", f"{local:%Y-%m-%d %H:%M} ({zone.key}) is outside the call windows; "
                                         f"next opening {when}",
                       {"local": f"{local:%Y-%m-%d %H:%M}", "zone": zone.key,
                        "next": opening.strftime("%Y-%m-%d %H:%M") if opening else None})
    attempts = sorted(facts.attempts, key=lambda a: a[0])
    cap = int(dialing.get("max_attempts_per_contact") or 5)
    if len(attempts) >= cap:
        return Refusal("attempt_cap", f"{len(attempts)} attempts made; the cap is {cap}",
                       {"made": len(attempts), "cap": cap})
    abandoned = [at for at, was_abandoned in attempts if was_abandoned]
    if abandoned and now - abandoned[-1] < ABANDON_QUIET:
        until = (abandoned[-1] + ABANDON_QUIET).astimezone(zone)
        return Refusal("abandoned_72h", f"an abandoned call at {abandoned[-1].astimezone(zone):%Y-%m-%d %H:%M}; "
                                        f"no automatic redial before {until:%Y-%m-%d %H:%M}",
                       {"at": f"{abandoned[-1].astimezone(zone):%Y-%m-%d %H:%M}", "until": f"{until:%Y-%m-%d %H:%M}"})
    last = last_dial(facts)
    if last is not None and now - last < timedelta(minutes=min_gap_minutes):
        return Refusal("min_gap", f"last attempt {int((now - last).total_seconds() // 60)} minutes "
                                  f"ago; the minimum gap is {min_gap_minutes} minutes",
                       {"minutes": int((now - last).total_seconds() // 60), "gap": min_gap_minutes})
    return None
