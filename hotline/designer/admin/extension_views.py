"""Tenant admin: the extension of each member (Administration → Tenant → Agent extensions).

The switch rings a user at `user/<extension>` (models/desk.py). Agents get one on their first use of the desk,
but a supervisor or QA reviewer never opens the desk, so the live tools (listen in, whisper, barge) refused
them "no extension for the switch to ring" and no page could give one (QA of issue 15, item 1). Here a tenant
admin gives any member of the tenant a chosen extension (e.g. the headset's 1001). Extensions are unique
platform-wide (a shared agent has one presence), so a number held by someone else is refused without saying
who holds it: the holder may belong to another tenant.

A shared agent (a member of several tenants) has one extension for all of them: one tenant's admin changing it
would silently stop the other tenants' calls ringing the agent, so only the platform operator may (task D, item 7).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import func, select

from ...platform.models import AgentExtension, Membership, Role, User
from ...platform.services import audit, ticket_desk
from ...platform.services.errors import Duplicate
from .. import auth
from .base import Label, TenantView, current_tenant_id, is_operator


def serves_several_tenants(session: Any, user_id: int) -> bool:
    """Whether the user is a member of more than one tenant. Counted on the memberships table itself, not through
    the ORM entity, because the request's tenant-scoped session would hide the other tenants' memberships; only the
    count is read, never which tenants they are."""
    table = Membership.__table__
    count = session.execute(select(func.count(table.c.tenant_id.distinct())).where(table.c.user_id == user_id))
    return (count.scalar() or 0) > 1


class AgentExtensionView(TenantView):
    def _members(self) -> list[dict[str, Any]]:
        """The tenant's members with their roles (by label) and extension, by username."""
        tenant_id = current_tenant_id()
        rows = self.session.execute(
            select(User.id, User.username, User.display_name, Membership.role, AgentExtension.extension)
            .join(Membership, Membership.user_id == User.id)
            .outerjoin(AgentExtension, AgentExtension.user_id == User.id)
            .where(Membership.tenant_id == tenant_id).order_by(User.username)).all()
        members: dict[int, dict[str, Any]] = {}
        for user_id, username, display_name, role, extension in rows:
            member = members.setdefault(user_id, {"id": user_id, "username": username,
                                                  "display_name": display_name or "", "roles": [],
                                                  "extension": extension or ""})
            member["roles"].append(Role(role).value)  # worded and joined per language by the template
        return list(members.values())

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        members = self._members()
        error = None
        if request.method == "POST":
            raw_id = (request.form.get("user_id") or "").strip()
            extension = (request.form.get("extension") or "").strip()
            member = next((m for m in members if raw_id.isdigit() and m["id"] == int(raw_id)), None)
            if member is None:
                error = self._("Choose a member of this tenant.")
            elif not extension or ":" in extension or len(extension) > 32 or not extension.isprintable():
                error = f"{member['username']}: {self._('An extension is 1 to 32 characters, without a colon.')}"
            elif not is_operator() and serves_several_tenants(self.session.current(), member["id"]):
                error = (f"{member['username']}: "
                         + self._("This agent serves several tenants; only the platform operator may change "
                                  "the extension."))
            else:
                try:
                    ticket_desk.set_extension(self.session.current(), member["id"], extension)
                except Duplicate:
                    self.session.rollback()
                    error = f"{extension}: {self._('This extension is already in use; choose another.')}"
                else:
                    who = auth.principal()
                    audit.record(self.session.current(), who.username if who else "admin", "user.extension",
                                 "user", member["username"], {"extension": extension},
                                 tenant_id=current_tenant_id())
                    self.session.commit()
                    flash(f"{member['username']}: {self._('Extension saved')} {extension}", "success")
                    return redirect(url_for(".index"))
        return self.render("hotline_admin/agent_extensions.html", members=members, error=error,
                           _=self._), 422 if error else 200


def extension_views(session: Any, _: Label) -> list[AgentExtensionView]:
    return [AgentExtensionView(session, _, name=_("Agent extensions"), category=_("Tenant"),
                               endpoint="agent_extension")]
