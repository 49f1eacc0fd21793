"""Task 15a item 6: the on-demand recording endpoint the desk calls refused in English on a Chinese desk; each refusal
now says why in the request's language, with a stable code for scripts."""

from __future__ import annotations

import socket
import uuid

import pytest
import redis
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.models import AgentExtension, RecordingPolicy, Role
from tests.conftest import REDIS_URL

from ..conftest import World, make_user
from .helpers import acd_app, tenant_id, user_id

pytestmark = [pytest.mark.redis]

WORDS = {
    "zh_CN": {"no_extension": "您没有分机，因此不在通话中。", "not_your_call": "不是您正在进行的通话",
              "not_on_demand": "该通话的录音方式为“全部录音”，不是按需录音。",
              "switch_unreachable": "交换机未能开始录音："},
    "en": {"no_extension": "You have no extension, so you are on no call.", "not_your_call": "is not your call",
           "not_on_demand": "This call's recording is set to “Record all calls”, not on demand.",
           "switch_unreachable": "The switch did not start the recording: "},
}


def _closed_port() -> int:
    with socket.socket() as probe:  # bound then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app(db: Database, prefix: str) -> Flask:
    return acd_app(db, prefix, esl_host="127.0.0.1", esl_port=_closed_port())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_each_refusal_says_why_in_the_requests_language_with_a_code(db: Database, world: World, api_as,
                                                                    prefix: str, lang: str) -> None:
    tenant = tenant_id(db, world.tenant_a)
    call = str(uuid.uuid4())
    words = WORDS[lang]

    def ask(agent_name: str) -> tuple[int, dict[str, str]]:
        response = api_as(agent_name, world.tenant_a).post(f"/quality/api/calls/{call}/record?lang={lang}")
        return response.status_code, response.get_json()

    no_extension = make_user(db, {world.tenant_a: [Role.AGENT]})
    status, body = ask(no_extension)
    assert (status, body["code"], body["error"]) == (400, "no_extension", words["no_extension"])

    agent = make_user(db, {world.tenant_a: [Role.AGENT]})
    extension = f"e{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        session.add(AgentExtension(user_id=user_id(db, agent), extension=extension))
    status, body = ask(agent)
    assert (status, body["code"]) == (404, "not_your_call") and words["not_your_call"] in body["error"]

    client = redis.Redis.from_url(REDIS_URL)
    client.sadd(f"{prefix}:tenant:{tenant}:agents", extension)
    client.hset(f"{prefix}:agent:{extension}", mapping={"state": "on_call", "call": call, "call_tenant": str(tenant)})
    with db.tenant(tenant) as session:
        policy = session.query(RecordingPolicy).filter_by(queue="").one_or_none()
        if policy is None:
            policy = RecordingPolicy(queue="", percent=100)
            session.add(policy)
        policy.mode = "all"
    status, body = ask(agent)
    assert (status, body["code"], body["error"]) == (409, "not_on_demand", words["not_on_demand"])

    with db.tenant(tenant) as session:
        session.query(RecordingPolicy).filter_by(queue="").one().mode = "on_demand"
    status, body = ask(agent)
    assert (status, body.get("code")) == (502, "switch_unreachable"), body
    assert body["error"].startswith(words["switch_unreachable"])


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "您在本租户的角色不能进行此操作。"),
                                             ("en", "your role in this tenant does not allow this")])
def test_a_role_that_may_not_record_is_refused_in_the_requests_language_with_a_code(
        db: Database, world: World, api_as, lang: str, words: str) -> None:
    """Task 15c item 2: the role refusal (403) was the app's English sentence, without the code its siblings carry."""
    response = api_as(world.supervisor_a, world.tenant_a).post(f"/quality/api/calls/{uuid.uuid4()}/record?lang={lang}")
    assert response.status_code == 403
    assert (response.get_json()["code"], response.get_json()["error"]) == ("not_allowed", words)
