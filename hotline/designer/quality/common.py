"""What the quality pages share: who may do what, the tenant session, the recordings store, errors.

Roles (docs/quality.md): listening to recordings — QA, supervisors and the tenant's admins, and an agent to
the calls they took themselves (to prepare an appeal); scoring and resolving appeals — QA and supervisors;
score sheets — QA and tenant admins; recording policy and retention — tenant admins; an agent sees and
appeals their own scores. Every query runs in the current tenant's scoped session: another tenant's call or
evaluation is a 404.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...platform.models import Queue, Role
from ...platform.services.recording_stores import RecordingStore, store_for
from .. import area_common
from ..area_common import int_arg, tenant_session
from ..redis_access import SETTINGS

__all__ = ["LISTEN", "OWN", "POLICY", "SCORE", "SHEETS", "int_arg", "store", "tenant_session"]

LISTEN = frozenset({Role.QA, Role.SUPERVISOR, Role.TENANT_ADMIN})
SCORE = frozenset({Role.QA, Role.SUPERVISOR})
SHEETS = frozenset({Role.QA, Role.TENANT_ADMIN})
POLICY = frozenset({Role.TENANT_ADMIN})
#: May open the quality area at all (an agent only their own scores).
OWN = frozenset({Role.AGENT, Role.QA, Role.SUPERVISOR, Role.TENANT_ADMIN})

_errors = area_common.AreaErrors("/quality/api/")
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def queue_labels(session: Any) -> dict[str, str]:
    """The tenant's queues, name → label: pages and exports show the label, never the stored name (QA of issue
    15, item 8); a queue since deleted keeps its name."""
    return {name: label or name for name, label in session.execute(select(Queue.name, Queue.label))}


def store() -> RecordingStore:
    """Where recordings are ([recordings] store: the folder shared with the switch, or a bucket in front of it);
    built once per app, since the bucket's client keeps a connection pool."""
    from flask import current_app

    built = current_app.extensions.get("hotline.recording_store")
    if built is None:
        built = current_app.extensions["hotline.recording_store"] = store_for(current_app.extensions[SETTINGS])
    return built
