"""Who may watch which tenant's wallboard.

Supervisors and tenant admins of a tenant (and the platform operator, who may pick any tenant) see its board.
The tenant is the session's current one, or `?tenant=<slug>` for a user allowed in several. A tenant the user
may not work in is answered 404, whether it exists or not (auth.py); a member lacking the role gets 403.
"""

from __future__ import annotations

from flask import abort, request

from ...platform.models import Role
from ...platform.services.users import TenantAccess
from ..auth import Principal, require_user

WALLBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})


def allowed(who: Principal, access: TenantAccess) -> bool:
    return who.is_platform_operator or bool(access.roles & WALLBOARD_ROLES)


def watchable(who: Principal) -> list[TenantAccess]:
    """The tenants whose board the user may open (for the operator's picker)."""
    return [t for t in who.tenants if allowed(who, t)]


def board_tenant() -> tuple[Principal, TenantAccess | None]:
    """The principal and the tenant asked for; None when no tenant is chosen yet (pages offer a picker)."""
    who = require_user()
    slug = request.args.get("tenant")
    if slug:
        access = next((t for t in who.tenants if t.slug == slug), None)
        if access is None:
            abort(404)
    else:
        access = who.tenant
        if access is None:
            return who, None
    if not allowed(who, access):
        abort(403, "your role in this tenant does not allow this")
    return who, access


def require_board_tenant() -> tuple[Principal, TenantAccess]:
    """As board_tenant, for endpoints that cannot offer a picker: 403 when no tenant is chosen."""
    who, access = board_tenant()
    if access is None:
        abort(403, "choose a tenant to work in first")
    return who, access
