"""What a job runs against, built in the worker process from settings and cached per process.

A job is a function name plus plain arguments (ids) pickled into Redis; it may run in another process or
on another machine, so it must not capture a `Database` (an engine with a connection pool). Instead it
calls `job_context()`, which loads the settings (config.toml, HOTLINE_* environment variables override
it: HOTLINE_DATABASE_URL in particular) and returns one `Database` per database URL for the life of the
process, so a worker does not build a new engine and pool per job.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from .. import secret_key
from .. import settings as settings_module
from ..db import Database


@dataclass(frozen=True)
class JobContext:
    settings: settings_module.Settings
    db: Database


_lock = threading.Lock()
_settings: dict[tuple[tuple[str, str], ...], settings_module.Settings] = {}
_databases: dict[str, Database] = {}


def job_context() -> JobContext:
    """Settings and the Database for the current HOTLINE_* environment (cached per process)."""
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("HOTLINE_")))
    with _lock:
        settings = _settings.get(key)
        if settings is None:
            settings = _settings[key] = settings_module.load()
        db = _databases.get(settings.database_url)
        if db is None:
            db = _databases[settings.database_url] = Database(settings.database_url, echo=settings.database_echo)
            db.use_secret_key(secret_key.for_sealing(settings))
    return JobContext(settings=settings, db=db)


def reset_job_context() -> None:
    """Disposes the cached engines (tests, or a worker told to reload its settings)."""
    with _lock:
        for db in _databases.values():
            db.dispose()
        _databases.clear()
        _settings.clear()
