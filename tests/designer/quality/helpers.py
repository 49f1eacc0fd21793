"""Data for the quality pages: call records with a real WAV under the recordings root, users, sheets."""

from __future__ import annotations

import uuid
import wave
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from hotline.designer import create_app
from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, CallRecord, User
from hotline.platform.services.tenants import get_tenant
from hotline.platform.settings import load
from tests.conftest import REDIS_URL

from ..conftest import TEST_SECRET_KEY


def quality_app(db: Database, root: Path) -> Flask:
    made = create_app(load(overrides={"web_locale": "zh_CN", "web_secret_key": TEST_SECRET_KEY,
                                      "switch_recordings": str(root)}), db)
    made.config["HOTLINE_LIMITS_NAMESPACE"] = f"t{uuid.uuid4().hex[:12]}:"
    return made


def acd_app(db: Database, prefix: str, **settings: object) -> Flask:
    """The app as the desk's call endpoints see it: ACD presence in Redis under `prefix`, the switch's Event Socket
    as `settings` say (esl_host, esl_port …), its own rate-limit namespace."""
    made = create_app(load(overrides={"web_locale": "zh_CN", "web_secret_key": TEST_SECRET_KEY,
                                      "redis_url": REDIS_URL, **settings}), db)
    made.config.update(HOTLINE_LIMITS_NAMESPACE=f"t{uuid.uuid4().hex[:12]}:", HOTLINE_ACD_PREFIX=prefix)
    return made


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id


def user_id(db: Database, username: str) -> int:
    with db.platform() as session:
        return session.query(User).filter_by(username=username).one().id


def listens(db: Database, tenant: int, call_uuid: str) -> list[str]:
    """Who listened to a call's recording, one entry per audited listen (the audit log is the record of it)."""
    with db.tenant(tenant) as session:
        return list(session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "recording.listen",
                                                                   AuditEntry.object_id == call_uuid)))


def write_wav(path: Path, seconds: float = 2.0) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(range(256)) * int(seconds * 8000 * 4 / 256))
    return path.read_bytes()


def add_call(db: Database, tenant: int, root: Path | None, *, agent_id: int | None = None,
             started: datetime | None = None, file: bool = True, queue: str = "general",
             talk: float = 60.0, survey: int | None = None) -> CallRecord:
    """A finished, answered call; with `root`, its recording (a file unless file=False: the switch lost it)."""
    call_uuid = uuid.uuid4().hex
    started = started or datetime.now(UTC)
    relative = f"calls/{tenant}/{started:%Y-%m-%d}/{call_uuid}.wav" if root is not None else None
    if root is not None and file:
        write_wav(root / relative)
    events = [{"type": "survey", "variable": "satisfaction", "score": survey}] if survey is not None else []
    with db.tenant(tenant) as session:
        call = CallRecord(uuid=call_uuid, did="4008000000", caller="13800000000", started_at=started,
                          answered_at=started, ended_at=started, agent_id=agent_id, queue=queue,
                          talk_seconds=talk, recording=relative, recording_seconds=2.0 if relative else None,
                          trace={"events": events})
        session.add(call)
        session.flush()
        session.expunge(call)
    return call
