#!/usr/bin/env python
"""Run: .venv/bin/python bench/embedded_worker_fork.py (needs Redis on 127.0.0.1:6379).

Reproduces `hotline up` stopping by itself: the embedded RQ worker's maintenance forks a scheduler process,
whose SIGTERM (sent by the worker at the end of its pass) lands on the parent's asyncio wakeup fd."""
import asyncio
import signal
import threading
import uuid
from datetime import UTC, datetime, timedelta

import redis

from hotline.platform.jobs.queues import Queues


async def main() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    queues = Queues(redis.Redis.from_url("redis://127.0.0.1:6379/0"), prefix=f"repro{uuid.uuid4().hex[:6]}:")
    worker = queues.worker_thread()

    def passes() -> None:
        worker.run_once()
        worker.worker.last_cleaned_at = datetime.now(UTC) - timedelta(hours=1)  # 10 minutes later
        worker.run_once()
    thread = threading.Thread(target=passes, daemon=True)
    thread.start()
    await asyncio.to_thread(thread.join, 20)
    await asyncio.sleep(1)
    process = getattr(worker.worker.scheduler, "_process", None)
    print("forked scheduler process:", process is not None, "| parent told to stop:", stop.is_set())

asyncio.run(main())
