"""Report periods in the tenant's time zone: the range asked for, how intervals group, and every bucket of the
range (so an empty period shows zeros instead of disappearing).

The interval rows start on UTC quarter-hours; a bucket is computed from each row's *local* start, so a day,
week or month is the tenant's calendar one (a DST day has 23 or 25 hours of rows and is still one day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .classify import INTERVAL
from .labels import label

GROUPS = ("15min", "30min", "60min", "day", "week", "month", "total")
#: Longest range per grouping, in days: bounds one request's work (a 15-minute table of a year has 35,000 rows).
MAX_DAYS = {"15min": 31, "30min": 31, "60min": 62, "day": 400, "week": 800, "month": 1200, "total": 1200}


@dataclass(frozen=True, slots=True)
class Period:
    first: date
    last: date  # included
    group: str
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The UTC instant the range starts (local midnight of `first`)."""
        return datetime.combine(self.first, time.min, tzinfo=self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The UTC instant after the range (local midnight after `last`)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.zone).astimezone(UTC)

    def bucket(self, start: datetime) -> datetime:
        """The local start of the bucket holding the interval that starts at `start` (UTC)."""
        return _bucket(start, self.group, self.zone, self.first)

    def buckets(self) -> list[datetime]:
        """Every bucket of the range, in order (days are walked by day: a month is 31 steps, not 2,976)."""
        seen: dict[datetime, None] = {}
        if self.group.endswith("min"):
            starts: Iterator[datetime] = self.intervals()
        else:
            starts = (datetime.combine(self.first + timedelta(days=n), time.min, tzinfo=self.zone).astimezone(UTC)
                      for n in range((self.last - self.first).days + 1))
        for start in starts:
            seen.setdefault(self.bucket(start), None)
        return list(seen)

    def intervals(self) -> Iterator[datetime]:
        at, end = self.start, self.end
        while at < end:
            yield at
            at += INTERVAL

    def label(self, bucket: datetime, translate: Callable[[str], str] | None = None) -> str:
        """How a bucket is written in tables and exports (the tenant's local time, `translate`'s language). A week
        is its ISO number and the days of it the range holds (第49周（12月1日–12月6日）); a month the range cuts names
        the days it holds after the month (QA 14: a cut week or month was labelled as if it were whole)."""
        if self.group in ("15min", "30min", "60min"):
            return bucket.strftime("%Y-%m-%d %H:%M")
        if self.group == "total":
            return f"{self.first.isoformat()} ~ {self.last.isoformat()}"
        if self.group not in ("week", "month"):
            return bucket.strftime("%Y-%m-%d")
        words = translate or label
        start = bucket.date()
        if self.group == "week":
            end = start + timedelta(days=6)
        else:
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        first, last = max(start, self.first), min(end, self.last)
        # a week names the year when its days span two years or are not this year's (QA 14: 第52周（12月27日–1月2日）);
        # a month's label starts with its year already
        this_year = datetime.now(UTC).astimezone(self.zone).year
        year = self.group == "week" and (first.year != last.year or first.year != this_year)
        days = {"from": _day(first, words, year), "to": _day(last, words, year)}
        one = "_one" if first == last else ""  # a single day is named once: 第5周（2月1日）
        if self.group == "week":
            return words(f"period.week{one}") % {"week": str(start.isocalendar().week), **days}
        month = bucket.strftime("%Y-%m")
        return month if (first, last) == (start, end) else words(f"period.part{one}") % {"period": month, **days}


def _day(day: date, words: Callable[[str], str], year: bool = False) -> str:
    return words("period.day_year" if year else "period.day") % {
        "date": day.isoformat(), "year": str(day.year), "month": str(day.month), "day": str(day.day)}


@lru_cache(maxsize=65536)
def _bucket(start: datetime, group: str, zone: ZoneInfo, first: date) -> datetime:
    """Period.bucket, cached: a month's report buckets the same 2,976 interval starts once per dimension value."""
    local = start.astimezone(zone)
    if group in ("15min", "30min", "60min"):
        size = int(group.removesuffix("min"))
        return local.replace(minute=local.minute - local.minute % size, second=0, microsecond=0)
    day = local.date()
    if group == "week":
        day -= timedelta(days=day.weekday())
    elif group == "month":
        day = day.replace(day=1)
    elif group == "total":
        day = first
    return datetime.combine(day, time.min, tzinfo=zone)


class PeriodError(ValueError):
    """A range or grouping that cannot be reported: every problem at its field, as (field, English template,
    values) so the page can say it in the reader's language (report_strings translates the templates)."""

    def __init__(self, problems: list[tuple[str, str, dict[str, str]]]) -> None:
        super().__init__("; ".join(f"{field}: {template % values}" for field, template, values in problems))
        self.problems = problems
        self.field = problems[0][0]


class Quoted(str):
    """A value as typed, quoted whole (`'2026-13-01'`); a long one is cut with "…" and keeps its full `length`, so
    the page can say it was cut, in the reader's language (QA 14: values were cut silently at 10 or 20 characters)."""

    length: int = 0


#: The longest value quoted back whole.
QUOTE_MOST = 64


def quoted(value: str, most: int = QUOTE_MOST) -> Quoted:
    """`value` quoted for a message: whole when short, else its first `most` characters and "…" (length kept)."""
    if len(value) <= most:
        return Quoted(repr(value))
    found = Quoted(repr(value[:most] + "…"))
    found.length = len(value)
    return found


NOT_A_GROUPING = "%(value)s is not one of %(choices)s"
NOT_A_DATE = "%(value)s is not a date (YYYY-MM-DD)"
BEFORE = "%(to)s is before %(from)s"
TOO_LONG = "%(days)s days is too long a range for this grouping (at most %(most)s)"


def parse(first: str, last: str, group: str, zone: ZoneInfo, today: date) -> Period:
    """A period from the page's arguments; the default range is the last 7 days up to today. Every bad field is
    named at once (a bad `from` and a bad `to` are both reported)."""
    problems: list[tuple[str, str, dict[str, str]]] = []
    if group not in GROUPS:
        problems.append(("group", NOT_A_GROUPING, {"value": quoted(group), "choices": ", ".join(GROUPS)}))
    end: date | None = today
    begin: date | None = None
    try:
        end = date.fromisoformat(last) if last else today
    except ValueError:
        problems.append(("to", NOT_A_DATE, {"value": quoted(last)}))
        end = None
    try:
        begin = date.fromisoformat(first) if first else (end or today) - timedelta(days=6)
    except ValueError:
        problems.append(("from", NOT_A_DATE, {"value": quoted(first)}))
    if begin is not None and end is not None:
        if end < begin:
            problems.append(("to", BEFORE, {"to": end.isoformat(), "from": begin.isoformat()}))
        elif group in GROUPS and (end - begin).days + 1 > MAX_DAYS[group]:
            problems.append(("from", TOO_LONG, {"days": str((end - begin).days + 1), "most": str(MAX_DAYS[group])}))
    if problems:
        raise PeriodError(problems)
    assert begin is not None and end is not None
    return Period(begin, end, group, zone)
