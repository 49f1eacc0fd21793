"""Is a job worker alive? The designer warns when none is: published dispatch rules (and notifications, SLA
timers) would never run, silently (issue 16). The answer carries its sentence in the reader's language, so
the React designer and the server-drawn studio index show the same words."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError

from ...platform.jobs.liveness import alive_workers
from ..auth import login_required, require_user
from ..i18n import current_locale, translate
from ..redis_access import job_queues

log = logging.getLogger(__name__)

NO_WORKER = ("No job worker is running: published dispatch rules, notifications and SLA timers will not run. "
             "Start one with `hotline worker` (`hotline up` runs one itself).")
UNREACHABLE = "The job queue (Redis) cannot be reached: published dispatch rules will not run."
STRINGS = {
    NO_WORKER: {"zh_CN": "没有正在运行的后台任务进程：已发布的派单规则、通知和时限提醒都不会执行。"
                         "请运行 `hotline worker` 启动（`hotline up` 会自带一个）。"},
    UNREACHABLE: {"zh_CN": "无法连接任务队列（Redis）：已发布的派单规则不会执行。"},
}


def job_health() -> dict[str, Any]:
    """{"alive": bool, "workers": n, "message": sentence or None} for the app's queues."""
    try:
        workers = alive_workers(job_queues())
    except RedisError:
        log.warning("job queue unreachable while checking for workers", exc_info=True)
        return {"alive": False, "workers": 0, "message": translate(UNREACHABLE, current_locale())}
    alive = bool(workers)
    return {"alive": alive, "workers": len(workers),
            "message": None if alive else translate(NO_WORKER, current_locale())}


def register(bp: Blueprint) -> None:
    @bp.get("/studio/jobs")
    @login_required
    def jobs() -> ResponseReturnValue:
        require_user()
        return jsonify(job_health())
