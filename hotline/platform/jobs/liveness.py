"""Whether any job worker is alive on a deployment's queues.

Published dispatch rules, notifications and SLA timers only run in a worker; with none alive they silently
never run (issue 16: `hotline up` on a reachable Redis started none, and the designer said nothing). Two
kinds of worker count: `rq worker` processes (`hotline worker`), which RQ registers with a heartbeat that
expires (`Worker.all` drops a dead one), and the in-process `WorkerThread`, which registers only during a
pass, so it keeps a heartbeat key of its own here (`beat`), expiring HEARTBEAT_SECONDS after its last loop.
"""

from __future__ import annotations

from rq import Worker

from .queues import Queues

#: Key (after the deployment's prefix) of an in-process worker's heartbeat, followed by the worker's name.
HEARTBEAT_KEY = "hotline:worker-heartbeat:"
#: A thread loops every poll interval (0.5 s); a key this old means its process is gone or stuck.
HEARTBEAT_SECONDS = 30


def beat(queues: Queues, name: str) -> None:
    """An in-process worker is alive (called from its loop)."""
    queues.connection.set(queues.prefix + HEARTBEAT_KEY + name, "1", ex=HEARTBEAT_SECONDS)


def forget(queues: Queues, name: str) -> None:
    """An in-process worker stopped on purpose: no need to wait for its heartbeat to expire."""
    queues.connection.delete(queues.prefix + HEARTBEAT_KEY + name)


def alive_workers(queues: Queues) -> list[str]:
    """Names of the workers alive on these queues (RQ-registered processes and in-process threads)."""
    names: set[str] = set()
    for queue in queues.all():
        names.update(worker.name for worker in Worker.all(queue=queue))
    pattern = queues.prefix + HEARTBEAT_KEY + "*"
    for key in queues.connection.scan_iter(match=pattern, count=100):
        text = key.decode() if isinstance(key, bytes) else str(key)
        names.add(text[len(queues.prefix + HEARTBEAT_KEY):])
    return sorted(names)
