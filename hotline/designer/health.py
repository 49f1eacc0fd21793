"""`/healthz`: whether this web process can serve, for the load balancer (JSON; 200 or 503).

`/api/health` answers "the process is alive"; this one asks what a request needs: the database answers a
`SELECT 1` and Redis a `PING` (the desk, the wallboard and the job queues live there). A load balancer
takes a process whose database or Redis is gone out of rotation instead of sending it requests that fail.
Each check is bounded (the Redis client's own timeouts, a one-second PostgreSQL statement timeout), so a
hung dependency makes the check fail quickly instead of piling up probes. Public and cheap: no session,
no tenant data, nothing about the configuration beyond what is up.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        extra = check() or {}
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **extra}
    except Exception as exc:  # any failure is "not ready": say what kind, not the connection string
        return {"ok": False, "error": type(exc).__name__}


def _database() -> dict[str, Any]:
    db = current_app.extensions["hotline.db"]
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":
            connection.execute(text("SET LOCAL statement_timeout = 1000"))
        connection.execute(text("SELECT 1"))
    return {"dialect": db.dialect}


def _redis() -> dict[str, Any]:
    from .redis_access import redis_connections

    connections = redis_connections()
    connections.sync.ping()
    return {"embedded": connections.embedded}


def blueprint() -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> ResponseReturnValue:
        checks = {"database": _timed(_database), "redis": _timed(_redis)}
        ready = all(c["ok"] for c in checks.values())
        return jsonify(status="ok" if ready else "unavailable", **checks), 200 if ready else 503

    return bp
