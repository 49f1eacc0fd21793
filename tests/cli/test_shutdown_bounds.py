"""Shutdown is bounded (issue 11 QA, item 8): a stop step that blocks is left behind at the deadline, and the
backstop ends a process whose exit blocks (a non-daemon thread stuck forever)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from hotline.cli.shutdown import stop_all


def test_a_stuck_step_is_left_behind_at_the_deadline_and_the_next_still_runs() -> None:
    stuck = threading.Event()
    ran: list[str] = []
    started = time.monotonic()
    late = stop_all([("stuck", stuck.wait), ("fails", lambda: 1 / 0), ("web", lambda: ran.append("web"))], 1.0)
    took = time.monotonic() - started
    stuck.set()
    assert late == ["stuck", "fails"] and ran == ["web"]
    assert took < 2.0


def test_the_backstop_ends_a_process_whose_exit_blocks() -> None:
    script = ("import threading, time\n"
              "from hotline.cli.shutdown import exit_by\n"
              "threading.Thread(target=threading.Event().wait).start()  # non-daemon: exit would wait forever\n"
              "exit_by(1.0)\n")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert time.monotonic() - started < 10
    assert done.returncode == 1 and "shutdown took longer than 1 s" in done.stderr
