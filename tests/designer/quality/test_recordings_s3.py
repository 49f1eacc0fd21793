"""Recordings in an S3-compatible bucket: the offload moves finished recordings of ended calls there (and only
those), the player's Range requests are answered from the bucket, a failed upload keeps the file, the retention
purge deletes in the bucket, and the settings refuse an S3 store without a bucket.

The bucket is moto's standalone S3 server on a loopback port: boto3 speaks the real S3 protocol to it over a
socket, as it would to MinIO (no S3 service runs on these machines).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from flask import Flask
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from hotline.cli import main
from hotline.designer import create_app
from hotline.platform.db import Database
from hotline.platform.models import AuditEntry, CallRecord, RecordingPolicy, Role
from hotline.platform.services import recording_stores, recordings
from hotline.platform.settings import Settings, SettingsError, load

from ..conftest import TEST_SECRET_KEY, World, make_user
from .helpers import add_call, tenant_id


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint: str) -> str:
    name = f"rec-{uuid.uuid4().hex[:12]}"
    _client(endpoint).create_bucket(Bucket=name)
    return name


def _client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test-secret-key")


def _settings(root: Path, endpoint: str, bucket: str) -> Settings:
    return load(overrides={"web_locale": "zh_CN", "web_secret_key": TEST_SECRET_KEY, "switch_recordings": str(root),
                           "recordings_store": "s3", "recordings_s3_endpoint": endpoint,
                           "recordings_s3_bucket": bucket, "recordings_s3_prefix": "hotline/",
                           "recordings_s3_access_key": "test", "recordings_s3_secret_key": "test-secret-key"})


@pytest.fixture
def app(db: Database, tmp_path: Path, endpoint: str, bucket: str) -> Flask:
    made = create_app(_settings(tmp_path, endpoint, bucket), db)
    made.config["HOTLINE_LIMITS_NAMESPACE"] = f"t{uuid.uuid4().hex[:12]}:"
    return made


def _old(path: Path) -> None:
    """As if the switch closed the file a minute ago (the offload leaves files it may still be writing)."""
    then = datetime.now(UTC).timestamp() - 60
    os.utime(path, (then, then))


def _keys(endpoint: str, bucket: str) -> list[str]:
    listed = _client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_finished_recording_moves_to_the_bucket_and_the_player_seeks_in_it(
        db: Database, world: World, tmp_path: Path, endpoint: str, bucket: str, api_as) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, tmp_path)
    local = tmp_path / call.recording
    data = local.read_bytes()
    _old(local)
    settings = _settings(tmp_path, endpoint, bucket)

    moved = recording_stores.offload(db, recording_stores.store_for(settings))

    assert moved == [call.recording]
    assert not local.exists()
    assert _keys(endpoint, bucket) == [f"hotline/{call.recording}"]
    qa = api_as(world.supervisor_a, world.tenant_a)
    url = f"/quality/calls/{call.uuid}/recording"
    whole = qa.client.get(url)
    assert whole.status_code == 200 and whole.data == data and whole.mimetype == "audio/wav"
    assert whole.headers["Accept-Ranges"] == "bytes"
    seek = qa.client.get(url, headers={"Range": "bytes=1000-1999"})
    assert seek.status_code == 206 and seek.data == data[1000:2000]
    assert seek.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    tail = qa.client.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    assert tail.status_code == 206 and tail.data == data[-10:]
    assert qa.client.get(url, headers={"Range": f"bytes={len(data) + 5}-"}).status_code == 416
    with db.tenant(tenant) as session:
        listens = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "recording.listen")).all()
    assert listens == [world.supervisor_a]  # the seeks are not new listens
    # the call page offers the player (the recording exists, in the bucket)
    page = qa.client.get(f"/quality/calls/{call.uuid}")
    assert page.status_code == 200 and "missing" not in page.get_data(as_text=True).split("<audio")[0][-200:]
    # another tenant cannot reach it, bucket or not
    other = api_as(make_user(db, {world.tenant_b: [Role.SUPERVISOR]}), world.tenant_b)
    assert other.client.get(url).status_code == 404


def test_recordings_of_calls_still_going_or_being_written_stay_in_the_switchs_folder(
        db: Database, world: World, tmp_path: Path, endpoint: str, bucket: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    ongoing = add_call(db, tenant, tmp_path)
    with db.tenant(tenant) as session:
        session.execute(CallRecord.__table__.update().where(CallRecord.uuid == ongoing.uuid).values(ended_at=None))
    _old(tmp_path / ongoing.recording)
    fresh = add_call(db, tenant, tmp_path)  # written just now: the switch may still be writing it
    stray = tmp_path / f"calls/{tenant}/2026-12-01/{uuid.uuid4().hex}.wav"  # no call record points at it
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"RIFF")
    _old(stray)

    moved = recording_stores.offload(db, recording_stores.store_for(_settings(tmp_path, endpoint, bucket)))

    assert moved == []
    assert (tmp_path / ongoing.recording).exists() and (tmp_path / fresh.recording).exists() and stray.exists()
    assert _keys(endpoint, bucket) == []
    # a recording not offloaded yet still plays from the folder
    store = recording_stores.store_for(_settings(tmp_path, endpoint, bucket))
    stored = store.open(fresh.recording)
    assert stored is not None and stored.path == (tmp_path / fresh.recording).resolve()


def test_a_failed_upload_keeps_the_file_for_the_next_run(db: Database, world: World, tmp_path: Path,
                                                         endpoint: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, tmp_path)
    _old(tmp_path / call.recording)
    missing_bucket = _settings(tmp_path, endpoint, f"absent-{uuid.uuid4().hex[:8]}")

    assert recording_stores.offload(db, recording_stores.store_for(missing_bucket)) == []
    assert (tmp_path / call.recording).exists()


def test_the_retention_purge_deletes_recordings_in_the_bucket(db: Database, world: World, tmp_path: Path,
                                                              endpoint: str, bucket: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    now = datetime.now(UTC)
    old = add_call(db, tenant, tmp_path, started=now - timedelta(days=40))
    young = add_call(db, tenant, tmp_path, started=now - timedelta(days=2))
    for call in (old, young):
        _old(tmp_path / call.recording)
    store = recording_stores.store_for(_settings(tmp_path, endpoint, bucket))
    assert len(recording_stores.offload(db, store)) == 2
    with db.tenant(tenant) as session:
        session.add(RecordingPolicy(queue="", mode="all", percent=100, retention_days=30))

    with db.tenant(tenant) as session:
        purged = recordings.purge(session, store, now)

    assert purged == [old.uuid]
    assert _keys(endpoint, bucket) == [f"hotline/{young.recording}"]
    with db.tenant(tenant) as session:
        assert session.scalar(select(CallRecord.recording).where(CallRecord.uuid == old.uuid)) is None


def test_an_s3_store_without_a_bucket_is_refused_naming_the_setting() -> None:
    with pytest.raises(SettingsError, match=r"recordings\.s3_bucket"):
        load(overrides={"recordings_store": "s3", "recordings_s3_bucket": ""})
    with pytest.raises(SettingsError, match=r"recordings\.store .*expected one of local, s3"):
        load(overrides={"recordings_store": "ftp"})


def test_hotline_recordings_offload_moves_them_by_hand_and_says_so_with_a_local_store(
        db: Database, world: World, tmp_path: Path, endpoint: str, bucket: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = add_call(db, tenant, tmp_path)
    env = {"HOTLINE_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "HOTLINE_SWITCH_RECORDINGS": str(tmp_path), "HOTLINE_RECORDINGS_STORE": "s3",
           "HOTLINE_RECORDINGS_S3_ENDPOINT": endpoint, "HOTLINE_RECORDINGS_S3_BUCKET": bucket,
           "HOTLINE_RECORDINGS_S3_ACCESS_KEY": "test", "HOTLINE_RECORDINGS_S3_SECRET_KEY": "test-secret-key"}

    moved = CliRunner().invoke(main, ["recordings", "offload", "--settle-seconds", "0"], env=env)
    local = CliRunner().invoke(main, ["recordings", "offload"], env={**env, "HOTLINE_RECORDINGS_STORE": "local"})

    assert moved.exit_code == 0, moved.output
    assert f"1 recording(s) moved to bucket {bucket}" in moved.output
    assert _keys(endpoint, bucket) == [call.recording]
    assert local.exit_code != 0 and 'store is "local"' in local.output
