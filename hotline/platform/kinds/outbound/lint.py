"""Semantic lint of outbound scripts: the page graph, the answers branches read, and the dialing policy.

Runs on bodies that passed the schema. The page graph is checked like an IVR (targets exist, every page
reachable, no loop that asks nothing); the dialing policy for what would break compliance or a campaign
(empty call windows, an unknown time zone, retries above the per-contact cap).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...findings import Finding, error, join, pointer, warning
from ..context import LintContext
from ..lint_helpers import (
    check_call_field,
    check_condition,
    check_customer_field,
    check_reference,
    check_template,
    check_timezone,
    cycle_path,
    cycles,
    describe_path,
    duplicate_key_findings,
    empty_window,
    listing,
    reachable,
    split_operand,
    unavailable_root,
)

Page = Mapping[str, Any]

#: Fields of a contact-list row that branches and texts may read (contact.<field>).
CONTACT_FIELDS = frozenset({"name", "phone", "address", "timezone", "customer_id", "ticket_id", "ticket_number",
                            "note", "email", "company", "language", "attempt"})
#: Question types a callee can answer on the keypad in agentless mode.
KEYPAD_TYPES = frozenset({"choice", "multi", "number", "rating", "yesno"})


class _Lint:
    """One lint run; knows the question names of the whole script for answer.<name> operands."""

    def __init__(self, body: Mapping[str, Any], ctx: LintContext) -> None:
        self.body = body
        self.ctx = ctx
        self.questions = {q["name"] for page in body["pages"].values() for q in page.get("questions", [])}

    def operand(self, operand: str, ptr: str) -> Finding | None:
        root, field = split_operand(operand)
        if root == "answer":
            if field in self.questions:
                return None
            return error(ptr, f"{operand!r} reads the answer to question {field!r}, which the script does not "
                              f"ask (questions: {listing(self.questions)})", "unknown-field")
        if root == "contact":
            if field in CONTACT_FIELDS or field in self.ctx.contact_fields:
                return None
            return error(ptr, f"{operand!r} reads contact field {field!r}, which contact lists do not have "
                              f"(known: {listing(CONTACT_FIELDS | self.ctx.contact_fields, 20)})", "unknown-field")
        if root == "customer":
            return check_customer_field(field, ptr, operand, self.ctx)
        if root == "call":
            return check_call_field(field, ptr, operand)
        return unavailable_root(root, ptr, operand, "an outbound script",
                                "answer., contact., customer. or call.")

    def template_name(self, name: str, ptr: str) -> Finding | None:
        if "." in name:
            return self.operand(name, ptr)
        return error(ptr, f"{{{{{name}}}}} is not defined in outbound scripts; texts read contact.<field>, "
                          "answer.<question>, customer.<field> or call.<field>", "undefined-variable")

    def page(self, page_id: str, page: Page, dispositions: set[str], agentless: bool) -> list[Finding]:
        ptr = pointer("pages", page_id)
        found: list[Finding] = []
        pages = self.body["pages"]
        if "say" in page:
            found += check_template(page["say"], join(ptr, "say"), self.template_name)
        if "next" in page and page["next"] not in pages:
            found.append(error(join(ptr, "next"), f"next of page {page_id!r} is page {page['next']!r}, which "
                                                  "does not exist", "unknown-target"))
        for i, branch in enumerate(page.get("branches", [])):
            at = join(ptr, "branches", i)
            found += check_condition(branch["when"], join(at, "when"), self.operand)
            if branch["next"] not in pages:
                found.append(error(join(at, "next"), f"branch {i} of page {page_id!r} goes to page "
                                                     f"{branch['next']!r}, which does not exist", "unknown-target"))
        if "disposition" in page and page["disposition"] not in dispositions:
            found.append(error(join(ptr, "disposition"), f"disposition {page['disposition']!r} is not one of the "
                                                         f"script's dispositions ({listing(dispositions)})",
                               "unknown-disposition"))
        if "next" not in page and "disposition" not in page:
            why = ("has branches but no next page and no disposition, so when no branch matches the call ends "
                   "without a result" if page.get("branches") else
                   "has no next page, no branches and no disposition, so the call ends there without a result")
            found.append(warning(ptr, f"page {page_id!r} {why}", "dead-end"))
        for i, question in enumerate(page.get("questions", [])):
            found += _check_question(question, join(ptr, "questions", i), agentless)
        return found


def _check_question(question: Mapping[str, Any], ptr: str, agentless: bool) -> list[Finding]:
    found: list[Finding] = []
    name = question["name"]
    if "min" in question and "max" in question and question["min"] > question["max"]:
        found.append(error(join(ptr, "min"), f"question {name!r} has min {question['min']} above max "
                                             f"{question['max']}, so no answer is valid", "bad-range"))
    digits: dict[str, int] = {}
    values: set[str] = set()
    for j, option in enumerate(question.get("options", [])):
        at = join(ptr, "options", j)
        digit = option.get("digit")
        if digit is not None:
            if digit in digits:
                found.append(error(join(at, "digit"), f"digit {digit} of question {name!r} is already option "
                                                      f"{digits[digit]}", "duplicate-digit"))
            digits.setdefault(digit, j)
        elif agentless:
            found.append(error(at, f"option {option['value']!r} of question {name!r} has no digit, so a callee "
                                   "cannot choose it on the keypad in agentless mode", "not-for-agentless"))
        if option["value"] in values:
            found.append(error(join(at, "value"), f"option value {option['value']!r} of question {name!r} is "
                                                  "listed twice", "duplicate-option"))
        values.add(option["value"])
    if agentless and question["type"] not in KEYPAD_TYPES:
        found.append(error(join(ptr, "type"), f"question {name!r} is a {question['type']} question, which a "
                                              "callee cannot answer on the keypad in agentless mode",
                           "not-for-agentless"))
    return found


def _check_unique(body: Mapping[str, Any]) -> list[Finding]:
    """[duplicate-disposition] and [duplicate-question] across the whole script."""
    found: list[Finding] = []
    codes: set[str] = set()
    for i, d in enumerate(body["dispositions"]):
        if d["code"] in codes:
            found.append(error(pointer("dispositions", i, "code"), f"disposition code {d['code']!r} is defined "
                                                                   "twice", "duplicate-disposition"))
        codes.add(d["code"])
    asked: dict[str, str] = {}
    for page_id, page in body["pages"].items():
        for i, q in enumerate(page.get("questions", [])):
            if q["name"] in asked:
                found.append(error(pointer("pages", page_id, "questions", i, "name"),
                                   f"question name {q['name']!r} is already used on page {asked[q['name']]!r}; "
                                   "the answers would overwrite each other", "duplicate-question"))
            asked.setdefault(q["name"], page_id)
    return found


def _check_graph(body: Mapping[str, Any]) -> list[Finding]:
    """[unknown-target] start, [unreachable] pages, [input-free-loop] over pages that ask nothing."""
    pages: Mapping[str, Page] = body["pages"]
    found: list[Finding] = []
    if body["start"] not in pages:
        found.append(error(pointer("start"), f"start page {body['start']!r} does not exist", "unknown-target"))
    edges = {pid: [*(b["next"] for b in p.get("branches", [])), *([p["next"]] if "next" in p else [])]
             for pid, p in pages.items()}
    seen = reachable([body["start"]], edges)
    for pid in pages:
        if pid not in seen and body["start"] in pages:
            found.append(warning(pointer("pages", pid), f"page {pid!r} cannot be reached from the start page "
                                                        f"{body['start']!r}", "unreachable"))
    # A loop that asks nothing lies wholly among the pages without questions: search cycles there.
    quiet = {pid: targets for pid, targets in edges.items() if not pages[pid].get("questions")}
    for component in cycles(quiet):
        path = cycle_path(component, quiet)
        first, second = path[0], path[1]
        page = pages[first]
        branch = next((i for i, b in enumerate(page.get("branches", [])) if b["next"] == second), None)
        at = pointer("pages", first, "next") if branch is None else pointer("pages", first, "branches", branch,
                                                                            "next")
        found.append(error(at, f"pages {describe_path(path)} form a loop that asks no question, so a call "
                               "entering it would never end", "input-free-loop"))
    return found


def _check_dialing(dialing: Mapping[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    f = check_timezone(dialing["timezone"], pointer("dialing", "timezone"))
    found += [f] if f else []
    for i, window in enumerate(dialing["windows"]):
        at = pointer("dialing", "windows", i)
        if not window["days"]:
            found.append(error(join(at, "days"), "call window lists no days, so it never opens", "empty-window"))
        f = empty_window(window["start"], window["end"], at, "call window")
        found += [f] if f else []
    if dialing["mode"] == "predictive" and dialing.get("max_abandon_rate", 0.03) == 0:
        found.append(warning(pointer("dialing", "max_abandon_rate"), "predictive dialing with a maximum "
                                                                     "abandon rate of 0 cannot dial ahead of "
                                                                     "agents; use progressive mode instead",
                             "zero-abandon-rate"))
    retries = dialing.get("retries", {})
    cap = dialing.get("max_attempts_per_contact", 5)
    total = sum(r["max_attempts"] for r in retries.values())
    if total > cap:
        found.append(warning(pointer("dialing", "retries"), f"retries allow {total} attempts in all, more than "
                                                            f"max_attempts_per_contact ({cap}); the cap wins",
                             "retries-exceed-cap"))
    return found


def _check_create_ticket(run: _Lint, spec: Mapping[str, Any], dispositions: Mapping[str, str]) -> list[Finding]:
    """[unknown-form], [unknown-field], [unknown-disposition], [ticket-never-created] of `create_ticket`, and its
    texts' variables like the pages' texts."""
    ptr = pointer("create_ticket")
    found: list[Finding] = []
    for name, template in spec["fields"].items():
        found += check_template(template, join(ptr, "fields", name), run.template_name)
    form = run.ctx.forms.get(spec["form"])
    if form is None:
        f = check_reference(spec["form"], run.ctx.forms, join(ptr, "form"), "form", "unknown-form")
        found += [f] if f else []
    else:
        for name in spec["fields"]:
            if name not in form.fields:
                found.append(error(join(ptr, "fields", name), f"form {spec['form']!r} has no field {name!r} "
                                                              f"(fields: {listing(form.fields)})", "unknown-field"))
    for i, code in enumerate(spec.get("on", [])):
        if code not in dispositions:
            found.append(error(join(ptr, "on", i), f"disposition {code!r} is not one of the script's dispositions "
                                                   f"({listing(dispositions)})", "unknown-disposition"))
    if "on" not in spec and "success" not in dispositions.values():
        found.append(warning(ptr, "no disposition has the outcome success and `on` names none, so no ticket is "
                                  "ever created; list the dispositions in `on`", "ticket-never-created"))
    return found


def lint(body: dict[str, Any], ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Semantic findings of an outbound body that passed the schema (source: its raw JSON text, if any)."""
    run = _Lint(body, ctx)
    dispositions = {d["code"] for d in body["dispositions"]}
    agentless = body["dialing"]["mode"] == "agentless"
    found = duplicate_key_findings(source)
    found += _check_graph(body)
    found += _check_unique(body)
    for page_id, page in body["pages"].items():
        found += run.page(page_id, page, dispositions, agentless)
    found += _check_dialing(body["dialing"])
    if "create_ticket" in body:
        found += _check_create_ticket(run, body["create_ticket"], {d["code"]: d["outcome"]
                                                                   for d in body["dispositions"]})
    return found
