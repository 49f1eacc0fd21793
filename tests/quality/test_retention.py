"""Retention: `hotline recordings purge` deletes recordings older than the tenant's days, keeps the call
records (recording cleared), leaves younger recordings and other tenants alone, and audits the purge."""

from __future__ import annotations

import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from hotline.cli import main
from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, CallRecord, RecordingPolicy
from hotline.platform.services import recordings

from ..platform import factories


def _recorded(db: Database, tenant_id: int, root: Path, age: timedelta) -> str:
    started = datetime.now(UTC) - age
    with db.tenant(tenant_id) as session:
        call = CallRecord(uuid=f"c{started.timestamp():.6f}-{tenant_id}", did="400", caller="138",
                          started_at=started)
        call.recording = f"calls/{tenant_id}/{started:%Y-%m-%d}/{call.uuid}.wav"
        path = root / call.recording
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(8000)
            out.writeframes(b"\0\0" * 800)
        session.add(call)
        return call.uuid


def test_purge_deletes_only_recordings_past_the_tenants_retention(db: Database, frozen_clock: datetime,
                                                                  tmp_path: Path) -> None:
    with db.platform() as session:
        keeper, other = factories.tenant(session, "ret").id, factories.tenant(session, "ret").id
    with db.tenant(keeper) as session:
        session.add(RecordingPolicy(queue="", mode="all", percent=100, retention_days=30))
    old = _recorded(db, keeper, tmp_path, timedelta(days=30, minutes=1))
    young = _recorded(db, keeper, tmp_path, timedelta(days=29, hours=23))
    no_policy = _recorded(db, other, tmp_path, timedelta(days=400))

    result = CliRunner().invoke(main, ["recordings", "purge"], env={
        "HOTLINE_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "HOTLINE_SWITCH_RECORDINGS": str(tmp_path), "HOTLINE_ACTOR": "tester"})
    assert result.exit_code == 0, result.output

    with db.tenant(keeper) as session:
        calls = {c.uuid: c for c in session.scalars(select(CallRecord))}
        assert calls[old].recording is None and calls[old].recording_seconds is None
        assert calls[young].recording is not None and (tmp_path / calls[young].recording).is_file()
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "recording.purged"))
        assert entry is not None and entry.detail["calls"] == [old] and entry.detail["count"] == 1
    assert not list(tmp_path.glob(f"calls/{keeper}/*/{old}.wav"))
    with db.tenant(other) as session:
        assert session.scalar(select(CallRecord.recording).where(CallRecord.uuid == no_policy)) is not None
    # a second run finds nothing more
    with db.tenant(keeper) as session:
        assert recordings.purge(session, recordings.LocalStore(tmp_path), datetime.now(UTC)) == []
