"""Quality assurance: score sheets, scoring a call, the agent's appeal, calibration spread.

A score sheet's body: {"sections": [{"title", "items": [{"key", "label", "weight", "fatal"}]}], "version"}, the
version counting its publishes (kept by save_sheet, whatever a client sends; see sheet_version). Ordinary
items carry points (`weight`, the weights of a published sheet sum to 100); a fatal item (`fatal: true`,
no weight) is a yes/no violation — abusing a caller, leaking data — that sets the whole score to 0.
An evaluation answers every item: {"points": n} with 0 ≤ n ≤ weight, or {"failed": true|false} for a fatal
item; total = Σ points, or 0 with any fatal item failed.
"""

from __future__ import annotations

import math
import re
import statistics
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CalibrationSession, CallRecord, Evaluation, ScoreSheet
from . import audit
from .errors import NotFound, ServiceError

KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
NAME = re.compile(r"[a-z][a-z0-9_-]{0,63}")
MAX_SECTIONS, MAX_ITEMS, MAX_REMARKS, MAX_TEXT = 20, 50, 100, 1000
#: How QA came to a call it scores outside calibration: the weekly random sample, the filters, or opened directly
#: (a link, the JSON API). Calibration scores are "calibration"; an amended appeal shows as an appeal re-score.
SOURCES = ("sample", "filter", "direct")


class Problem(str):
    """One problem with a sheet, a score, an appeal or its resolution. Its text is the English "JSON path: reason
    (item label)" that logs, the JSON API and tests read; it also keeps the path, the reason as an English template
    with %(name)s values, and the item's label, so a page words it in the reader's language and names the item by
    its label (designer/quality/problems.py). An empty path is a refusal of the whole request."""

    path: str
    reason: str
    params: dict[str, Any]
    label: str

    def __new__(cls, path: str, reason: str, label: str = "", **params: Any) -> Problem:
        text = reason % params if params else reason
        english = f"{path}: {text}" if path else text
        made = super().__new__(cls, f"{english} ({label})" if label else english)
        made.path, made.reason, made.params, made.label = path, reason, params, label
        return made


class InvalidQuality(ServiceError):
    """Bad sheet, answers, remarks, appeal or resolution, or a call that cannot be scored; `problems` holds every
    one as a Problem ("path: reason")."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        super().__init__(f"{what}: " + "; ".join(problems))
        self.problems = problems


def sheet_problems(body: Any, *, publishing: bool) -> list[Problem]:
    """Every problem of a sheet body, each as "/json/path: reason"; publishing also needs weights of 100."""
    if not isinstance(body, dict) or not isinstance(body.get("sections"), list):
        return [Problem("/sections", "a list of sections is required")]
    sections = body["sections"]
    problems: list[Problem] = []
    if not sections:
        problems.append(Problem("/sections", "at least one section is required"))
    if len(sections) > MAX_SECTIONS:
        problems.append(Problem("/sections", "at most %(max)s sections", max=MAX_SECTIONS))
    keys: set[str] = set()
    total = 0.0
    shares: list[str] = []  # "<section title> <its weights>", named in the refusal to publish
    for s, section in enumerate(sections[:MAX_SECTIONS]):
        where = f"/sections/{s}"
        if not isinstance(section, dict):
            problems.append(Problem(where, "a section is an object with a title and items"))
            continue
        if not isinstance(section.get("title"), str) or not 1 <= len(section["title"]) <= 200:
            problems.append(Problem(f"{where}/title", "1 to %(max)s characters", max=200))
        items = section.get("items")
        if not isinstance(items, list) or not items:
            problems.append(Problem(f"{where}/items", "at least one item is required"))
            continue
        if len(items) > MAX_ITEMS:
            problems.append(Problem(f"{where}/items", "at most %(max)s items", max=MAX_ITEMS))
        before = total
        for i, item in enumerate(items[:MAX_ITEMS]):
            at = f"{where}/items/{i}"
            if not isinstance(item, dict):
                problems.append(Problem(at, "an item is an object with key, label and weight"))
                continue
            key = item.get("key")
            if not isinstance(key, str) or not KEY.fullmatch(key):
                problems.append(Problem(f"{at}/key", "lower-case letters, digits and _ (starting with a letter), "
                                        "at most 40"))
            elif key in keys:
                problems.append(Problem(f"{at}/key", "%(value)s is used twice", value=repr(key)))
            else:
                keys.add(key)
            if not isinstance(item.get("label"), str) or not 1 <= len(item["label"]) <= 200:
                problems.append(Problem(f"{at}/label", "1 to %(max)s characters", max=200))
            fatal = item.get("fatal", False)
            if not isinstance(fatal, bool):
                problems.append(Problem(f"{at}/fatal", "true or false"))
            weight = item.get("weight", 0)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight) \
                    or not 0 <= weight <= 100:
                problems.append(Problem(f"{at}/weight", "a number from 0 to %(max)s", max=100))
            elif fatal and weight:
                problems.append(Problem(f"{at}/weight", "a fatal item carries no points (it sets the score to 0)"))
            elif not fatal:
                total += weight
        shares.append(f"{section.get('title')} {total - before:g}")
    if publishing and not problems and abs(total - 100) > 1e-9:
        problems.append(Problem("/sections", "the weights sum to %(total)s, not 100 (%(shares)s)", total=f"{total:g}",
                                shares=" + ".join(shares)))
    return problems


def items(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in sheet.get("sections", ()) for item in section.get("items", ())]


def compute(sheet: dict[str, Any], answers: Any) -> tuple[float, bool]:
    """(total, fatal) of answers to a sheet; InvalidQuality naming every missing or out-of-range answer."""
    if not isinstance(answers, dict):
        raise InvalidQuality("answers", [Problem("/answers", "an object of item key -> answer")])
    problems: list[Problem] = []
    total, fatal = 0.0, False
    known = set()
    for item in items(sheet):
        key = item["key"]
        known.add(key)
        answer = answers.get(key)
        if not isinstance(answer, dict):
            problems.append(Problem(f"/answers/{key}", "not answered", item["label"]))
            continue
        if item.get("fatal"):
            failed = answer.get("failed")
            if not isinstance(failed, bool):
                problems.append(Problem(f"/answers/{key}/failed", "true or false", item["label"]))
            fatal = fatal or failed is True
            continue
        points = answer.get("points")
        weight = float(item.get("weight", 0))
        if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points) \
                or not 0 <= points <= weight:
            problems.append(Problem(f"/answers/{key}/points", "a number from 0 to %(max)s", item["label"],
                                    max=f"{weight:g}"))
            continue
        total += points
    problems += [Problem(f"/answers/{key}", "no such item on the sheet") for key in answers if key not in known]
    if problems:
        raise InvalidQuality("answers", problems)
    return (0.0 if fatal else round(total, 2)), fatal


def clean_remarks(remarks: Any, sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """Remarks tied to a moment of the recording: [{"at_seconds", "item" (optional), "text"}]."""
    if remarks is None:
        return []
    if not isinstance(remarks, list) or len(remarks) > MAX_REMARKS:
        raise InvalidQuality("remarks", [Problem("/remarks", "a list of at most %(max)s remarks", max=MAX_REMARKS)])
    keys = {item["key"] for item in items(sheet)}
    problems: list[Problem] = []
    cleaned = []
    for n, remark in enumerate(remarks):
        at = remark.get("at_seconds") if isinstance(remark, dict) else None
        text = remark.get("text") if isinstance(remark, dict) else None
        item = remark.get("item") if isinstance(remark, dict) else None
        if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at) or not 0 <= at <= 86400:
            problems.append(Problem(f"/remarks/{n}/at_seconds", "seconds into the recording, 0 to 86400"))
        if not isinstance(text, str) or not 1 <= len(text.strip()) <= MAX_TEXT:
            problems.append(Problem(f"/remarks/{n}/text", "1 to %(max)s characters", max=MAX_TEXT))
        if item not in (None, "") and item not in keys:
            problems.append(Problem(f"/remarks/{n}/item", "%(value)s is not an item of the sheet", value=repr(item)))
        if not problems:
            cleaned.append({"at_seconds": round(float(at), 1), "item": item or None, "text": text.strip()})
    if problems:
        raise InvalidQuality("remarks", problems)
    return sorted(cleaned, key=lambda r: r["at_seconds"])


def sheet(session: Session, name: str) -> ScoreSheet:
    row = session.scalar(select(ScoreSheet).where(ScoreSheet.name == name))
    if row is None:
        raise NotFound(f"score sheet {name!r} not found")
    return row


def save_sheet(session: Session, actor: str, name: str, title: str, body: Any, publish: bool) -> ScoreSheet:
    """Creates or updates a sheet; publishing refuses a sheet whose weights do not sum to 100."""
    if not NAME.fullmatch(name or ""):
        raise InvalidQuality("score sheet", [Problem("/name", "lower-case letters, digits, _ and -, starting with a "
                                                     "letter")])
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= 200:
        raise InvalidQuality("score sheet", [Problem("/title", "1 to %(max)s characters", max=200)])
    problems = sheet_problems(body, publishing=publish)
    if problems:
        raise InvalidQuality("score sheet", problems)
    row = session.scalar(select(ScoreSheet).where(ScoreSheet.name == name))
    if row is None:
        row = ScoreSheet(name=name, body={})
        session.add(row)
    version = sheet_version(row.body) + (1 if publish else 0)
    row.title, row.body, row.published, row.updated_by = title.strip(), {**body, "version": version}, publish, actor
    row.updated_at = datetime.now(UTC)
    audit.record(session, actor, "score_sheet.publish" if publish else "score_sheet.save", "score_sheet", name)
    return row


def sheet_version(body: Any) -> int:
    """The sheet's version: how many times it was published. save_sheet keeps it in the body ("version"), so the
    copy each evaluation keeps of its sheet names the version it was scored with (0: never published)."""
    version = body.get("version", 0) if isinstance(body, dict) else 0
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def score_call(session: Session, reviewer_id: int, reviewer: str, call: CallRecord, sheet_name: str,
               answers: Any, remarks: Any, calibration_id: int | None = None, source: str = "direct") -> Evaluation:
    """Scores a call with a published sheet; the evaluation keeps a copy of the sheet (with its version). How the
    call was picked — `source`, one of SOURCES, or calibration in a session — goes into the score's audit entry,
    which the QA export reads (task 15a item 5)."""
    refuse_without_agent(call)
    if calibration_id is not None:
        source = "calibration"
    elif source not in SOURCES:
        raise InvalidQuality("score", [Problem("/source", "%(value)s is not one of: sample, filter, direct",
                                               value=repr(str(source)[:32]))])
    row = sheet(session, sheet_name)
    if not row.published:
        raise InvalidQuality("score sheet", [Problem("/sheet", "%(value)s is not published", value=repr(sheet_name))])
    problems: list[Problem] = []  # the answers' and the remarks' together, so one refusal names them all
    try:
        total, fatal = compute(row.body, answers)
    except InvalidQuality as exc:
        problems += exc.problems
    try:
        cleaned = clean_remarks(remarks, row.body)
    except InvalidQuality as exc:
        problems += exc.problems
    if problems:
        raise InvalidQuality("score", problems)
    replaced = _drop_earlier_calibration_score(session, calibration_id, reviewer_id)
    evaluation = Evaluation(call_uuid=call.uuid, agent_id=call.agent_id, reviewer_id=reviewer_id,
                            reviewer=reviewer, sheet_name=row.name, sheet={"title": row.title, **row.body},
                            answers=answers, remarks=cleaned, total=total, fatal=fatal,
                            calibration_id=calibration_id)
    session.add(evaluation)
    session.flush()
    audit.record(session, reviewer, "evaluation.create", "call", call.uuid, {
        "evaluation": evaluation.id, "total": total, "fatal": fatal, "source": source,
        "sheet_version": sheet_version(row.body), **({"replaced": replaced} if replaced else {})})
    return evaluation


def _drop_earlier_calibration_score(session: Session, calibration_id: int | None, reviewer_id: int) -> list[int]:
    """One score per reviewer per calibration session: a reviewer scoring again replaces their earlier score, so
    the spread is over distinct reviewers (issue 15, task 15d item 1). Returns the replaced evaluations' ids."""
    if calibration_id is None:
        return []
    earlier = list(session.scalars(select(Evaluation).where(Evaluation.calibration_id == calibration_id,
                                                            Evaluation.reviewer_id == reviewer_id)))
    for row in earlier:
        session.delete(row)
    session.flush()
    return [row.id for row in earlier]


#: Why a call no agent answered cannot be scored: shown in place of the score form and as the refusal of a POST.
NO_AGENT = "no agent answered this call (it ended in the IVR or the queue), so there is no one to score"


def refuse_without_agent(call: CallRecord) -> None:
    """A score is an agent's score: a call abandoned before any agent answered would count in no agent's figures
    and show as "—" in the reports (task 15a item 2), so it is refused, in calibration too."""
    if call.agent_id is None:
        raise InvalidQuality("score", [Problem("", NO_AGENT)])


def evaluation(session: Session, evaluation_id: int) -> Evaluation:
    row = session.get(Evaluation, evaluation_id)
    if row is None:
        raise NotFound(f"evaluation {evaluation_id} not found")
    return row


def appeal_items(sheet: dict[str, Any], proposed: Any) -> dict[str, Any]:
    """The items an appeal disputes with the score proposed for each ({key: {"points": n} | {"failed": bool}}),
    checked against the sheet the evaluation was scored on; InvalidQuality naming every bad one."""
    if proposed is None:
        return {}
    if not isinstance(proposed, dict):
        raise InvalidQuality("appeal", [Problem("/items", "an object of item keys")])
    by_key = {item["key"]: item for item in items(sheet)}
    problems: list[Problem] = []
    for key, value in proposed.items():
        item = by_key.get(key)
        if item is None:
            problems.append(Problem(f"/items/{key}", "no such item on the sheet"))
        elif item.get("fatal"):
            if not isinstance(value, dict) or not isinstance(value.get("failed"), bool):
                problems.append(Problem(f"/items/{key}/failed", "true or false", item["label"]))
        else:
            points = value.get("points") if isinstance(value, dict) else None
            weight = float(item.get("weight", 0))
            if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points) \
                    or not 0 <= points <= weight:
                problems.append(Problem(f"/items/{key}/points", "a number from 0 to %(max)s", item["label"],
                                        max=f"{weight:g}"))
    if problems:
        raise InvalidQuality("appeal", problems)
    return dict(proposed)


def appeal(session: Session, user_id: int, actor: str, evaluation_id: int, reason: str, now: datetime,
           proposed: Any = None) -> Evaluation:
    """The agent scored appeals once, with a reason and the items disputed with the score proposed for each;
    calibration scores are not the agent's score."""
    row = evaluation(session, evaluation_id)
    if row.agent_id != user_id or row.calibration_id is not None:
        raise NotFound(f"evaluation {evaluation_id} not found")
    if row.appeal_status != "none":
        raise InvalidQuality("appeal", [Problem("", "this score was already appealed; an appeal can be made once")])
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= MAX_TEXT:
        raise InvalidQuality("appeal", [Problem("/reason", "1 to %(max)s characters", max=MAX_TEXT)])
    row.appeal_items = appeal_items(row.sheet, proposed) or None
    row.appeal_status, row.appeal_reason, row.appealed_at = "open", reason, now
    audit.record(session, actor, "evaluation.appeal", "call", row.call_uuid,
                 {"evaluation": row.id, "items": sorted(row.appeal_items or {})})
    return row


def resolve(session: Session, actor: str, evaluation_id: int, note: str, now: datetime,
            answers: Any = None) -> Evaluation:
    """QA answers an open appeal: the score stands (no answers) or is amended (new answers, recomputed)."""
    row = evaluation(session, evaluation_id)
    if row.appeal_status != "open":
        raise InvalidQuality("resolution", [Problem("", "there is no open appeal on this score")])
    note = (note or "").strip()
    if not 1 <= len(note) <= MAX_TEXT:
        raise InvalidQuality("resolution", [Problem("/note", "1 to %(max)s characters", max=MAX_TEXT)])
    if answers is not None:
        row.total, row.fatal = compute(row.sheet, answers)
        row.answers = answers
        row.appeal_status = "amended"
    else:
        row.appeal_status = "upheld"
    row.appeal_resolution, row.resolved_by, row.resolved_at = note, actor, now
    audit.record(session, actor, "evaluation.resolve", "call", row.call_uuid,
                 {"evaluation": row.id, "outcome": row.appeal_status, "total": row.total})
    return row


def start_calibration(session: Session, actor: str, call: CallRecord, sheet_name: str,
                      title: str) -> CalibrationSession:
    refuse_without_agent(call)
    row = sheet(session, sheet_name)
    if not row.published:
        raise InvalidQuality("score sheet", [Problem("/sheet", "%(value)s is not published", value=repr(sheet_name))])
    title = (title or "").strip() or call.uuid
    calibration = CalibrationSession(call_uuid=call.uuid, sheet_id=row.id, title=title[:200], created_by=actor)
    session.add(calibration)
    session.flush()
    return calibration


def calibration(session: Session, calibration_id: int) -> CalibrationSession:
    row = session.get(CalibrationSession, calibration_id)
    if row is None:
        raise NotFound(f"calibration {calibration_id} not found")
    return row


def spread(evaluations: list[Evaluation]) -> dict[str, Any]:
    """Per item of the sheet: each reviewer's value, min, max, spread (max − min) and standard deviation;
    a fatal item counts failed as 1. The total's spread too. Reviewers who disagree most show first."""
    latest: dict[str, Evaluation] = {}
    for ev in evaluations:  # one column per reviewer, their latest score (older data may hold repeats)
        latest.pop(ev.reviewer, None)
        latest[ev.reviewer] = ev
    evaluations = list(latest.values())
    if not evaluations:
        return {"items": [], "total": None, "reviewers": []}
    sheet_items = items(evaluations[0].sheet)
    rows = []
    for item in sheet_items:
        key = item["key"]
        values = [_value(item, ev.answers.get(key) or {}) for ev in evaluations]
        rows.append({"key": key, "label": item["label"], "fatal": bool(item.get("fatal")),
                     "weight": item.get("weight", 0), "values": values, "min": min(values), "max": max(values),
                     "spread": round(max(values) - min(values), 2),
                     "stdev": round(statistics.pstdev(values), 2)})
    totals = [ev.total for ev in evaluations]
    return {"items": rows, "reviewers": [ev.reviewer for ev in evaluations],
            "total": {"values": totals, "min": min(totals), "max": max(totals),
                      "spread": round(max(totals) - min(totals), 2), "stdev": round(statistics.pstdev(totals), 2)}}


def _value(item: dict[str, Any], answer: dict[str, Any]) -> float:
    if item.get("fatal"):
        return 1.0 if answer.get("failed") else 0.0
    return float(answer.get("points", 0))
