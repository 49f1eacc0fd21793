"""Campaign page fixtures: an app whose ACD view reads a real Redis on a fresh key prefix, a campaign operator of
tenant A, a running preview campaign to act on, and helpers to post the pages' forms with the session's CSRF
token."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from flask import Flask

from hotline.designer.wallboard.source import READER_KEY
from hotline.platform.db import Database
from hotline.platform.models import Campaign, CampaignEntry, Contact, ContactList, Role
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import World, make_user
from tests.platform.wallboard_helpers import AcdWorld


@pytest.fixture
def acd_world() -> Iterator[AcdWorld]:
    world = AcdWorld()
    yield world
    world.close()


@pytest.fixture
def app(app: Flask, acd_world: AcdWorld, db: Database) -> Flask:
    app.extensions[READER_KEY] = acd_world.reader()
    app.config["HOTLINE_CAMPAIGN_STREAM_SECONDS"] = 0.3
    app.config["HOTLINE_CAMPAIGN_STREAM_INTERVAL"] = 0.05
    return app


@pytest.fixture(scope="module")
def campaigner(db: Database, world: World) -> str:
    return make_user(db, {world.tenant_a: [Role.CAMPAIGN_OPERATOR]})


def tenant_id(db: Database, slug: str) -> int:
    with db.platform() as session:
        return get_tenant(session, slug).id


def form_post(client, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """A browser form post: the fields plus the session's CSRF token."""
    return client.client.post(url, data={**(data or {}), "csrf_token": client.token or client.refresh_token()},
                              **kwargs)


def preview_campaign(db: Database, tenant: int, names: Sequence[str], *, fields: Sequence[dict[str, Any]] = (),
                     **campaign: Any) -> tuple[int, list[str]]:
    """A running preview campaign of the express return visit, open Mondays 09:00–20:00 Beijing time, calling one
    new contact per name (the nth gets `fields[n]` when given); `campaign` overrides its columns (a retry policy).
    Returns the campaign's id and the contacts' phones in order."""
    with db.tenant(tenant) as session:
        contact_list = ContactList(name=f"l{uuid.uuid4().hex[:8]}", created_by="op")
        session.add(contact_list)
        session.flush()
        row = Campaign(**{"name": f"预览{uuid.uuid4().hex[:6]}", "script": "return_visit", "script_version": 1,
                          "mode": "preview", "status": "running", "contact_list_id": contact_list.id,
                          "min_gap_minutes": 0, "windows": {"timezone": "Asia/Shanghai", "windows": [
                              {"days": ["mon"], "start": "09:00", "end": "20:00"}]}, **campaign})
        session.add(row)
        session.flush()
        phones = []
        for n, name in enumerate(names):
            contact = Contact(list_id=contact_list.id, phone_e164=f"+8613{uuid.uuid4().int % 10**9:09d}", name=name,
                              **({"fields": fields[n]} if n < len(fields) else {}))
            session.add(contact)
            session.flush()
            session.add(CampaignEntry(campaign_id=row.id, contact_id=contact.id, phone_e164=contact.phone_e164))
            phones.append(contact.phone_e164)
        return row.id, phones
