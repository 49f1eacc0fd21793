"""Invitations to a tenant: a tenant admin offers a role, the invited user accepts or declines.

A tenant admin cannot attach an account directly (that let them pull in any platform user and, from the
answers, learn which usernames exist). `invite` answers the same whether or not the username exists, is
already a member or already invited; only the invited user sees the invitation, on their own page.
Attaching a user directly stays with the platform operator (the admin's membership view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Invitation, Membership, Role, Tenant, User
from . import audit
from .errors import NotFound
from .users import TENANT_ROLES, grant

#: Pending invitations a tenant may hold at once (bounds what one admin can write).
MAX_PENDING_PER_TENANT = 200


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    id: int
    tenant_slug: str
    tenant_title: str
    role: Role
    invited_by: str
    created_at: datetime


def invite(session: Session, tenant: Tenant, username: str, role: Role, actor: str) -> None:
    """Records an invitation when `username` names an active user without the role; silent otherwise."""
    role = Role(role)
    if role not in TENANT_ROLES:
        raise ValueError(f"{role.value} is not a role in a tenant")
    pending = session.scalar(select(Invitation.id).where(Invitation.tenant_id == tenant.id).offset(
        MAX_PENDING_PER_TENANT - 1).limit(1))
    if pending is not None:
        raise ValueError(f"this tenant already has {MAX_PENDING_PER_TENANT} pending invitations; "
                         "wait until some are answered")
    user = session.scalar(select(User).where(User.username == username.strip()))
    audit.record(session, actor, "user.invite", "invitation", username.strip()[:200], {"role": role.value},
                 tenant_id=tenant.id)
    if user is None or not user.active:
        return
    held = session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.tenant_id == tenant.id, Membership.role == role))
    invited = session.scalar(select(Invitation.id).where(
        Invitation.user_id == user.id, Invitation.tenant_id == tenant.id, Invitation.role == role))
    if held is None and invited is None:
        session.add(Invitation(tenant_id=tenant.id, user_id=user.id, role=role, invited_by=actor))
        session.flush()


def pending_for(session: Session, user_id: int) -> list[PendingInvitation]:
    rows = session.execute(select(Invitation, Tenant).join(Tenant, Tenant.id == Invitation.tenant_id).where(
        Invitation.user_id == user_id, Tenant.active.is_(True)).order_by(Invitation.created_at, Invitation.id))
    return [PendingInvitation(inv.id, tenant.slug, tenant.title, Role(inv.role), inv.invited_by, inv.created_at)
            for inv, tenant in rows]


def _own(session: Session, user_id: int, invitation_id: int) -> Invitation:
    found = session.get(Invitation, invitation_id)
    if found is None or found.user_id != user_id:  # someone else's invitation does not exist for you
        raise NotFound(f"invitation {invitation_id} not found")
    return found


def accept(session: Session, user: User, invitation_id: int) -> Tenant:
    """The invited user takes the role; the invitation is used up."""
    invitation = _own(session, user.id, invitation_id)
    tenant = session.get(Tenant, invitation.tenant_id)
    if tenant is None or not tenant.active:
        raise NotFound(f"invitation {invitation_id} not found")
    grant(session, user, tenant, Role(invitation.role), f"{user.username} (invited by {invitation.invited_by})")
    session.delete(invitation)
    return tenant


def decline(session: Session, user: User, invitation_id: int) -> None:
    invitation = _own(session, user.id, invitation_id)
    audit.record(session, user.username, "user.decline_invitation", "invitation", user.username,
                 {"role": Role(invitation.role).value}, tenant_id=invitation.tenant_id)
    session.delete(invitation)

