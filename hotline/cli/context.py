"""What every command needs: settings, the database, and turning service errors into clean exits."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import click
from sqlalchemy.orm import Session

from ..platform import settings as settings_module
from ..platform.db import Database
from ..platform.notifier import redis_sink
from ..platform.redis_conn import RedisConnections, connect
from ..platform.services.errors import InvalidDocument, ServiceError
from ..platform.services.tenants import get_tenant
from ..platform.settings import Settings, SettingsError


class CliContext:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = Path(config_path) if config_path else None

    @cached_property
    def settings(self) -> Settings:
        try:
            return settings_module.load(self.config_path)
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None

    @cached_property
    def db(self) -> Database:
        """The database, with platform events (a publish) sent to Redis after commit, so that every
        runtime process drops what it cached — whichever command published."""
        database = Database(self.settings.database_url, self.settings.database_echo)
        database.use_secret_key(self.settings.web_secret_key)
        database.notifier.subscribe(redis_sink(self.redis.sync))
        # Ticket and call events run the dispatch rules in RQ jobs (and arm the SLA timers) after commit.
        from ..platform.dispatch.events import attach
        from ..platform.jobs import queues_for

        attach(database, queues_for(self.redis))
        # A published IVR's text prompts are rendered to audio by a job, before its first call.
        from ..platform.jobs.prompt_jobs import prompt_sink

        database.notifier.subscribe(prompt_sink(queues_for(self.redis)))
        return database

    @cached_property
    def redis(self) -> RedisConnections:
        return connect(self.settings.redis_url, self.settings.redis_required)

    @property
    def actor(self) -> str:
        return os.environ.get("HOTLINE_ACTOR") or f"cli:{getpass.getuser()}"

    @contextmanager
    def tenant_session(self, slug: str) -> Iterator[Session]:
        with self.db.platform() as session:
            tenant_id = get_tenant(session, slug).id
        with self.db.tenant(tenant_id) as session:
            yield session


@contextmanager
def user_errors() -> Iterator[None]:
    """Expected failures print their message (and findings) and exit 1, without a traceback."""
    try:
        yield
    except InvalidDocument as exc:
        click.echo(f"error: {exc.args[0]}", err=True)
        for finding in exc.findings:
            click.echo(str(finding))
        raise SystemExit(1) from None
    except (ServiceError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


async def until_stopped() -> None:
    """Waits for Ctrl-C or SIGTERM, so long-running commands stop cleanly (sockets closed, stats written)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
