"""Recording one call's conversation with agents, by the tenant's and the queue's policy (issue 15).

Before the first bridge to an agent the runtime decides once per call whether to record (policy of the
queue, else of the tenant: all, a percentage, on demand, never; no policy = never). To record it sets
`RECORD_STEREO=true` (caller left, agent right) and `RECORD_BRIDGE_REQ=true` (audio only while bridged, so
agents' ringing is not in the file), then runs `record_session <path>`, which returns at once. After the
answered bridge ends, `stop_record_session <path>` closes the file; a caller hanging up mid-conversation
closes it with the hangup. Either way FreeSWITCH sets `record_ms` and fires RECORD_STOP, and the call
record gets the path (relative to the recordings root) and the seconds.

The path is `<[switch] recordings>/calls/<tenant id>/<YYYY-MM-DD>/<call uuid>.wav` (UTC date of the call):
one folder per tenant, so retention and a tenant's deletion are folder operations, and nothing a caller
or tenant typed is part of a path.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ...platform.db import Database
from ...platform.models import RecordingPolicy
from ..esl.outbound import SessionGone

log = logging.getLogger("hotline.runtime.recording")
#: How long the call record waits for RECORD_STOP after a hangup closed the recording.
STOP_WAIT_SECONDS = 1.0


def sampled(call_uuid: str, percent: int) -> bool:
    """Whether a call falls into a `percent` sample: stable per call (any runtime process decides alike)."""
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    return int(hashlib.sha256(call_uuid.encode()).hexdigest()[:8], 16) % 100 < percent


def decide(policies: Mapping[str, tuple[str, int]], queue: str, call_uuid: str) -> str | None:
    """"record", "on_demand" (the desk may start it) or None, from the queue's policy, else the tenant's."""
    mode, percent = policies.get(queue) or policies.get("") or ("never", 0)
    if mode == "all" or (mode == "percent" and sampled(call_uuid, percent)):
        return "record"
    return "on_demand" if mode == "on_demand" else None


def wants_recording(policies: Mapping[str, tuple[str, int]], queue: str, call_uuid: str) -> bool:
    """Whether the runtime itself records the call (all, or the call fell into the percentage)."""
    return decide(policies, queue, call_uuid) == "record"


def relative_path(tenant_id: int, day: datetime, call_uuid: str) -> str:
    return f"calls/{tenant_id}/{day:%Y-%m-%d}/{call_uuid}.wav"


class CallRecorder:
    """The recording of one call (at most one file per call)."""

    def __init__(self, db: Database, tenant_id: int, call_uuid: str, root: str,
                 clock: Callable[[], datetime]) -> None:
        self.db, self.tenant_id, self.call_uuid, self.root, self.clock = db, tenant_id, call_uuid, root, clock
        self.relative: str | None = None
        self._decided = False
        self._session: Any = None
        self._stopped = asyncio.Event()
        self._ms: int | None = None

    @property
    def path(self) -> str | None:
        return f"{self.root.rstrip('/')}/{self.relative}" if self.relative else None

    def _policies(self) -> dict[str, tuple[str, int]]:
        with self.db.tenant(self.tenant_id) as session:
            return {row.queue: (row.mode, row.percent) for row in session.scalars(select(RecordingPolicy))}

    async def before_bridge(self, channel: Any, queue: str) -> None:
        """Starts recording before the first bridge of the call if the policy says so (never twice)."""
        if self._decided:
            return
        self._decided = True
        session = getattr(channel, "session", None)
        if session is None:  # not an ESL channel (the designer's in-process trial)
            return
        try:
            policies = await asyncio.to_thread(self._policies)
        except Exception:  # a database hiccup must not keep the caller from the agent
            log.exception("call %s: recording policy not read; not recording", self.call_uuid)
            return
        decision = decide(policies, queue, self.call_uuid)
        if decision is None:
            return
        self._session = session
        session.on("RECORD_STOP", self._on_stop)
        try:
            await session.execute("multiset", "RECORD_STEREO=true RECORD_BRIDGE_REQ=true")
            if decision == "on_demand":  # the desk starts it with uuid_record (RECORD_START names the file)
                session.on("RECORD_START", self._on_start)
                return
            self.relative = relative_path(self.tenant_id, self.clock(), self.call_uuid)
            await session.execute("record_session", self.path)
        except SessionGone:
            return

    def _on_start(self, event: Mapping[str, Any]) -> None:
        """An on-demand recording started from the desk: any file of this call in this tenant's folder."""
        path = str(_value(event, "Record-File-Path") or "")
        prefix = f"{self.root.rstrip('/')}/calls/{self.tenant_id}/"
        rest = path[len(prefix):] if path.startswith(prefix) else ""
        if self.relative is None and rest.count("/") == 1 and rest.endswith(f"/{self.call_uuid}.wav"):
            self.relative = f"calls/{self.tenant_id}/{rest}"

    def _on_stop(self, event: Mapping[str, Any]) -> None:
        if _value(event, "Record-File-Path") != self.path:
            return
        with contextlib.suppress(TypeError, ValueError):
            self._ms = int(_value(event, "variable_record_ms") or 0)
        self._stopped.set()

    async def after_bridge(self, answered: bool) -> None:
        """After a conversation (an answered bridge) the recording stops; an unanswered ring keeps it going."""
        if not answered or self._session is None or self.relative is None or self._stopped.is_set():
            return
        with contextlib.suppress(SessionGone):
            event = await self._session.execute("stop_record_session", self.path)
            if self._ms is None:
                with contextlib.suppress(TypeError, ValueError):
                    self._ms = int(_value(event, "variable_record_ms") or 0)

    async def fields(self) -> dict[str, Any]:
        """`recording` and `recording_seconds` for the call record ({} when the call was not recorded)."""
        if self._session is None:
            return {}
        if self.relative is None:  # on demand, and nobody asked
            self._session.off("RECORD_STOP", self._on_stop)
            self._session.off("RECORD_START", self._on_start)
            return {}
        if not self._stopped.is_set() and self._ms is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), STOP_WAIT_SECONDS)
        self._session.off("RECORD_STOP", self._on_stop)
        self._session.off("RECORD_START", self._on_start)
        seconds = round(self._ms / 1000, 3) if self._ms is not None else None
        return {"recording": self.relative, "recording_seconds": seconds}


def _value(event: Mapping[str, Any], name: str) -> Any:
    value = event.get(name)
    return value[0] if isinstance(value, list) else value
