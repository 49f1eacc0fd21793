"""The RQ queues of a Redis connection, and the in-process worker for the embedded stand-in.

With a real Redis, jobs are run by `rq worker` processes (with `--with-scheduler`, RQ's own scheduler,
which also re-enqueues retries that have an interval). With the embedded fakeredis stand-in there is no
other process that could see the data, so `WorkerThread` runs one in this process: a `SimpleWorker`
subclass (no fork — a forked child would work on its own copy of the fake data) that installs no signal
handlers (only the main thread may) and times jobs out with `TimerDeathPenalty` (SIGALRM is main-thread
only too), looping `work(burst=True, with_scheduler=True)` so scheduled retries are picked up (RQ's
scheduling granularity is 1 s). It is started and stopped explicitly by whoever runs the process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from rq import Queue, SimpleWorker
from rq.group import Group
from rq.timeouts import TimerDeathPenalty

from ..redis_conn import RedisConnections

log = logging.getLogger("hotline.jobs")

#: Queue names, without the deployment's prefix. Workers listen on all of them, in this order.
QUEUE_NAMES = ("notifications", "default")
DEFAULT_JOB_TIMEOUT = 60


@dataclass
class Queues:
    """The named queues on one Redis; `prefix` separates deployments (and tests) sharing a server."""

    connection: Any
    embedded: bool = False
    prefix: str = ""
    by_name: dict[str, Queue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in QUEUE_NAMES:
            self.by_name.setdefault(name, Queue(self.prefix + name, connection=self.connection,
                                                default_timeout=DEFAULT_JOB_TIMEOUT))

    def __getitem__(self, name: str) -> Queue:
        return self.by_name[name]

    @property
    def notifications(self) -> Queue:
        return self.by_name["notifications"]

    @property
    def default(self) -> Queue:
        return self.by_name["default"]

    def all(self) -> list[Queue]:
        return [self.by_name[name] for name in QUEUE_NAMES]

    def worker_thread(self, poll_interval: float = 0.5) -> WorkerThread:
        """An in-process worker on these queues (not started)."""
        return WorkerThread(self, poll_interval=poll_interval)


def queues_for(connections: RedisConnections, prefix: str = "") -> Queues:
    return Queues(connections.sync, embedded=connections.embedded, prefix=prefix)


class EmbeddedWorker(SimpleWorker):
    """A SimpleWorker that can run in a thread: no signal handlers, timer-based job timeouts, no pub/sub.

    The pub/sub subscription only serves `rq` CLI commands (shutdown, stop-job) aimed at a worker process;
    in-process it would cost a listener thread per `work()` call.
    """

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        pass

    def run_maintenance_tasks(self) -> None:
        """RQ's maintenance, less the scheduler restart: RQ's (`scheduler.acquire_locks(auto_start=True)`)
        forks a scheduler *process* from this threaded one, and kills it with SIGTERM when the pass ends. The
        fork inherits the parent's signal wakeup fd (asyncio's self-pipe of `hotline up`), so the child's SIGTERM
        reached the parent's loop as its own and the whole stack shut down, ten minutes after the first pass
        and every ten minutes after (QA of issue 11, item 9: "hotline up exited twice, unexplained"). Each
        burst pass moves due scheduled jobs itself (`work(burst=True, with_scheduler=True)`), so no process
        is needed."""
        self.clean_registries()
        Group.clean_registries(connection=self.connection)

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


class WorkerThread:
    """Runs jobs of `queues` in a daemon thread until `stop()`."""

    def __init__(self, queues: Queues, poll_interval: float = 0.5, logging_level: str = "WARNING") -> None:
        self.queues = queues
        self.poll_interval = poll_interval
        self.logging_level = logging_level
        self.worker = EmbeddedWorker(queues.all(), connection=queues.connection)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="hotline-rq-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finishes the job in hand (if any) and stops."""
        self._stop.set()
        self.worker._stop_requested = True  # RQ's own flag: leave the burst after the current job
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("the RQ worker thread did not stop within %g s", timeout)
            self._thread = None

    def run_once(self) -> bool:
        """One pass: moves due scheduled jobs onto their queues, then runs every job waiting. True if any ran."""
        self.worker._stop_requested = self._stop.is_set()
        return self.worker.work(burst=True, with_scheduler=True, logging_level=self.logging_level)

    def _run(self) -> None:
        from .liveness import beat, forget  # liveness imports this module

        while not self._stop.is_set():
            try:
                beat(self.queues, self.worker.name)  # the designer warns when no worker is alive
                worked = self.run_once()
            except Exception:  # keep the thread alive: a broken pass is logged and retried
                log.exception("RQ worker pass failed")
                worked = False
            if not worked:
                self._stop.wait(self.poll_interval)
        try:
            forget(self.queues, self.worker.name)
        except Exception:  # the connection may be gone at shutdown; the key expires anyway
            log.debug("could not clear the worker heartbeat", exc_info=True)
