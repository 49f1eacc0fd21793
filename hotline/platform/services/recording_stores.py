"""Where call recordings live: the folder shared with the switch, and optionally an S3-compatible bucket.

FreeSWITCH can only write a recording to a file. With `[recordings] store = "local"` that folder (NFS or the same
machine) is the storage: the web app serves and deletes there. With `store = "s3"` the folder is only where the
switch writes: the offload job (`offload`, run every minute by the job worker and by `hotline recordings offload`)
copies each finished recording of an ended call into the bucket under the same relative path, checks the
bucket's size, then removes the local copy. Reading looks in the bucket first and falls back to the folder (a
recording not offloaded yet still plays); deleting removes both. A call record keeps the relative path
(`calls/<tenant>/<date>/<uuid>.wav`) whichever store holds the bytes, so switching stores needs no migration.

The web app proxies the bucket (ranged GETs through a buffered, seekable reader) rather than redirecting the
browser to a presigned URL: every listen stays audited by our endpoint, the bucket need not be reachable from
agents' browsers, and the page's content-security policy needs no outside origin.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import select

from ..models import CallRecord

log = logging.getLogger(__name__)

#: Bytes fetched from the bucket per ranged GET while streaming (the player asks for small ranges; 1 MiB keeps
#: the number of requests per listen low without holding much in memory).
READ_CHUNK = 1024 * 1024
#: A local file changed more recently than this may still be written by the switch: not offloaded yet.
SETTLE_SECONDS = 30.0
#: Files one offload run moves; the next run goes on (a backlog cannot hold the job for hours).
OFFLOAD_BATCH = 500


@dataclass(frozen=True)
class StoredRecording:
    """One recording's bytes: a local file (`path`) or a seekable stream (`stream`) of `size` bytes."""

    size: int
    path: Path | None = None
    stream: BinaryIO | None = None


class RecordingStore(Protocol):
    """What the web app, the retention purge and QA sampling need of a store."""

    def exists(self, relative: str) -> bool: ...

    def open(self, relative: str) -> StoredRecording | None: ...

    def delete(self, relative: str) -> bool: ...


@dataclass(frozen=True)
class LocalStore:
    """A folder shared with the switch (NFS or the same machine)."""

    root: Path

    def open_path(self, relative: str) -> Path | None:
        """The file of a stored path, or None when it is missing (the switch failed to write it, or it was
        shorter than the switch keeps) or would lie outside the root."""
        root = self.root.resolve()
        try:
            path = (root / relative).resolve()
        except (OSError, ValueError):
            return None
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    def exists(self, relative: str) -> bool:
        return self.open_path(relative) is not None

    def open(self, relative: str) -> StoredRecording | None:
        path = self.open_path(relative)
        return None if path is None else StoredRecording(size=path.stat().st_size, path=path)

    def delete(self, relative: str) -> bool:
        path = self.open_path(relative)
        if path is None:
            return False
        path.unlink(missing_ok=True)
        return True

    def files(self) -> Iterator[tuple[str, Path]]:
        """Every recording under calls/ as (relative path, file), oldest folders first."""
        root = self.root.resolve()
        calls = root / "calls"
        if not calls.is_dir():
            return
        for path in sorted(calls.glob("*/*/*.wav")):
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


class _RangedObject(io.RawIOBase):
    """A bucket object read by ranged GETs: seekable, so werkzeug can answer the player's Range requests."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        self._client, self._bucket, self._key, self._size = client, bucket, key, size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size or len(buffer) == 0:
            return 0
        end = min(self._size, self._pos + len(buffer)) - 1
        body = self._client.get_object(Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-{end}")["Body"]
        data = body.read()
        body.close()
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)


@dataclass
class S3Store:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode), keys = prefix + relative path."""

    client: Any
    bucket: str
    prefix: str = ""

    def key(self, relative: str) -> str:
        return f"{self.prefix}{relative}"

    def _size(self, relative: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(relative))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    def exists(self, relative: str) -> bool:
        return self._size(relative) is not None

    def open(self, relative: str) -> StoredRecording | None:
        size = self._size(relative)
        if size is None:
            return None
        raw = _RangedObject(self.client, self.bucket, self.key(relative), size)
        return StoredRecording(size=size, stream=io.BufferedReader(raw, buffer_size=READ_CHUNK))

    def delete(self, relative: str) -> bool:
        if not self.exists(relative):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self.key(relative))
        return True

    def put(self, relative: str, path: Path) -> int:
        """Uploads a file; returns the size the bucket reports (the caller compares it with the file's)."""
        self.client.upload_file(str(path), self.bucket, self.key(relative),
                                ExtraArgs={"ContentType": "audio/wav"})
        return self._size(relative) or 0


@dataclass
class OffloadingStore:
    """The switch's folder in front of a bucket: reads prefer the bucket, deletes clear both."""

    local: LocalStore
    remote: S3Store

    def exists(self, relative: str) -> bool:
        return self.remote.exists(relative) or self.local.exists(relative)

    def open(self, relative: str) -> StoredRecording | None:
        return self.remote.open(relative) or self.local.open(relative)

    def delete(self, relative: str) -> bool:
        gone_remote = self.remote.delete(relative)
        gone_local = self.local.delete(relative)
        return gone_remote or gone_local


def offload(db: Any, store: RecordingStore, now: float | None = None, *, settle_seconds: float = SETTLE_SECONDS,
            batch: int = OFFLOAD_BATCH) -> list[str]:
    """Moves finished recordings from the switch's folder into the bucket; returns the relative paths moved.

    A file moves when it has not changed for `settle_seconds` and its call record (in the tenant its path names)
    has ended and points at it; a file of a call still going, or of no call we know, stays where it is. The
    local copy is removed only after the bucket reports the same size, so a failed upload loses nothing and the
    next run tries again. Nothing happens with a local-only store.
    """
    if not isinstance(store, OffloadingStore):
        return []
    now = time.time() if now is None else now
    settled: dict[int, dict[str, tuple[Path, int]]] = {}  # tenant → relative path → (file, size)
    found = 0
    for relative, path in store.local.files():
        if found >= batch:
            break
        try:
            stat = path.stat()
        except OSError:
            continue
        tenant = relative.split("/")[1]
        if now - stat.st_mtime >= settle_seconds and tenant.isdigit():
            settled.setdefault(int(tenant), {})[relative] = (path, stat.st_size)
            found += 1
    moved: list[str] = []
    for tenant_id, files in settled.items():
        with db.tenant(tenant_id) as session:  # one session per tenant, not per file
            ended = {row.recording for row in session.execute(
                select(CallRecord.recording).where(CallRecord.recording.in_(list(files)),
                                                   CallRecord.ended_at.is_not(None)))}
        for relative in sorted(ended):
            path, size = files[relative]
            try:
                stored = store.remote.put(relative, path)
            except Exception:
                log.exception("offloading recording %s failed; it stays in the switch's folder", relative)
                continue
            if stored != size:
                log.error("the bucket holds %s bytes of %s, the file %s: kept locally", stored, relative, size)
                continue
            path.unlink(missing_ok=True)
            moved.append(relative)
    return moved


def store_for(settings: Any) -> RecordingStore:
    """The store the settings name: the switch's folder alone, or that folder in front of a bucket."""
    local = LocalStore(Path(settings.switch_recordings))
    if settings.recordings_store != "s3":
        return local
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3", endpoint_url=settings.recordings_s3_endpoint or None, region_name=settings.recordings_s3_region,
        aws_access_key_id=settings.recordings_s3_access_key or None,
        aws_secret_access_key=settings.recordings_s3_secret_key or None,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3},
                      s3={"addressing_style": settings.recordings_s3_addressing}))
    return OffloadingStore(local, S3Store(client, settings.recordings_s3_bucket, settings.recordings_s3_prefix))
