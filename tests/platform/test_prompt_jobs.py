"""Text prompts are rendered to audio when an IVR version is published (issue 12): the publish's notifier
event enqueues a real RQ job that renders the version's static texts with espeak-ng into the prompt folder,
so the runtime's route load finds every file cached and the first call waits for no TTS."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from hotline.platform import prompt_tts
from hotline.platform.db import Database
from hotline.platform.jobs import Queues
from hotline.platform.jobs.prompt_jobs import prompt_sink
from hotline.platform.notifier import NOTIFIER, Notifier
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.tenants import create_tenant
from hotline.runtime.call.routing import FIXED_TEXTS, RouteCache

pytestmark = [pytest.mark.redis]

IVR = {"start": "hello", "fallback": "bye", "nodes": {
    "hello": {"type": "play", "prompt": {"text": "您好，欢迎致电"}, "next": "bye"},
    "bye": {"type": "hangup", "prompt": {"text": "再见"}},
}}


def _index(root: Path, tenant_id: int, text: str) -> Path:
    import hashlib

    key = prompt_tts.CommandTts().key
    return root / str(tenant_id) / "tts" / hashlib.sha256(f"{key}\0{text}".encode()).hexdigest()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (test.sh installs it)")
def test_publishing_an_ivr_renders_its_text_prompts_in_a_job(job_database: Database, queues: Queues, worker,
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOTLINE_PROMPT_DIR", str(tmp_path))
    db = job_database
    with db.platform() as session:
        tenant_id = create_tenant(session, f"pj{uuid.uuid4().hex[:6]}", "Prompt jobs", "test").id
    with db.tenant(tenant_id) as session:
        notifier = Notifier()
        notifier.subscribe(prompt_sink(queues))
        session.info[NOTIFIER] = notifier
        service = DocumentService(session, "test")
        service.create("ivr", "main", IVR)
        service.publish("ivr", "main")
    assert len(queues.default.get_job_ids()) == 1  # enqueued after commit, nothing rendered yet
    assert not _index(tmp_path, tenant_id, "再见").exists()
    worker.run(until=lambda: _index(tmp_path, tenant_id, "再见").exists(), timeout=120)
    for text in ("您好，欢迎致电", "再见"):
        assert _index(tmp_path, tenant_id, text).is_file(), text
    # the runtime's route load finds the same files (the cache is shared by content hash)
    cache = RouteCache(db, tmp_path, prompt_tts.CommandTts())
    rendered = cache._render(tenant_id, IVR, {})
    assert set(rendered) == {"您好，欢迎致电", "再见", *FIXED_TEXTS}  # with the runtime's own fixed sentences
    assert all(Path(path).is_file() and Path(path).stat().st_size > 1000 for path in rendered.values())
