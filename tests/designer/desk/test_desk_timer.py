"""The desk's presence timer (desk/static/desk/timer.js), run in node: a wrap-up counts down from the server's
wrap_up_left without a sign and never below 0:00, whatever the browser clock's skew (issue 11 QA, item 5: the
timer showed -0:03)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

TIMER = Path(__file__).resolve().parents[3] / "hotline" / "designer" / "desk" / "static" / "desk" / "timer.js"


def _timer(presence: dict, received_at: float, now: float, offset: float) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (it builds the front end)")
    script = (f"const t = require({json.dumps(str(TIMER))});"
              f"console.log(JSON.stringify(t.presenceTimer({json.dumps(presence)}, {received_at}, {now}, {offset})));")
    return json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)


def test_a_wrap_up_counts_down_without_a_sign_and_stops_at_zero() -> None:
    wrap = {"state": "wrap_up", "since": 1000.0, "wrap_up_left": 30.0, "wrap_until": 1030.0, "server_time": 1000.0}
    # The browser's clock is 40 s behind the server's: the old code counted to wrap_until from a skewed origin.
    assert _timer(wrap, 500.0, 500.0, 0.0) == {"text": "0:30", "countdown": True}
    assert _timer(wrap, 500.0, 527.2, 0.0) == {"text": "0:03", "countdown": True}
    assert _timer(wrap, 500.0, 545.0, 0.0) == {"text": "0:00", "countdown": False}  # over: 0:00, never -0:15


def test_other_states_count_up_from_their_start_on_the_servers_clock() -> None:
    busy = {"state": "available", "since": 1000.0, "wrap_up_left": None, "server_time": 1065.0}
    assert _timer(busy, 500.0, 565.0, 500.0) == {"text": "1:05", "countdown": False}
    assert _timer(busy, 500.0, 400.0, 500.0) == {"text": "0:00", "countdown": False}  # a start "in the future"
