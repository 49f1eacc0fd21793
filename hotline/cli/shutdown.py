"""Bounded shutdown for the long-running commands (`hotline up`): every part gets its share of a deadline.

`hotline up` once hung at shutdown (issue 11 QA, item 8): the web server, the runtime and the job worker each
stopped in turn without a limit, so one part stuck in a blocking call (a job waiting on a gateway, a thread
in a database lock) held the whole process, and a second Ctrl-C did nothing because the first one's handler
was still installed. Now:

* after the first SIGINT/SIGTERM the default handlers come back (`restore_default_signals`), so a second one
  ends the process at once;
* `stop_all` runs each stop step in its own daemon thread and waits for it at most until the deadline; a
  step that overruns is named in the log and left behind;
* `exit_by` is the backstop: a daemon timer that ends the process (exit status 1) if the interpreter's own
  exit (atexit hooks that join worker threads) has not finished by the deadline.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

#: Seconds `hotline up` may take from the signal to its exit.
SHUTDOWN_SECONDS = 8.0


def restore_default_signals() -> None:
    """SIGINT and SIGTERM act at once again (a second Ctrl-C during a slow shutdown ends the process)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_all(steps: Sequence[tuple[str, Callable[[], object]]], seconds: float) -> list[str]:
    """Runs the steps in order, each in a daemon thread, all within `seconds`; returns the ones that overran
    (or raised), which are logged. The steps are independent: one stuck does not stop the next from running."""
    deadline = time.monotonic() + seconds
    late: list[str] = []
    for name, step in steps:
        failed: list[BaseException] = []

        def run(step: Callable[[], object] = step, failed: list[BaseException] = failed) -> None:
            try:
                step()
            except BaseException as exc:  # reported below; a stop step must not take the others down
                failed.append(exc)

        thread = threading.Thread(target=run, name=f"stop-{name}", daemon=True)
        thread.start()
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("shutdown: %s did not stop within %.0f s; leaving it behind", name, seconds)
            late.append(name)
        elif failed:
            log.warning("shutdown: stopping %s failed: %s", name, failed[0])
            late.append(name)
    return late


def exit_by(seconds: float) -> threading.Timer:
    """Ends the process (status 1) `seconds` from now unless it has exited by then."""
    def force() -> None:
        print(f"hotline: shutdown took longer than {seconds:.0f} s; exiting", file=sys.stderr, flush=True)
        os._exit(1)

    timer = threading.Timer(seconds, force)
    timer.daemon = True
    timer.start()
    return timer
