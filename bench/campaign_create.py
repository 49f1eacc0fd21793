"""Benchmark: creating a campaign on a 100,000-contact list (issue 13, 13b #6: the request took ~29 s on PostgreSQL).

    .venv/bin/python -m bench.campaign_create                       # SQLite file in a temporary folder
    .venv/bin/python -m bench.campaign_create --contacts 200000
    .venv/bin/python -m bench.campaign_create --url postgresql+psycopg://postgres@127.0.0.1:5432/<an empty database>

One tenant cloned from the express template, one list of --contacts contacts (inserted in bulk), then, each in a
fresh tenant session as the web request runs it: the new-campaign form's list choices, campaigns.create with the
entries copied from the list in the request (what lists up to designer/campaigns/pages.ENROL_IN_REQUEST get), the
campaign page's pre-launch figures, and the request a larger list gets (the campaign only) with the background
job that then adds its entries in committed batches. It prints the time of each; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.jobs.imports import ENROL_BATCH
from hotline.platform.models import Contact, ContactList
from hotline.platform.outbound import campaigns, contacts
from hotline.platform.outbound.prelaunch import prelaunch
from hotline.platform.services import templates

MORNING = datetime(2026, 3, 11, 2, 30, tzinfo=UTC)


def load(db: Database, count: int) -> tuple[int, int]:
    """(tenant id, list id): a tenant with a list of `count` contacts."""
    with db.platform() as session:
        tenant = templates.clone(session, templates.load("express_delivery"), f"bc{uuid.uuid4().hex[:8]}", None,
                                 "bench").id
    with db.tenant(tenant) as session:
        contact_list = contacts.create_list(session, "大名单", "service", "bench")
        for start in range(0, count, 10_000):
            session.execute(insert(Contact), [{"tenant_id": tenant, "list_id": contact_list.id, "name": f"客户{i}",
                                               "phone_e164": f"+86139{i:08d}", "fields": {"订单号": f"A{i}"},
                                               "line": i + 2}
                                              for i in range(start, min(count, start + 10_000))])
        return tenant, contact_list.id


def timed(label: str, work: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    result = work()
    print(f"{label:<48} {time.perf_counter() - began:8.2f} s")
    return result


def run(db: Database, count: int) -> None:
    tenant, list_id = timed(f"load {count:,} contacts", lambda: load(db, count))

    def choices() -> int:
        with db.tenant(tenant) as session:
            has = select(Contact.id).where(Contact.list_id == ContactList.id).exists()
            return len(list(session.scalars(select(ContactList).where(has))))

    def create() -> int:
        with db.tenant(tenant) as session:
            campaign = campaigns.create(session, name=f"回访{uuid.uuid4().hex[:6]}", script="return_visit",
                                        contact_list_id=list_id, actor="bench")
            campaigns.entry_counts(session, campaign.id)
            return campaign.id

    def request_only() -> int:
        with db.tenant(tenant) as session:
            return campaigns.create(session, name=f"后台{uuid.uuid4().hex[:6]}", script="return_visit",
                                    contact_list_id=list_id, actor="bench", enrol=False).id

    def enrol_in_batches(campaign_id: int) -> int:  # what jobs/imports.run_campaign_enrolment does
        added = 0
        while True:
            with db.tenant(tenant) as session:
                done = campaigns.populate(session, campaigns.get(session, campaign_id), limit=ENROL_BATCH)
            added += done
            if done < ENROL_BATCH:
                return added

    def check(campaign_id: int) -> int:
        with db.tenant(tenant) as session:
            campaign = campaigns.get(session, campaign_id)
            body = campaigns.script_body(session, campaign)
            return prelaunch(session, session.get(ContactList, list_id), body, MORNING).dialable

    timed("new-campaign form: lists with contacts", choices)
    campaign_id = timed("create the campaign, entries in the request", create)
    timed("pre-launch check of the campaign page", lambda: check(campaign_id))
    background = timed("create the campaign, entries in the background", request_only)
    timed("  the background job adding its entries", lambda: enrol_in_batches(background))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--url", help="an empty database (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(args.url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        db.use_secret_key("bench-secret-key-0123456789-abcdefghijkl")
        schema_migrations.upgrade(db)
        try:
            run(db, args.contacts)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
