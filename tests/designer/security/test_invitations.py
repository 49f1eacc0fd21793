"""Membership by invitation: a tenant admin cannot attach (or probe for) another tenant's users."""

from __future__ import annotations

import re

from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Invitation, Role
from hotline.platform.services import users

from ..conftest import Api, World, make_user


def form(api: Api, url: str, data: dict) -> object:
    return api.client.post(url, data={**data, "csrf_token": api.refresh_token()})


def invitation_ids(db: Database, username: str) -> list[int]:
    with db.platform() as session:
        user = users.get_user(session, username)
        return list(session.scalars(select(Invitation.id).where(Invitation.user_id == user.id)))


def roles_in(db: Database, username: str, slug: str) -> set[Role]:
    with db.platform() as session:
        access = users.tenants_of(session, users.get_user(session, username))
    return next((set(a.roles) for a in access if a.slug == slug), set())


def test_the_tenant_admin_can_no_longer_attach_a_user_directly(api_as, world: World, db: Database) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    assert admin.get("/admin/membership/new/").status_code in (302, 403)
    response = form(admin, "/admin/membership/new/", {"username": world.analyst_b, "role": "tenant_admin"})
    assert response.status_code in (302, 403)
    assert roles_in(db, world.analyst_b, world.tenant_a) == set()


def test_an_invitation_answers_the_same_for_existing_and_unknown_names(api_as, world: World, db: Database) -> None:
    admin = api_as(world.admin_a, world.tenant_a)
    answers = []
    for name in (world.analyst_b, "no-such-user-anywhere", world.agent_a):
        response = form(admin, "/tenant/invite", {"username": name, "role": "agent"})
        assert response.status_code == 302
        page = admin.get(response.headers["Location"]).get_data(as_text=True)
        answers.append(re.sub(r'(content|value)="[^"]*"', "", page))  # CSRF tokens carry a timestamp
    assert answers[0] == answers[1] == answers[2]
    # ... and the invitee of another tenant holds nothing until they accept
    assert roles_in(db, world.analyst_b, world.tenant_a) == set()


def test_the_invited_user_accepts_and_only_then_holds_the_role(api_as, world: World, db: Database) -> None:
    invitee = make_user(db, {world.tenant_b: [Role.AGENT]})
    admin = api_as(world.admin_a, world.tenant_a)
    form(admin, "/tenant/invite", {"username": invitee, "role": "agent"})
    [invitation] = invitation_ids(db, invitee)
    other = api_as(world.analyst_b, world.tenant_b)  # someone else cannot accept it
    assert form(other, f"/account/invitations/{invitation}/accept", {}).status_code == 404
    assert roles_in(db, world.analyst_b, world.tenant_a) == set()

    me = api_as(invitee, world.tenant_b)
    page = me.get("/account/invitations").get_data(as_text=True)
    assert 'data-testid="invitation"' in page
    assert form(me, f"/account/invitations/{invitation}/accept", {}).status_code == 302
    assert roles_in(db, invitee, world.tenant_a) == {Role.AGENT}
    assert invitation_ids(db, invitee) == []


def test_a_declined_invitation_grants_nothing(api_as, world: World, db: Database) -> None:
    invitee = make_user(db)
    form(api_as(world.admin_a, world.tenant_a), "/tenant/invite", {"username": invitee, "role": "analyst"})
    [invitation] = invitation_ids(db, invitee)
    assert form(api_as(invitee), f"/account/invitations/{invitation}/decline", {}).status_code == 302
    assert roles_in(db, invitee, world.tenant_a) == set() and invitation_ids(db, invitee) == []


def test_only_tenant_admins_invite(api_as, world: World, db: Database) -> None:
    invitee = make_user(db)
    for who in (world.analyst_a, world.agent_a, world.supervisor_a):
        response = form(api_as(who, world.tenant_a), "/tenant/invite", {"username": invitee, "role": "tenant_admin"})
        assert response.status_code == 403
    assert invitation_ids(db, invitee) == []


def test_the_operator_still_attaches_users_of_any_tenant(api_as, world: World, db: Database) -> None:
    invitee = make_user(db, {world.tenant_b: [Role.AGENT]})
    operator = api_as(world.operator, world.tenant_a)
    response = form(operator, "/admin/membership/new/", {"username": invitee, "role": "agent"})
    assert response.status_code == 302
    assert roles_in(db, invitee, world.tenant_a) == {Role.AGENT}
