"""`hotline call` is a test call: kept for its trace, attributed to no user, left out of every figure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from hotline.cli import main
from hotline.platform.db import Database
from hotline.platform.models import CallRecord
from hotline.platform.services import ticket_desk, users
from hotline.platform.services.tenants import get_tenant
from hotline.platform.wallboard.today import totals_by_queue

pytestmark = [pytest.mark.redis]


def test_a_cli_test_call_answered_by_a_simulated_agent_is_marked_and_counted_nowhere(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'calls.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    for slug, did in (("acme", "4008001234"), ("other", "4008005678")):
        done = runner.invoke(main, ["tenant", "create", slug, "--template", "express_delivery", "--did", did], env=env)
        assert done.exit_code == 0, done.output
    db = Database(url)
    # A user of the other tenant holds extension 1001, the simulated agent's id.
    with db.platform() as session:
        stranger = users.create_user(session, "stranger", "a-long-password-1", "tester")
        users.grant(session, stranger, get_tenant(session, "other"), users.Role.AGENT, "tester")
        ticket_desk.set_extension(session, stranger.id, "1001")
        acme = get_tenant(session, "acme").id
    result = runner.invoke(main, ["call", "--did", "4008001234", "--press", "0", "--agent", "1001",
                                  "--at", "2026-11-23T10:00+08:00"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with db.tenant(acme) as session:
        record = session.scalar(select(CallRecord))
        assert record is not None and record.answered_at is not None  # the simulated agent answered
        assert record.test_call is True
        assert record.agent_id is None  # not the other tenant's user behind extension 1001
        now = datetime.now(UTC)
        assert totals_by_queue(session, now - timedelta(days=1), now + timedelta(days=1)) == {}
        # A real call (no flag) still counts.
        real = CallRecord(uuid="real-1", did="4008001234", caller="13800000000", queue=record.queue,
                          started_at=now, answered_at=now, ended_at=now, wait_seconds=3)
        session.add(real)
        session.flush()
        totals = totals_by_queue(session, now - timedelta(days=1), now + timedelta(days=1))
        assert totals[record.queue].offered == 1
    db.dispose()


def test_calls_are_attributed_only_to_members_of_the_tenant(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'members.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    for slug, did in (("acme", "4008001234"), ("other", "4008005678")):
        assert runner.invoke(main, ["tenant", "create", slug, "--template", "express_delivery",
                                    "--did", did], env=env).exit_code == 0
    db = Database(url)
    with db.platform() as session:
        member = users.create_user(session, "member", "a-long-password-1", "tester")
        users.grant(session, member, get_tenant(session, "other"), users.Role.AGENT, "tester")
        ticket_desk.set_extension(session, member.id, "2002")
        acme, other = get_tenant(session, "acme").id, get_tenant(session, "other").id
    with db.tenant(acme) as session:
        assert ticket_desk.user_of_extension(session, "2002") is None
    with db.tenant(other) as session:
        assert ticket_desk.user_of_extension(session, "2002") == member.id
    db.dispose()


def test_a_cli_test_call_is_a_dry_run_and_prints_labels(tmp_path: Path) -> None:
    """Issue 11 QA, items 1 and 3: `hotline call` stored a real pickup ticket and sent a real SMS (while no
    dispatch rule ran), and printed the hold music as its tone_stream dial string."""
    from hotline.platform.models import Notification, Ticket

    url = f"sqlite:///{tmp_path / 'dry.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    done = runner.invoke(main, ["tenant", "create", "acme", "--template", "express_delivery", "--did", "4008001234"],
                         env=env)
    assert done.exit_code == 0, done.output
    # 李晓燕 books a pickup at her registered address (2 寄件, 1 登记地址, 1 今天18点前), then asks for an agent.
    result = runner.invoke(main, ["call", "--did", "4008001234", "--caller", "13801234501", "--press", "2,1,1,0",
                                  "--agent", "1001", "--at", "2026-11-23T10:00+08:00"], env=env,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "ticket not stored (test call): pickup_order TEST-1" in result.output, result.output
    assert "SMS not sent (test call) to 13801234501" in result.output, result.output
    assert "tone_stream" not in result.output
    db = Database(url)
    with db.platform() as session:
        acme = get_tenant(session, "acme").id
    with db.tenant(acme) as session:
        assert session.scalars(select(Ticket)).all() == []
        assert session.scalars(select(Notification)).all() == []
        record = session.scalar(select(CallRecord))
        assert record is not None and record.test_call is True
    db.dispose()


def test_the_report_names_tones_and_music_not_dial_strings() -> None:
    from hotline.runtime.trial.report import heard

    assert heard("tone_stream://L=-1;%(400,100,523);%(400,100,659)") == "(hold music)"
    assert heard("local_stream://moh") == "(hold music)"
    assert heard("tone_stream://%(500,0,800)") == "(tone)"
    assert heard("您好，欢迎致电") == "您好，欢迎致电"


def test_a_cli_test_call_refuses_a_strangers_urge_as_a_real_call_does(tmp_path: Path) -> None:
    """Issue 11 QA, item 3: a caller who does not own the repair ticket heard "已为您催办…已通知维修师傅"
    from `hotline call`: the dry run's urge skipped the owner check. It must reach urge_refused."""
    from hotline.platform.services import tickets

    url = f"sqlite:///{tmp_path / 'urge.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    done = runner.invoke(main, ["tenant", "create", "pm", "--template", "property_management",
                                "--did", "4008007001"], env=env)
    assert done.exit_code == 0, done.output
    db = Database(url)
    with db.platform() as session:
        tenant = get_tenant(session, "pm").id
    with db.tenant(tenant) as session:
        number = tickets.create(session, "repair_request", {
            "phone": "13900001111", "address": "杭州市西湖区翠湖花园6幢1单元1101", "category": "door_window",
            "urgency": "normal", "technician": "王强", "technician_phone": "13757100001"}, "test",
            status="assigned").number
    stranger = runner.invoke(main, ["call", "--did", "4008007001", "--caller", "13800000000", "--press",
                                    f"2,{number}#,2,-", "--at", "2026-11-23T10:00+08:00"], env=env,
                             catch_exceptions=False)
    assert stranger.exit_code == 0, stranger.output
    assert "只有报修业主本人可以自助催办" in stranger.output, stranger.output
    assert "已为您催办" not in stranger.output
    owner = runner.invoke(main, ["call", "--did", "4008007001", "--caller", "13900001111", "--press",
                                 f"2,{number}#,2,-", "--at", "2026-11-23T10:00+08:00"], env=env,
                          catch_exceptions=False)
    assert "已为您催办，这是该工单第1次催办，已通知维修师傅尽快处理。" in owner.output, owner.output
    db.dispose()


def test_a_cli_test_call_reports_only_what_the_caller_entered(tmp_path: Path) -> None:
    """Issue 11 QA, item 4: every express call printed `set: pickup_time = '今天18:00前'` (the IVR's default),
    even a call that never reached the time-slot menu."""
    url = f"sqlite:///{tmp_path / 'entered.sqlite3'}"
    env = {"HOTLINE_DATABASE_URL": url, "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    assert runner.invoke(main, ["tenant", "create", "acme", "--template", "express_delivery", "--did",
                                "4008001234"], env=env).exit_code == 0
    result = runner.invoke(main, ["call", "--did", "4008001234", "--caller", "13801234501", "--press", "0",
                                  "--agent", "1001", "--at", "2026-11-23T10:00+08:00"], env=env,
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "pickup_time" not in result.output, result.output


def test_the_report_prints_no_empty_heard_lines() -> None:
    # QA of issue 11, item 12: the transcript printed "  heard: " for prompts with no text.
    from hotline.runtime.trial.report import TrialCallResult

    result = TrialCallResult(uuid="u", outcome="completed", path=["welcome"], prompts=["", "  ", "您好，欢迎致电"],
                             digits=[], variables={}, errors=[], bridges=[], hangup_cause="NORMAL_CLEARING",
                             ivr_version=1)
    assert [line for line in result.lines() if "heard:" in line] == ["  heard: 您好，欢迎致电"]
