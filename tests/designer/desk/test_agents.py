"""Who the agent is for the ACD and the switch: one extension per user, platform-wide, never shared."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.platform.db import Database
from hotline.platform.models import User
from hotline.platform.services import ticket_desk
from hotline.platform.services.errors import Duplicate
from tests.platform import factories

from .conftest import DeskWorld


def test_first_use_assigns_the_user_id_and_it_maps_back(db: Database) -> None:
    with db.platform() as session:
        user = factories.user(session)
        assert ticket_desk.extension_of(session, user.id, create=False) is None
        assert ticket_desk.extension_of(session, user.id) == str(user.id)
        assert ticket_desk.extension_of(session, user.id) == str(user.id)  # stable
        assert ticket_desk.user_of_extension(session, str(user.id)) == user.id
        assert ticket_desk.user_of_extension(session, "no-such-agent") is None


def test_a_chosen_extension_is_unique_and_an_auto_number_never_takes_it(db: Database) -> None:
    with db.platform() as session:
        first, second = factories.user(session), factories.user(session)
        ticket_desk.set_extension(session, first.id, f"9{second.id}")
        with pytest.raises(Duplicate):
            ticket_desk.set_extension(session, second.id, f"9{second.id}")
        ticket_desk.set_extension(session, first.id, str(second.id))  # takes the number second would get
        with pytest.raises(Duplicate, match="give user"):
            ticket_desk.extension_of(session, second.id)
        with pytest.raises(ValueError):
            ticket_desk.set_extension(session, second.id, "a:b")


def test_served_tenants_list_roles_and_skills_and_only_agent_tenants_take_calls(
        db: Database, desk_world: DeskWorld) -> None:
    world = desk_world.world
    with db.platform() as session:
        served = {t.slug: t for t in ticket_desk.served_tenants(session, desk_world.shared_id)}
        assert set(served) == {world.tenant_a, world.tenant_b}
        assert served[world.tenant_b].skills == {"express_general": 3}
        skills = ticket_desk.acd_skills(served.values())
        assert skills == {str(served[world.tenant_a].tenant_id): {"express_general": 1},
                          str(served[world.tenant_b].tenant_id): {"express_general": 3}}
        both = next(t for t in ticket_desk.served_tenants(session, _user(session, world.both))
                    if t.slug == world.tenant_a)
        assert not both.takes_calls  # an analyst in A takes no calls there


def _user(session: Session, username: str) -> int:
    return session.scalar(select(User.id).where(User.username == username))
