"""Campaigns: create one from a published outbound script, fill it from a contact list, and move it through
its states (docs/outbound.md, "Campaign states") with the checks that must pass first.

Start and resume are refused, with every reason, when the campaign could not dial: nothing left to dial, no call
window left today (said before start, not discovered by an idle dialer), no agent of its queue or skill signed
in (unless agentless). The checks read the ACD's live agent states, which the caller passes in (the web layer
reads them through wallboard.live.AcdReader), so this module holds no Redis connection.

Refusals are `Problem`s: a stable code, an English sentence with named fields (a key of the UI's string table,
so pages show it translated), and the fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import Campaign, CampaignEntry, Contact, ContactList, Queue, Tenant
from ..models.campaigns import CAMPAIGN_MODES, CAMPAIGN_PURPOSES
from ..scoping import tenant_of
from ..services.documents import DocumentService
from ..services.errors import Duplicate, InvalidDocument, NotFound, ServiceError
from ..tenant_zone import tenant_calendar
from .compliance import FINAL_REFUSALS, WEEKDAYS, in_window, next_window_opening
from .prelaunch import Prelaunch, prelaunch

#: Bounds on what an operator may set (one tenant must not take every trunk, nor dial a contact forever).
MAX_LINES = 200
MAX_ATTEMPTS = 20
MAX_GAP_MINUTES = 7 * 24 * 60
#: Longest a booked callback waits for its agent before anyone takes it (a working day).
MAX_AGENT_WAIT_SECONDS = 8 * 3600
MAX_ABANDON_CAP = 0.2
RETRY_OUTCOMES = ("busy", "no_answer", "failed", "machine")
MAX_RETRY_RULES = 50
#: ACD agent states that count as signed in for a campaign (anything but offline).
#: `reserved`: the wallboard's reading of an agent waiting for the preview callee they dialled (busy with it).
SIGNED_IN_STATES = frozenset({"available", "reserved", "ringing", "on_call", "wrap_up", "break"})
BUSY_STATES = frozenset({"reserved", "ringing", "on_call", "wrap_up"})


@dataclass(frozen=True)
class Problem:
    """Why a campaign may not start (or be created) now."""

    code: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        """The sentence, in the reader's language with `translate`; a `status` field is shown as its label
        (the string table's `status.<code>`), never the stored code."""
        if translate is None:
            return self.text.format(**self.params)
        params = {k: translate(f"status.{v}") if k == "status" else v for k, v in self.params.items()}
        return translate(self.text).format(**params)


class CampaignRefused(ServiceError):
    """A state change refused, with every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class AgentState:
    """One agent as the ACD sees it now (wallboard.live.AgentLive has these fields)."""

    agent_id: str
    state: str
    skills: Mapping[str, int]


def get(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.tenant_id != tenant_of(session):
        raise NotFound(f"campaign {campaign_id} not found")
    return campaign


def list_campaigns(session: Session, *, include_tasks: bool = True, limit: int = 500) -> list[Campaign]:
    """The tenant's campaigns, newest first (at most `limit`)."""
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(limit)
    if not include_tasks:
        query = query.where(Campaign.kind == "list")
    return list(session.scalars(query))


def tenant_holidays(session: Session) -> list[str]:
    """The tenant calendar's holidays (ISO dates): no campaign dials on them."""
    tenant = session.get(Tenant, tenant_of(session))
    calendar = tenant_calendar(tenant.settings if tenant is not None else None) or {}
    return [str(day) for day in calendar.get("holidays", ())]


def dialing_policy(campaign: Campaign) -> dict[str, Any]:
    """The campaign's rules in the shape compliance.check reads (its `dialing` argument)."""
    windows = campaign.windows or {}
    return {"timezone": windows.get("timezone") or "Asia/Shanghai", "windows": windows.get("windows") or [],
            "max_attempts_per_contact": campaign.max_attempts_per_contact}


def script_body(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The published script version the campaign was created with."""
    if campaign.script is None or campaign.script_version is None:
        return {}
    return DocumentService(session, campaign.created_by or "system").version(
        "outbound", campaign.script, campaign.script_version).body


def _zone(name: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _windows_findings(windows: Mapping[str, Any]) -> list[Finding]:
    found = []
    if _zone(windows.get("timezone") or "") is None:
        found.append(Finding("/windows/timezone", "error", f"unknown time zone {windows.get('timezone')!r}",
                             "timezone"))
    rows = windows.get("windows")
    if not isinstance(rows, list) or not rows or len(rows) > 50:
        found.append(Finding("/windows/windows", "error", "between 1 and 50 call windows are needed", "windows"))
        return found
    for i, row in enumerate(rows):
        ptr = f"/windows/windows/{i}"
        days = row.get("days") if isinstance(row, Mapping) else None
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
            found.append(Finding(f"{ptr}/days", "error", f"days must be some of {', '.join(WEEKDAYS)}", "days"))
        try:
            start, end = str(row["start"]), str(row["end"])
            if not (len(start) == len(end) == 5 and "00:00" <= start < end <= "24:00"):
                raise ValueError
            # times of the day, not only their shape ("23:60" passed): minutes 00-59, 24:00 only as the end
            if int(start[3:]) > 59 or int(end[3:]) > 59 or start[2] != ":" or end[2] != ":" \
                    or (end[:2] == "24" and end != "24:00"):
                raise ValueError
        except (KeyError, TypeError, ValueError):
            found.append(Finding(ptr, "error", "a window needs start and end as HH:MM, start before end", "time"))
    return found


def set_windows(session: Session, campaign: Campaign, windows: Mapping[str, Any]) -> None:
    """Replaces the campaign's call windows (`{"timezone": …, "windows": [...]}`); InvalidDocument with a JSON
    Pointer per problem, and the stored windows unchanged, when any is bad. The dialer reads them at each claim."""
    found = _windows_findings(windows)
    if found:
        raise InvalidDocument("the call windows are not valid", found)
    campaign.windows = {"timezone": str(windows["timezone"]), "windows": [
        {"days": list(w["days"]), "start": str(w["start"]), "end": str(w["end"])} for w in windows["windows"]]}


def _retry_findings(policy: Mapping[str, Any], dispositions: set[str]) -> list[Finding]:
    found = []
    if len(policy) > MAX_RETRY_RULES:
        return [Finding("/retry_policy", "error", f"at most {MAX_RETRY_RULES} retry rules", "size")]
    for outcome, rule in policy.items():
        ptr = f"/retry_policy/{outcome}"
        if outcome not in RETRY_OUTCOMES and outcome not in dispositions:
            found.append(Finding(ptr, "error", f"{outcome!r} is neither a call outcome ({', '.join(RETRY_OUTCOMES)})"
                                               " nor a disposition of the script", "outcome"))
            continue
        try:
            delay, cap = int(rule["delay_minutes"]), int(rule["max"])
        except (KeyError, TypeError, ValueError):
            found.append(Finding(ptr, "error", "needs delay_minutes and max as whole numbers", "retry"))
            continue
        if not (1 <= delay <= MAX_GAP_MINUTES and 0 <= cap <= MAX_ATTEMPTS):
            found.append(Finding(ptr, "error", f"delay_minutes 1–{MAX_GAP_MINUTES}, max 0–{MAX_ATTEMPTS}", "range"))
    return found


def settings_findings(windows: list[Mapping[str, Any]], retry_policy: Mapping[str, Any],
                      dispositions: set[str] | None) -> list[Finding]:
    """The per-line findings of call windows and retry rules alone (no zone, no count), so a form that failed on
    other fields still reports these at once (QA 13f #5); `dispositions` None: the script is unknown, so an
    outcome is not checked against it."""
    found = [f for f in _windows_findings({"timezone": "UTC", "windows": windows}) if f.code in ("time", "days")]
    if dispositions is None:
        retry_policy = {k: v for k, v in retry_policy.items() if k in RETRY_OUTCOMES}
    return found + _retry_findings(retry_policy, dispositions or set())


def create(session: Session, *, name: str, script: str, contact_list_id: int | None, actor: str,
           mode: str | None = None, purpose: str = "service", windows: Mapping[str, Any] | None = None,
           retry_policy: Mapping[str, Any] | None = None, queue: str | None = None, skill: str | None = None,
           max_lines: int = 10, abandon_cap: float = 0.03, max_attempts_per_contact: int = 3,
           min_gap_minutes: int = 60, agent_wait_seconds: int = 60, enrol: bool = True) -> Campaign:
    """Creates a draft campaign on the script's current published version and fills it from the list (with
    `enrol=False` the caller fills it, in the background: `enrol_batch`).

    Mode and call windows default to the script's dialing policy. A marketing list makes a marketing campaign
    whatever `purpose` says (its contacts then need consent). Every bad value is reported, by JSON Pointer.
    """
    name = (name or "").strip()
    found: list[Finding] = []
    if not name or len(name) > 100:
        found.append(Finding("/name", "error", "a name of 1 to 100 characters is needed", "name"))
    elif session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
        raise Duplicate(f"a campaign named {name!r} already exists")
    try:
        version = DocumentService(session, actor).published("outbound", script)
    except NotFound as exc:
        raise InvalidDocument("the script is not published", [Finding("/script", "error", str(exc),
                                                                        "not-published")]) from None
    body = version.body
    dispositions = {d["code"] for d in body.get("dispositions", [])}
    if not dispositions:
        found.append(Finding("/script", "error", f"script {script!r} version {version.number} has no dispositions",
                             "dispositions"))
    dialing = body.get("dialing") or {}
    mode = mode or dialing.get("mode") or "progressive"
    if mode not in CAMPAIGN_MODES:
        found.append(Finding("/mode", "error", f"mode must be one of {', '.join(CAMPAIGN_MODES)}", "enum"))
    if purpose not in CAMPAIGN_PURPOSES:
        found.append(Finding("/purpose", "error", f"purpose must be one of {', '.join(CAMPAIGN_PURPOSES)}", "enum"))
    windows = dict(windows or {"timezone": dialing.get("timezone") or "Asia/Shanghai",
                               "windows": dialing.get("windows") or []})
    found += _windows_findings(windows)
    retry_policy = dict(retry_policy if retry_policy is not None else {
        outcome: {"delay_minutes": rule.get("delay_minutes", 60), "max": rule.get("max_attempts", 0)}
        for outcome, rule in (dialing.get("retries") or {}).items()})
    found += _retry_findings(retry_policy, dispositions)
    contact_list = None
    if contact_list_id is not None:
        contact_list = session.get(ContactList, contact_list_id)
        if contact_list is None or contact_list.tenant_id != tenant_of(session):
            found.append(Finding("/contact_list_id", "error", f"contact list {contact_list_id} not found", "missing"))
        else:
            if contact_list.purpose == "marketing":
                purpose = "marketing"
            # a list whose import failed or refused every line is empty: a campaign on it would dial nobody and
            # look running (issue 13, 13b #3)
            if session.scalar(select(Contact.id).where(Contact.list_id == contact_list.id).limit(1)) is None:
                found.append(Finding("/contact_list_id", "error", "the contact list has no contacts: import its "
                                     "file again, or pick another list", "empty"))  # one sentence: pages word it
    else:
        found.append(Finding("/contact_list_id", "error", "a campaign needs a contact list", "required"))
    if queue and session.scalar(select(Queue.id).where(Queue.name == queue)) is None:
        found.append(Finding("/queue", "error", f"queue {queue!r} does not exist", "missing"))
    for ptr, value, low, high in (("/max_lines", max_lines, 1, MAX_LINES),
                                  ("/max_attempts_per_contact", max_attempts_per_contact, 1, MAX_ATTEMPTS),
                                  ("/min_gap_minutes", min_gap_minutes, 0, MAX_GAP_MINUTES),
                                  ("/agent_wait_seconds", agent_wait_seconds, 0, MAX_AGENT_WAIT_SECONDS)):
        if not isinstance(value, int) or not low <= value <= high:
            found.append(Finding(ptr, "error", f"must be a whole number from {low} to {high}", "range"))
    if not isinstance(abandon_cap, int | float) or not 0 <= abandon_cap <= MAX_ABANDON_CAP:
        found.append(Finding("/abandon_cap", "error", f"must be from 0 to {MAX_ABANDON_CAP}", "range"))
    if found:
        raise InvalidDocument("the campaign is not valid", found)
    campaign = Campaign(name=name, kind="list", script=script, script_version=version.number,
                        contact_list_id=contact_list_id, mode=mode, status="draft", purpose=purpose,
                        windows=windows, retry_policy=retry_policy, queue=queue or None, skill=skill or None,
                        max_lines=max_lines, abandon_cap=float(abandon_cap),
                        max_attempts_per_contact=max_attempts_per_contact, min_gap_minutes=min_gap_minutes,
                        agent_wait_seconds=agent_wait_seconds, created_by=actor)
    session.add(campaign)
    session.flush()
    if enrol:
        populate(session, campaign)
    return campaign


def not_enrolled(session: Session, campaign: Campaign) -> int:
    """Contacts of the campaign's list without an entry yet (a background enrolment still running)."""
    if campaign.contact_list_id is None:
        return 0
    present = select(CampaignEntry.contact_id).where(CampaignEntry.campaign_id == campaign.id,
                                                     CampaignEntry.contact_id.is_not(None))
    return int(session.scalar(select(func.count()).select_from(Contact).where(
        Contact.list_id == campaign.contact_list_id, Contact.id.not_in(present))) or 0)


def populate(session: Session, campaign: Campaign, limit: int | None = None) -> int:
    """Adds an entry for every contact of the campaign's list not in it yet (at most `limit`, in contact order, for
    a background enrolment's batch); returns how many were added.

    Run again after more lines were imported into the list: contacts already in the campaign are left alone.
    """
    if campaign.contact_list_id is None:
        return 0
    present = select(CampaignEntry.contact_id).where(CampaignEntry.campaign_id == campaign.id,
                                                     CampaignEntry.contact_id.is_not(None))
    # One INSERT … SELECT, set-based in the database: a 200,000-contact list never comes through Python (QA 13 #1:
    # the row-by-row version took 48.7 s, past the 30-second request deadline).
    rows = (select(literal(campaign.tenant_id), literal(campaign.id), Contact.id, Contact.phone_e164,
                   literal("pending"), literal(0), literal(""))
            .where(Contact.list_id == campaign.contact_list_id, Contact.id.not_in(present)).order_by(Contact.id))
    if limit is not None:
        rows = rows.limit(limit)
    session.flush()
    added = session.scalar(select(func.count()).select_from(rows.order_by(None).subquery())) or 0
    if added:  # (the driver's rowcount of an INSERT … SELECT is -1 on PostgreSQL here: counted first instead)
        session.execute(insert(CampaignEntry.__table__).from_select(
            ["tenant_id", "campaign_id", "contact_id", "phone_e164", "state", "attempts", "closed_reason"], rows))
    return int(added)


def entry_counts(session: Session, campaign_id: int) -> dict[str, int]:
    """{state: number of entries} for one campaign."""
    return {state: count for state, count in session.execute(
        select(CampaignEntry.state, func.count()).where(CampaignEntry.campaign_id == campaign_id)
        .group_by(CampaignEntry.state))}


def serving_agents(session: Session, campaign: Campaign, agents: Sequence[Any]) -> list[Any]:
    """The signed-in agents who can take the campaign's calls: holding its skill, or one of its queue's
    skills (any agent when neither names a skill)."""
    skills: list[str] = [campaign.skill] if campaign.skill else []
    if not skills and campaign.queue:
        skills = list(session.scalar(select(Queue.skills).where(Queue.name == campaign.queue)) or [])
    return [a for a in agents if a.state in SIGNED_IN_STATES and (not skills or any(s in a.skills for s in skills))]


def window_today(campaign: Campaign, now: datetime, holidays: Sequence[str]) -> Problem | None:
    """None when the campaign is in a call window now or one opens later today (local to its zone)."""
    policy = dialing_policy(campaign)
    zone = _zone(policy["timezone"]) or ZoneInfo("UTC")
    local = now.astimezone(zone)
    if in_window(local, policy["windows"], holidays):
        return None
    opening = next_window_opening(local, policy["windows"], holidays)
    if opening is not None and opening.date() == local.date():
        return None
    when = f"{opening:%Y-%m-%d %H:%M} ({zone.key})" if opening else "—"
    return Problem("no_window_today", "No call window is left today; the next one opens {when}.", {"when": when})


def start_check(session: Session, campaign: Campaign, now: datetime,
                agents: Sequence[Any] | None) -> tuple[list[Problem], Prelaunch | None]:
    """What would refuse a start (or resume) now, and the pre-launch check of the list. `agents` is the ACD's
    live view of the tenant's agents (None when it could not be read)."""
    problems: list[Problem] = []
    if campaign.kind != "list":  # the always-on tasks campaign: only a pause can be undone
        if campaign.status != "paused":
            problems.append(Problem("status", "The campaign is {status}; only a draft or paused campaign can "
                                              "start.", {"status": campaign.status}))
        return problems, None
    if campaign.status not in ("draft", "paused"):  # the one reason: a stopped campaign's list says nothing here
        # (QA 13a #6: its dialled contacts read as "every one refused", a reason that was not true)
        return [Problem("status", "The campaign is {status}; only a draft or paused campaign can start.",
                        {"status": campaign.status})], None
    holidays = tenant_holidays(session)
    counts = entry_counts(session, campaign.id)
    check = None
    contact_list = session.get(ContactList, campaign.contact_list_id) if campaign.contact_list_id else None
    if contact_list is not None:
        check = prelaunch(session, contact_list, {**script_body(session, campaign),
                                                  "dialing": dialing_policy(campaign)},
                          now, holidays=holidays)
        # only refusals for good: a contact inside its minimum gap or the 72 hours is dialled once they pass
        blocked = sum(v["count"] for rule, v in check.refused.items() if rule in FINAL_REFUSALS)
        if check.total and blocked >= check.total:
            problems.append(Problem("nothing_dialable", "No contact can be dialled: every one is refused by the "
                                                        "rules (see the pre-launch check)."))
    waiting = not_enrolled(session, campaign)
    if waiting:  # a start now could finish the campaign before the rest of its list is in it
        problems.append(Problem("enrolling", "The list's contacts are still being added to the campaign ({left} to "
                                             "go); start it once they are all in.", {"left": waiting}))
    elif not counts.get("pending", 0) and not counts.get("dialing", 0):
        problems.append(Problem("no_entries", "The campaign has no contact left to dial."))
    problem = window_today(campaign, now, holidays)
    if problem is not None:
        problems.append(problem)
    if campaign.mode != "agentless":
        if agents is None:
            problems.append(Problem("agents_unknown", "The agents' states cannot be read now; try again."))
        elif not serving_agents(session, campaign, agents):
            who = _served_by(session, campaign)
            problems.append(Problem("no_agents", "No agent who can take this campaign's calls is signed in "
                                                 "({who}).", {"who": who}) if who else
                            Problem("no_agents", "No agent is signed in to take this campaign's calls."))
    return problems, check


def _served_by(session: Session, campaign: Campaign) -> str:
    """Who the campaign's calls go to, by label (its skill, else its queue); "" when it names neither (QA 13
    round 4 #9: the refusal read "（—）", and a skill showed as its stored name)."""
    from ..models import Skill

    if campaign.skill:
        return session.scalar(select(Skill.label).where(Skill.name == campaign.skill)) or campaign.skill
    if campaign.queue:
        return session.scalar(select(Queue.label).where(Queue.name == campaign.queue)) or campaign.queue
    return ""


def start(session: Session, campaign_id: int, now: datetime, agents: Sequence[Any] | None, *,
          actor: str) -> Campaign:
    """draft/paused → running, or CampaignRefused with every reason."""
    campaign = get(session, campaign_id)
    problems, _check = start_check(session, campaign, now, agents)
    if problems:
        raise CampaignRefused(problems)
    campaign.status = "running"
    campaign.started_at = campaign.started_at or now
    session.flush()
    return campaign


def resume(session: Session, campaign_id: int, now: datetime, agents: Sequence[Any] | None, *,
           actor: str) -> Campaign:
    """paused → running, with start's checks."""
    campaign = get(session, campaign_id)
    if campaign.status != "paused":
        raise CampaignRefused([Problem("status", "Only a paused campaign can be resumed (it is {status}).",
                                       {"status": campaign.status})])
    return start(session, campaign_id, now, agents, actor=actor)


def pause(session: Session, campaign_id: int, *, actor: str) -> Campaign:
    """running → paused: dialers claim no new entry; calls in progress finish."""
    campaign = get(session, campaign_id)
    if campaign.status != "running":
        raise CampaignRefused([Problem("status", "Only a running campaign can be paused (it is {status}).",
                                       {"status": campaign.status})])
    campaign.status = "paused"
    session.flush()
    return campaign


def stop(session: Session, campaign_id: int, now: datetime, *, actor: str, reason: str) -> Campaign:
    """Any state but stopped/finished → stopped, for good, with the operator's reason."""
    campaign = get(session, campaign_id)
    reason = (reason or "").strip()
    if campaign.kind != "list" or campaign.status in ("stopped", "finished"):
        raise CampaignRefused([Problem("status", "The campaign is {status}; it cannot be stopped.",
                                       {"status": campaign.status})])
    if not reason or len(reason) > 500:
        raise CampaignRefused([Problem("reason", "Say why the campaign stops (1 to 500 characters).")])
    campaign.status, campaign.stopped_at, campaign.stop_reason = "stopped", now, reason
    session.flush()
    return campaign


def finish_if_done(session: Session, campaign: Campaign, now: datetime) -> bool:
    """running → finished when no entry is pending or dialing (never for the tasks campaign)."""
    if campaign.kind != "list" or campaign.status != "running":
        return False
    counts = entry_counts(session, campaign.id)
    if counts.get("pending", 0) or counts.get("dialing", 0):
        return False
    campaign.status, campaign.stopped_at = "finished", now
    session.flush()
    return True

