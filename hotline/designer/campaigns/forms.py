"""The campaign pages' forms. Field checks here give the first, per-field errors; the campaign service then
checks the whole (script published, windows, retries) and its findings land on the fields by JSON Pointer."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import has_request_context
from flask_wtf.file import FileField
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ...platform.outbound.campaigns import MAX_AGENT_WAIT_SECONDS, MAX_ATTEMPTS, MAX_GAP_MINUTES, MAX_LINES
from ...platform.outbound.compliance import WEEKDAYS
from ..form_base import LocalizedForm
from ..i18n import current_locale, translate
from .outcome_words import example_rule, outcome_labels


def _words(text: str, **values: Any) -> str:
    """A message of these forms in the request's language (English outside a request)."""
    return translate(text, current_locale() if has_request_context() else "en").format(**values)


class OutboundForm(LocalizedForm):
    """The campaign pages' forms: WTForms' own messages (ranges, required, choices) in the reader's language from
    the catalogue WTForms ships (QA 13 #3), as every designer form (form_base.LocalizedForm)."""


UNKNOWN_ZONE = "Unknown time zone: write an IANA name such as Asia/Shanghai."


def check_zone(name: str | None) -> None:
    """A zone the dialer can use, or the field's error (QA 13 #5: Mars/Base was silently replaced by Shanghai)."""
    if not (name or "").strip():
        return
    try:
        ZoneInfo(name.strip())  # type: ignore[union-attr]
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(UNKNOWN_ZONE) from exc


_WINDOW = re.compile(r"^\s*([a-z,\s]+?)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$")
_RETRY = re.compile(r"^\s*([\w\u4e00-\u9fff-]{1,64})\s+(\d{1,5})\s+(\d{1,2})\s*$")
#: A rule whose outcome is a label of words ("No answer 30 3", "无人接听 30 3"): the help names outcomes by label
#: (QA of fix-labels item 3: it listed the codes busy, no_answer, machine), so the labels are accepted too.
_RETRY_LABELLED = re.compile(r"^\s*(.{1,64}?)\s+(\d{1,5})\s+(\d{1,2})\s*$")
RETRY_OUTCOMES = ("busy", "no_answer", "failed", "machine")


@cache
def _outcome_codes() -> dict[str, str]:
    """Each retry outcome's label in either language (casefolded) → its code."""
    from .strings import ENGLISH, STRINGS
    found: dict[str, str] = {}
    for code in RETRY_OUTCOMES:
        for table in (STRINGS, ENGLISH):
            label = table.get(f"outcome.{code}")
            if label:
                found[" ".join(label.split()).casefold()] = code
    return found


def retry_rule(line: str) -> tuple[str, int, int] | None:
    """(outcome code, delay, most) of a line "busy 30 3" or "Busy 30 3" / "占线 30 3"; None when it does not read."""
    labelled = _RETRY_LABELLED.match(line)
    if labelled:
        code = _outcome_codes().get(" ".join(labelled.group(1).split()).casefold())
        if code is not None:
            return code, int(labelled.group(2)), int(labelled.group(3))
    match = _RETRY.match(line)
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


MAX_TEXT_LINES = 50


def _lines(text: str | None) -> list[str]:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_TEXT_LINES:
        raise ValidationError(_words("at most {count} lines", count=MAX_TEXT_LINES))
    return lines


NOT_A_TIME = "Call windows, line {number}: '{time}' is not a time (HH:MM, hours 00–24, minutes 00–59)"
ONLY_AN_END = "Call windows, line {number}: '{time}' can only end a window (24:00 is the end of the day)"


def clock_problem(number: int, start: str, end: str) -> str | None:
    """Why a window's HH:MM times are not times of the day, worded, or None. The regular expression only checks
    the shape, and "23:60" passed (issue 13): hours 00–24, minutes 00–59, 24:00 only as a window's end."""
    for time, is_end in ((start, False), (end, True)):
        hours, minutes = int(time[:2]), int(time[3:])
        if hours > 24 or minutes > 59 or (hours == 24 and minutes):
            return _words(NOT_A_TIME, number=number, time=time)
        if hours == 24 and not is_end:
            return _words(ONLY_AN_END, number=number, time=time)
    return None


def parse_windows(text: str | None) -> list[dict[str, Any]]:
    """"mon,tue,wed 09:00-12:00" per line → the campaign's window list; a bad line raises naming its number."""
    windows, bad = [], []
    for number, line in enumerate(_lines(text), 1):
        match = _WINDOW.match(line.lower())
        days = [d.strip() for d in match.group(1).split(",") if d.strip()] if match else []
        if not match or not days or any(d not in WEEKDAYS for d in days):
            bad.append(_words("line {number}: write days and hours as 'mon,tue 09:00-12:00'", number=number))
            continue
        problem = clock_problem(number, match.group(2), match.group(3))
        if problem is not None:
            bad.append(problem)
            continue
        windows.append({"days": days, "start": match.group(2), "end": match.group(3)})
    if bad:  # every bad line at once, not the first only (QA 13 #6)
        raise ValidationError(_words("; ").join(bad))
    return windows


#: A retry line that does not read as a rule: what the form says, naming the line, with why (fix-counters item 2:
#: it named the outcome by its code, "e.g. 'busy 30 3'", while the help names outcomes by label).
NOT_A_RULE = ("Retries, line {number}: write the outcome, the delay in minutes and the most retries, e.g. '{example}' "
              "({why})")
RULE_WHY = {
    "parts": "the delay or the most retries is missing",
    "numbers": "the delay and the most retries must be whole numbers",
    "range": "the delay must be 1 to {delay} minutes and the most retries 0 to {most}",
    "outcome": "'{name}' is neither a call outcome ({outcomes}) nor a disposition code, which is one word",
}


def _not_a_rule(number: int, line: str) -> str:
    """Why a retry line does not read as a rule, in the reader's language, naming its line and outcomes by label."""
    locale = current_locale() if has_request_context() else "en"
    words = line.split()
    if len(words) < 3:
        why = _words(RULE_WHY["parts"])
    elif not (words[-2].isdigit() and words[-1].isdigit()):
        why = _words(RULE_WHY["numbers"])
    elif len(words[-2]) > 5 or len(words[-1]) > 2:
        why = _words(RULE_WHY["range"], delay=MAX_GAP_MINUTES, most=MAX_ATTEMPTS)
    else:
        why = _words(RULE_WHY["outcome"], name=" ".join(words[:-2]), outcomes=outcome_labels(locale))
    return _words(NOT_A_RULE, number=number, example=example_rule(locale), why=why)


def parse_retries(text: str | None) -> dict[str, dict[str, int]]:
    """"Busy 30 3" / "占线 30 3" per line (outcome label or code, or a disposition code; delay in minutes; most
    retries); every line that does not read as a rule is refused at once, each saying why."""
    policy, bad = {}, []
    for number, line in enumerate(_lines(text), 1):
        rule = retry_rule(line)
        if rule is None:
            bad.append(_not_a_rule(number, line))
            continue
        policy[rule[0]] = {"delay_minutes": rule[1], "max": rule[2]}
    if bad:  # every bad line at once (QA 13 #6)
        raise ValidationError(_words("; ").join(bad))
    return policy


def lenient_windows(text: str | None) -> list[tuple[int, dict[str, Any]]]:
    """(line number, window) of the lines that read as windows, the others left out (their own error is the
    form's): what the campaign's checks still see when the form failed (QA 13f #5)."""
    found = []
    for number, line in enumerate([ln for ln in (text or "").splitlines() if ln.strip()][:MAX_TEXT_LINES], 1):
        match = _WINDOW.match(line.lower())
        days = [d.strip() for d in match.group(1).split(",") if d.strip()] if match else []
        if match and days and all(d in WEEKDAYS for d in days) \
                and clock_problem(number, match.group(2), match.group(3)) is None:
            found.append((number, {"days": days, "start": match.group(2), "end": match.group(3)}))
    return found


def lenient_retries(text: str | None) -> dict[str, dict[str, int]]:
    """The retry rules of the lines that read as rules, the others left out (QA 13f #5)."""
    policy = {}
    for line in [ln for ln in (text or "").splitlines() if ln.strip()][:MAX_TEXT_LINES]:
        rule = retry_rule(line)
        if rule is not None:
            policy[rule[0]] = {"delay_minutes": rule[1], "max": rule[2]}
    return policy


def show_windows(windows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{','.join(w['days'])} {w['start']}-{w['end']}" for w in windows)


def show_retries(policy: dict[str, Any]) -> str:
    return "\n".join(f"{k} {v['delay_minutes']} {v['max']}" for k, v in policy.items())


class CampaignForm(OutboundForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    script = SelectField("Outbound script", validators=[DataRequired()])
    contact_list = SelectField("Contact list", coerce=int, validators=[DataRequired()])
    mode = SelectField("Mode", validators=[Optional()])
    queue = SelectField("Queue", validators=[Optional()])
    skill = StringField("Skill", validators=[Optional(), Length(max=64)])
    max_lines = IntegerField("Most lines at once", default=10, validators=[NumberRange(1, MAX_LINES)])
    abandon_cap = DecimalField("Abandon cap (%)", default=3, places=1, validators=[NumberRange(0, 20)])
    max_attempts = IntegerField("Most attempts per contact", default=3, validators=[NumberRange(1, MAX_ATTEMPTS)])
    min_gap = IntegerField("Minimum gap between attempts (minutes)", default=60,
                           validators=[NumberRange(0, MAX_GAP_MINUTES)])
    agent_wait = IntegerField("Callback waits for its agent (seconds)", default=60,
                              validators=[NumberRange(0, MAX_AGENT_WAIT_SECONDS)])
    timezone = StringField("Time zone of the callees", validators=[Optional(), Length(max=64)])
    windows = TextAreaField("Call windows", validators=[Optional(), Length(max=4000)])
    retries = TextAreaField("Retries", validators=[Optional(), Length(max=4000)])

    def validate_timezone(self, field: Any) -> None:
        check_zone(field.data)

    def validate_windows(self, field: Any) -> None:
        parse_windows(field.data)

    def validate_retries(self, field: Any) -> None:
        parse_retries(field.data)


class StopForm(OutboundForm):
    reason = StringField("Why stop", validators=[DataRequired(), Length(max=500)])


class ContactListForm(OutboundForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    purpose = SelectField("Purpose", choices=[("service", "service"), ("marketing", "marketing")])
    file = FileField("File (CSV or Excel)")


class BuiltListForm(OutboundForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)])
    source = SelectField("Built from", choices=[("return_visits", "return_visits"),
                                                ("flagged_customers", "flagged_customers")])
    flag = StringField("Customer flag", validators=[Optional(), Length(max=64)])


class DncForm(OutboundForm):
    phone = StringField("Phone", validators=[DataRequired(), Length(max=40)])
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class TaskWindowsForm(OutboundForm):
    """The call windows of the tenant's call-task campaign (回呼与回访任务)."""

    timezone = StringField("Time zone of the callees", validators=[DataRequired(), Length(max=64)])
    windows = TextAreaField("Call windows", validators=[DataRequired(), Length(max=4000)])

    def validate_timezone(self, field: Any) -> None:
        check_zone(field.data)

    def validate_windows(self, field: Any) -> None:
        parse_windows(field.data)
