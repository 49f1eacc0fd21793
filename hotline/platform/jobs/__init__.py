"""Background jobs on RQ 2.x (see docs/decisions.md "Jobs: RQ 2.x").

* `queues.py` — the named queues of a Redis connection, and the in-process worker thread used when that
  connection is the embedded fakeredis stand-in. In production workers are ordinary `rq worker` processes
  (`rq worker --with-scheduler --url $HOTLINE_REDIS_URL notifications default`).
* `context.py` — `job_context()`: what a job runs against (the Database), built in the worker process from
  settings (HOTLINE_DATABASE_URL / config.toml) and cached per process. Jobs take plain ids and never
  capture a Database or a session: they are pickled into Redis and run in another process.
* one module of job functions per area: `notifications.py`.
"""

from .context import JobContext, job_context, reset_job_context
from .queues import QUEUE_NAMES, EmbeddedWorker, Queues, WorkerThread, queues_for

__all__ = ["QUEUE_NAMES", "EmbeddedWorker", "JobContext", "Queues", "WorkerThread", "job_context", "queues_for",
           "reset_job_context"]
