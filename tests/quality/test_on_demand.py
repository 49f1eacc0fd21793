"""Recording on demand: the agent on a call asks the web app, which sends `uuid_record … start` over the
simulator's inbound Event Socket; the runtime learns the file from RECORD_START and links it to the call."""

from __future__ import annotations

import asyncio
import uuid
import wave
from pathlib import Path

import pytest

from hotline.designer import create_app
from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, RecordingPolicy, Role
from hotline.platform.services import users
from hotline.platform.services.tenants import get_tenant
from hotline.platform.settings import load
from hotline.runtime.esl.switch_profile import SwitchProfile
from hotline.runtime.simswitch import AgentBehavior, CallerScript

from ..conftest import REDIS_URL
from ..designer.conftest import PASSWORD, TEST_SECRET_KEY, Api
from ..runtime.e2e_helpers import clone, publish_ivr, require_redis, run, stack, wait_for_record, wait_until

pytestmark = [pytest.mark.redis]
DID = "4008002152"


@pytest.fixture(scope="module")
def express(db: Database) -> tuple[int, str, str, str]:
    require_redis()
    slug = f"od{uuid.uuid4().hex[:6]}"
    tenant_id = clone(db, "express_delivery", slug, [DID])
    publish_ivr(db, tenant_id, lambda body: body["nodes"]["agent_queue"].update(timeout_seconds=5))
    extension = f"r{uuid.uuid4().hex[:6]}"
    username = f"u{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        user = users.create_user(session, username, PASSWORD, "test")
        users.grant(session, user, get_tenant(session, slug), Role.AGENT, "test")
        session.add(AgentExtension(user_id=user.id, extension=extension))
    with db.tenant(tenant_id) as session:
        session.add(RecordingPolicy(queue="", mode="on_demand", percent=100))
    return tenant_id, slug, extension, username


def test_the_agent_starts_a_recording_from_the_desk_and_the_call_record_links_it(db: Database, express,
                                                                                 tmp_path: Path) -> None:
    tenant_id, slug, extension, username = express
    agents = {extension: AgentBehavior(answer_after_ms=1000, talk_ms=150_000)}

    async def scenario():
        async with stack(db, agents=agents, profile=SwitchProfile(recordings=str(tmp_path)), time_scale=0.02) as s:
            await s.login(extension, tenant_id, "express_general")
            app = create_app(load(overrides={"web_secret_key": TEST_SECRET_KEY, "esl_host": "127.0.0.1",
                                             "esl_port": s.switch.esl_port, "redis_url": REDIS_URL,
                                             "switch_recordings": str(tmp_path)}), db)
            app.config.update(HOTLINE_ACD_PREFIX=s.prefix, HOTLINE_LIMITS_NAMESPACE=f"t{uuid.uuid4().hex[:8]}:")
            call = asyncio.create_task(s.switch.place_call(CallerScript(did=DID, caller="13700000152",
                                                                        presses=["0", "4"])))
            presence = await wait_until(lambda: _on_call(s, extension), timeout=10, what="the agent on the call")

            def ask(call_uuid: str):
                client = Api(app.test_client())
                assert client.login(username, slug).status_code == 200
                wrong = client.post(f"/quality/api/calls/{uuid.uuid4()}/record")
                return wrong.status_code, client.post(f"/quality/api/calls/{call_uuid}/record")

            wrong, response = await asyncio.to_thread(ask, presence.call_id)
            record = await call
            return wrong, response.status_code, response.get_json(), await wait_for_record(db, tenant_id, record.uuid)

    wrong, status, body, cdr = run(scenario(), timeout=60)
    assert wrong == 404
    assert status == 202, body
    assert cdr.recording == body["recording"] and (tmp_path / cdr.recording).is_file()
    with wave.open(str(tmp_path / cdr.recording)) as wav:
        assert wav.getnchannels() == 2
    # started mid-conversation: shorter than the 150 s talk, and linked with its length
    assert cdr.recording_seconds is not None and 3 <= cdr.recording_seconds < 150


async def _on_call(s, extension: str):
    presence = await s.runtime.acd.presence.get(extension)
    return presence if presence.state == "on_call" and presence.call_id else None
