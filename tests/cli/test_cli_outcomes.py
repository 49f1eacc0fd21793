"""Clear outcomes instead of tracebacks: a test call that waits in a queue with no agent ends the way the queue
says; a port already in use is one line naming the port and the setting to change."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli import main
from hotline.cli.stack import start_job_worker
from hotline.platform.jobs import queues_for
from hotline.platform.redis_conn import connect
from hotline.platform.services.templates import TEMPLATES_DIR
from hotline.runtime.trial.report import FLOW_MARGIN_SECONDS, longest_queue_wait
from tests.conftest import REDIS_URL

EXPRESS_IVR = TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json"


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_the_longest_queue_wait_follows_the_overflow_chain() -> None:
    body = json.loads(EXPRESS_IVR.read_text(encoding="utf-8"))
    # vip_queue waits 60 s and overflows to agent_queue (120 s), the longest chain of the template.
    assert longest_queue_wait(body) == 180
    assert longest_queue_wait({"nodes": {"a": {"type": "queue", "overflow": "a"}}}) == 120  # a loop counts once
    assert longest_queue_wait(None) == 0


@pytest.mark.redis
@pytest.mark.slow
def test_a_call_to_a_queue_with_no_agent_ends_by_the_queues_time_out_with_a_clear_outcome(tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}", "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()
    assert runner.invoke(main, ["init-db"], env=env).exit_code == 0
    assert runner.invoke(main, ["tenant", "create", "acme", "--template", "express_delivery", "--did", "4008001234"],
                         env=env).exit_code == 0
    body = json.loads(EXPRESS_IVR.read_text(encoding="utf-8"))
    body["nodes"]["agent_queue"]["timeout_seconds"] = 5  # the menu's 0 goes here
    (tmp_path / "main.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    published = runner.invoke(main, ["publish", "acme", "ivr", "main", "--file", str(tmp_path / "main.json")], env=env)
    assert published.exit_code == 0, published.output
    result = runner.invoke(main, ["call", "--did", "4008001234", "--press", "0", "--at", "2026-11-23T10:00+08:00"],
                           env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"at most {int(longest_queue_wait(body) + FLOW_MARGIN_SECONDS)} s" in result.output
    assert "queue general: timeout after 5 s, no agent answered" in result.output
    assert "→ main_menu → agent_queue → busy_callback" in result.output, result.output


def test_a_runtime_port_in_use_is_one_clear_line(taken_port: int, tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0",
           "HOTLINE_RUNTIME_SOCKET_PORT": str(taken_port)}
    result = CliRunner().invoke(main, ["runtime"], env=env)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert f"port {taken_port} on 127.0.0.1 is already in use" in lines[0]
    assert "[runtime] socket_port" in lines[0] and "HOTLINE_RUNTIME_SOCKET_PORT" in lines[0]


def test_up_with_the_esl_port_in_use_is_one_clear_line(taken_port: int, tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        web, runtime_port = free.getsockname()[1], None
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        runtime_port = free.getsockname()[1]
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'u.sqlite3'}", "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0",
           "HOTLINE_WEB_PORT": str(web), "HOTLINE_RUNTIME_SOCKET_PORT": str(runtime_port),
           "HOTLINE_ESL_PORT": str(taken_port)}
    result = CliRunner().invoke(main, ["up"], env=env)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert f"port {taken_port} on 127.0.0.1 is already in use" in last
    assert "[esl] port" in last and "HOTLINE_ESL_PORT" in last


def test_up_with_the_web_port_in_use_is_one_clear_line(taken_port: int, tmp_path: Path) -> None:
    """Werkzeug printed its own two lines and exited, naming no setting (QA of issue 11)."""
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}", "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0",
           "HOTLINE_WEB_PORT": str(taken_port)}
    result = CliRunner().invoke(main, ["up"], env=env)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if "in use" in line]
    assert len(lines) == 1, result.output
    assert f"port {taken_port} on 127.0.0.1 is already in use" in lines[0]
    assert "[web] port" in lines[0] and "HOTLINE_WEB_PORT" in lines[0]


@pytest.mark.redis
def test_the_demo_runs_a_job_worker_even_when_a_real_redis_answers() -> None:
    connections = connect(REDIS_URL, False)
    assert not connections.embedded
    worker = start_job_worker(queues_for(connections, prefix="t-up-worker:"))
    try:
        assert worker.running
    finally:
        worker.stop()


def test_the_simulator_on_an_esl_port_in_use_is_one_clear_line(taken_port: int, tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}", "HOTLINE_REDIS_URL": "redis://127.0.0.1:1/0",
           "HOTLINE_ESL_PORT": str(taken_port)}
    result = CliRunner().invoke(main, ["simswitch"], env=env)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {taken_port} on 127.0.0.1 is already in use" in lines[0], result.output
    assert "[esl] port" in lines[0]
