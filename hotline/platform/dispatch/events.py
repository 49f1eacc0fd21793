"""From committed changes to RQ jobs: the dispatch sink on the database's notifier.

Services queue dispatch payloads on their session (services/ticket_events.py, services/callbacks.py);
after commit the notifier hands them to its sinks. `dispatch_sink(queues)` turns each into jobs:

* "dispatch.event" → `run_event` now (the tenant's published rules for the event), plus one
  `sla_alarm` job per SLA alarm the payload carries, at the alarm's time (RQ's scheduler);
* "dispatch.callback_timer" → `callback_due` at the task's due time.

`attach(database, queues)` subscribes the sink; whoever runs a process that changes tickets does it once
(the CLI context for `hotline serve`/`up`/`runtime`; job code does it per session, see jobs/dispatch_jobs).
An enqueue that fails (Redis down) is logged; the SLA sweep job catches up on alarms that were lost.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ..services.callbacks import TIMER_PAYLOAD
from ..services.ticket_events import PAYLOAD_TYPE, queue_dispatch_event

log = logging.getLogger("hotline.dispatch.events")

__all__ = ["PAYLOAD_TYPE", "TIMER_PAYLOAD", "attach", "dispatch_sink", "queue_dispatch_event"]


def dispatch_sink(queues: Any):  # -> notifier.Sink
    """A notifier sink enqueuing dispatch jobs on `queues` (a jobs.Queues)."""
    from ..jobs import dispatch_jobs

    def sink(payload: dict[str, Any]) -> None:
        kind = payload.get("type")
        if kind == PAYLOAD_TYPE:
            dispatch_jobs.enqueue_event(queues, payload)
            for alarm in payload.get("alarms") or ():
                dispatch_jobs.enqueue_alarm(queues, payload["tenant_id"], payload["ticket_id"], alarm)
        elif kind == TIMER_PAYLOAD:
            dispatch_jobs.enqueue_callback_due(queues, payload["tenant_id"], payload["task"],
                                               datetime.fromisoformat(payload["due_at"]))

    return sink


def attach(database: Any, queues: Any) -> None:
    """Subscribes the dispatch sink to the database's notifier (once per process and Database)."""
    database.notifier.subscribe(dispatch_sink(queues))
