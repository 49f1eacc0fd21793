"""Outbound lint: the fixture documents and the dialing policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import lint

from .conftest import assert_clean, assert_expected_findings, documents, good_body


@pytest.mark.parametrize("path", documents("bad", "outbound"), ids=lambda p: p.stem)
def test_bad_outbound_reports_each_expected_finding(path: Path) -> None:
    assert_expected_findings(path)


@pytest.mark.parametrize("path", documents("good", "outbound"), ids=lambda p: p.stem)
def test_good_outbound_lints_clean(path: Path) -> None:
    assert_clean(path)


def codes(findings: list[Any]) -> list[tuple[str, str, str]]:
    return [(f.pointer, f.code, f.severity) for f in findings]


def test_a_loop_of_pages_that_asks_questions_is_allowed(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit")
    body["pages"]["follow_up"]["next"] = "satisfaction"  # ask again until satisfied
    assert lint("outbound", body, ctx) == []
    del body["pages"]["follow_up"]["questions"]
    body["pages"]["satisfaction"]["questions"] = []
    found = codes(lint("outbound", body, ctx))
    assert ("/pages/satisfaction/branches/0/next", "input-free-loop", "error") in found


def test_retries_use_the_default_cap_of_five(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit")
    del body["dialing"]["max_attempts_per_contact"]
    body["dialing"]["retries"]["failed"] = {"max_attempts": 2, "delay_minutes": 5}
    assert codes(lint("outbound", body, ctx)) == [("/dialing/retries", "retries-exceed-cap", "warning")]


def test_text_questions_are_fine_with_an_agent(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit")
    assert body["pages"]["follow_up"]["questions"][0]["type"] == "text"
    body["dialing"]["mode"] = "agentless"
    assert codes(lint("outbound", body, ctx)) == [("/pages/follow_up/questions/0/type", "not-for-agentless", "error")]


def test_branches_may_read_customer_and_call_fields(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit")
    body["pages"]["intro"]["branches"][0]["when"] = {"any": [
        {"field": "customer.vip", "op": "eq", "value": True}, {"field": "call.attempt", "op": "gt", "value": 2},
        {"field": "contact.ticket_number", "op": "exists"}]}
    assert lint("outbound", body, ctx) == []


def test_predictive_with_an_abandon_allowance_is_fine(ctx: LintContext) -> None:
    body = good_body("outbound/agentless_survey")
    body["dialing"]["mode"] = "predictive"
    assert lint("outbound", body, ctx) == []
    body["dialing"]["max_abandon_rate"] = 0
    assert codes(lint("outbound", body, ctx)) == [("/dialing/max_abandon_rate", "zero-abandon-rate", "warning")]


def test_a_quiet_inner_loop_beside_a_page_with_questions_is_found(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit")
    body["pages"]["thanks"] = {"say": "One moment.", "next": "wait"}
    body["pages"]["wait"] = {"say": "Still there?", "branches": [
        {"when": {"field": "answer.score", "op": "gt", "value": 3}, "next": "intro"}], "next": "thanks"}
    assert ("/pages/thanks/next", "input-free-loop", "error") in codes(lint("outbound", body, ctx))


def test_a_ticket_from_answers_needs_a_form_of_the_tenant(ctx: LintContext) -> None:
    body = good_body("outbound/return_visit_ticket")
    assert lint("outbound", body, ctx) == []
    body["create_ticket"]["form"] = "nosuch"
    assert codes(lint("outbound", body, ctx)) == [("/create_ticket/form", "unknown-form", "error")]
    body["create_ticket"] = {"form": "complaint", "fields": {"content": "{{answer.detail}}"}}
    body["dispositions"] = [d for d in body["dispositions"] if d["outcome"] != "success"]
    body["pages"]["thanks"]["disposition"] = "refused"
    assert codes(lint("outbound", body, ctx)) == [("/create_ticket", "ticket-never-created", "warning")]
