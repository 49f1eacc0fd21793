"""`POST /api/queues`: create a queue from the designer, the one-click fix of a queue node naming a queue the
tenant does not have yet (issue 16, item 4). Name and label only; its ACD settings start at the model's defaults
and are tuned on the tenant's queue page. Whoever may change documents may create one, as with prompts."""

from __future__ import annotations

import re

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from ...platform.models import Queue
from ...platform.services import audit
from ..auth import WRITE_DOCUMENTS, database, require_tenant
from .documents import _field, json_body
from .errors import json_error

#: The document schemas' name rule (a queue is referred to by it), and the column's size.
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
MAX_LABEL = 200


def blueprint() -> Blueprint:
    bp = Blueprint("queues", __name__)

    @bp.post("/queues")
    def create_queue() -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        assert who.tenant is not None
        body = json_body()
        name = _field(body, "name", str).strip()
        label = (_field(body, "label", str, required=False, default="") or "").strip() or name
        if not NAME.fullmatch(name):
            raise BadRequest(f"queue name {name!r} must start with a letter or '_' and use only letters, digits, "
                             "'_' and '-' (at most 64)")
        if len(label) > MAX_LABEL:
            raise BadRequest(f"queue label is {len(label)} characters; at most {MAX_LABEL}")
        with database().tenant(who.tenant.tenant_id) as session:
            if session.scalar(select(Queue.id).where(Queue.name == name)) is not None:
                return json_error(409, f"queue {name!r} already exists in this tenant")
            session.add(Queue(name=name, label=label))
            audit.record(session, who.username, "queue.create", "queue", name, {"label": label})
        return jsonify(name=name, title=label), 201

    return bp
