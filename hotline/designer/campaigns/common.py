"""What the campaign pages share: who may open them, the tenant session, the ACD's live agents, errors."""

from __future__ import annotations

from typing import Any

from ...platform.models import Role
from .. import area_common
from ..area_common import tenant_session
from ..wallboard.source import acd_reader

__all__ = ["OPERATE", "agents_now", "handle_http_error", "handle_service_error", "tenant_session"]

#: Outbound campaign operators and the tenant's admin.
OPERATE = frozenset({Role.CAMPAIGN_OPERATOR, Role.TENANT_ADMIN})

_errors = area_common.AreaErrors("/campaigns/api/")
handle_http_error = _errors.http_error
handle_service_error = _errors.service_error


def agents_now(tenant_id: int) -> Any:
    """The tenant's agents as the ACD sees them now, or None when Redis cannot be read."""
    snapshot = acd_reader().snapshot(str(tenant_id))
    return snapshot.agents if snapshot.available else None
