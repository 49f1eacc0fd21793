"""Call recording end to end: the runtime asks the simulator (over ESL) for record_session on the bridge, the
simulator writes a real stereo WAV, and the call record links the file and its length."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from hotline.platform.db import Database
from hotline.platform.models import RecordingPolicy
from hotline.runtime.call.recording import sampled, wants_recording
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from ..runtime.e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record

pytestmark = [pytest.mark.redis]
DID = "4008002151"


@pytest.fixture(scope="module")
def express(db: Database) -> int:
    require_redis()
    tenant_id = clone(db, "express_delivery", "rec-express", [DID])

    def short_queue(body: dict) -> None:
        body["nodes"]["agent_queue"]["timeout_seconds"] = 5

    publish_ivr(db, tenant_id, short_queue)
    return tenant_id


def _policy(db: Database, tenant_id: int, mode: str, queue: str = "", percent: int = 100) -> None:
    with db.tenant(tenant_id) as session:
        for row in session.query(RecordingPolicy).all():
            session.delete(row)
        session.flush()
        session.add(RecordingPolicy(queue=queue, mode=mode, percent=percent))


def _call(db: Database, tenant_id: int, root: Path, talk_ms: int = 6000, time_scale: float = 0.02):
    agents = {"r1": AgentBehavior(answer_after_ms=1000, talk_ms=talk_ms)}

    async def scenario():
        # a slower clock than other e2e tests: the file's length is measured in simulated time
        async with stack(db, agents=agents, profile=SwitchProfile(recordings=str(root)), time_scale=time_scale) as s:
            await s.login("r1", tenant_id, "express_general")
            record = await s.switch.place_call(CallerScript(did=DID, caller="13700000151", presses=["0", "4"]))
            return record, await wait_for_record(db, tenant_id, record.uuid)

    return run(scenario())


def test_a_recorded_call_leaves_a_stereo_wav_linked_to_its_call_record(db: Database, express: int,
                                                                       tmp_path: Path) -> None:
    _policy(db, express, "all")
    record, cdr = _call(db, express, tmp_path)
    steps = record.summary()
    assert cdr.recording and cdr.recording.startswith(f"calls/{express}/") and cdr.recording.endswith(
        f"/{record.uuid}.wav"), (cdr.recording, steps)
    path = tmp_path / cdr.recording
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getsampwidth()) == (2, 8000, 2)
        seconds = wav.getnframes() / 8000
    # talk of 6 s simulated; the file holds the bridged time only (RECORD_BRIDGE_REQ), not the ringing
    assert cdr.recording_seconds is not None and 5.0 <= cdr.recording_seconds <= 7.5, cdr.recording_seconds
    assert abs(seconds - cdr.recording_seconds) < 0.05


def test_a_tenant_that_records_nothing_gets_no_file(db: Database, express: int, tmp_path: Path) -> None:
    _policy(db, express, "never")
    _record, cdr = _call(db, express, tmp_path)
    assert cdr.recording is None and cdr.recording_seconds is None
    assert not any(tmp_path.rglob("*.wav"))


def test_a_queue_policy_overrides_the_tenant_policy(db: Database, express: int, tmp_path: Path) -> None:
    _policy(db, express, "never")
    with db.tenant(express) as session:
        session.add(RecordingPolicy(queue="general", mode="all", percent=100))
    _record, cdr = _call(db, express, tmp_path)
    assert cdr.recording is not None and (tmp_path / cdr.recording).is_file()


def test_a_recording_shorter_than_the_switch_keeps_is_linked_but_has_no_file(db: Database, express: int,
                                                                              tmp_path: Path) -> None:
    """FreeSWITCH deletes recordings under RECORD_MIN_SEC (3 s): the record names it, the player shows it missing."""
    _policy(db, express, "all")
    # a slower clock: at 0.02 a loaded machine's 40 ms pause is 2 simulated seconds, enough to pass the 3 s minimum
    _record, cdr = _call(db, express, tmp_path, talk_ms=1000, time_scale=0.2)
    assert cdr.recording is not None and not (tmp_path / cdr.recording).exists()


def test_percent_sampling_is_stable_per_call_and_near_the_share() -> None:
    uuids = [f"call-{i}" for i in range(2000)]
    picked = [u for u in uuids if sampled(u, 25)]
    assert picked == [u for u in uuids if sampled(u, 25)]
    assert 400 < len(picked) < 600
    assert wants_recording({"": ("percent", 0)}, "q", "x") is False
    assert wants_recording({"": ("never", 0), "q": ("all", 100)}, "q", "x") is True
    assert wants_recording({}, "q", "x") is False
    assert wants_recording({"": ("on_demand", 100)}, "q", "x") is False
