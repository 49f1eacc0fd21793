"""JSON errors for the API: always `{"error": sentence, "findings": [...]}` plus any extra fields.

The designer pages use this API too, so a refusal must carry everything needed to show it without a second
request: the findings of a refused publish, the server's draft on a stale save.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, jsonify

from ...platform.findings import Finding
from ...platform.services.errors import Conflict, Duplicate, InvalidDocument, NotFound, ServiceError


def json_error(status: int, message: str, findings: Iterable[Finding] = (), **extra: Any) -> tuple[Response, int]:
    body = {"error": message, "findings": [f.as_dict() for f in findings], **extra}
    return jsonify(body), status


def service_error(exc: ServiceError) -> tuple[Response, int]:
    """Maps the service layer's expected failures onto status codes."""
    if isinstance(exc, NotFound):
        return json_error(404, str(exc))
    if isinstance(exc, Duplicate):
        return json_error(409, str(exc))
    if isinstance(exc, Conflict):
        return json_error(409, exc.args[0], current_revision=exc.current_revision)
    if isinstance(exc, InvalidDocument):
        return json_error(422, exc.args[0], exc.findings)
    return json_error(400, str(exc))
