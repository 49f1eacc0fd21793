"""Prompt audio rendered when an IVR version is published, not when the first call loads it (issue 12).

The runtime plays text prompts as files rendered by the [prompts] TTS engine (prompt_tts.py), cached by
the hash of engine and text. Rendering used to happen only when a runtime loaded a route: the first call
after a publish waited for espeak-ng (seconds for a large IVR). Now the publish's notifier event enqueues
`render_published_prompts` (prompt_sink), which renders the version's static texts and the catalogue's
text-only prompts into the same cache; the runtime's route load then finds every file already there.
The runtime's own rendering stays as the safety net (a worker down, an engine that failed meanwhile).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from ..models import Prompt
from ..services.documents import DocumentService
from ..services.errors import NotFound
from .context import job_context
from .queues import Queues

log = logging.getLogger("hotline.jobs.prompts")

#: Rendering a large IVR with a local engine takes a while; a stuck engine must not hold a worker for ever.
JOB_TIMEOUT = 900


def render_published_prompts(tenant_id: int, name: str) -> dict[str, int]:
    """The job: renders the static texts of the tenant's published IVR `name` (and its text-only catalogue
    prompts) with the [prompts] engine into the prompt folder; returns how many were rendered or failed."""
    from .. import prompt_storage, prompt_tts

    context = job_context()
    engine = prompt_tts.engine_from_settings(context.settings)
    if engine is None:
        return {"rendered": 0, "failed": 0}
    root = prompt_storage.default_root()
    with context.db.tenant(tenant_id) as session:
        try:
            body = DocumentService(session, "prompt-renderer").published("ivr", name).body
        except NotFound:
            return {"rendered": 0, "failed": 0}
        catalogue = prompt_storage.catalogue(root, tenant_id, session.scalars(select(Prompt)))
    texts = {*prompt_tts.static_texts(body),
             *(p["text"] for p in catalogue.values() if "file" not in p and p.get("text"))}
    counts = {"rendered": 0, "failed": 0}
    for text in sorted(texts)[:prompt_tts.MAX_RENDERED]:
        try:
            prompt_tts.render(root, tenant_id, text, engine)
            counts["rendered"] += 1
        except (prompt_tts.TtsError, OSError) as exc:
            counts["failed"] += 1
            log.warning("tenant %s: prompt not rendered at publish (the runtime will try again): %s", tenant_id, exc)
    return counts


def prompt_sink(queues: Queues):  # -> notifier.Sink
    """A notifier sink: each committed publish of an IVR enqueues its rendering."""

    def sink(payload: dict[str, Any]) -> None:
        if payload.get("type") == "document.published" and payload.get("kind") == "ivr":
            tenant_id, name = int(payload["tenant_id"]), str(payload["name"])
            queues.default.enqueue(render_published_prompts, tenant_id, name, job_timeout=JOB_TIMEOUT,
                                   description=f"render prompts of ivr {name} of tenant {tenant_id}")

    return sink
