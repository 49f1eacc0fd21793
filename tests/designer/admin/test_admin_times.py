"""Defect 2 of the admin review: /admin/ showed raw UTC ("2026-12-07 15:57:19.347921+00:00" on /admin/tenant/
after the tenant's zone became America/New_York). Every date-time column is now in the reader's zone with the
zone said, to the second: the tenant's zone for a tenant admin, each row's tenant's zone (or UTC, said) for the
operator. The times are fixed values, so the tests pass at any hour and in any TZ."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hotline.designer.admin.times import zoned
from hotline.platform.db import Database
from hotline.platform.models import Article, Tenant
from hotline.platform.services.tenants import get_tenant

from ..conftest import World
from ..test_admin import SignIn, admin_as  # noqa: F401 - the fixture

MOMENT = datetime(2026, 12, 7, 15, 57, 19, 347921, tzinfo=UTC)


def test_a_time_is_shown_in_its_zone_to_the_second_with_the_zone_named() -> None:
    assert zoned(MOMENT, "America/New_York") == "2026-12-07 10:57:19 America/New_York"
    assert zoned(MOMENT.replace(tzinfo=None), "Asia/Shanghai") == "2026-12-07 23:57:19 Asia/Shanghai"
    assert zoned(MOMENT, None) == "2026-12-07 15:57:19 UTC"
    assert zoned(MOMENT, "Mars/Base") == "2026-12-07 15:57:19 UTC"


def test_the_operator_reads_each_tenants_times_in_its_zone(admin_as: SignIn, db: Database,  # noqa: F811
                                                            world: World) -> None:
    slug = f"ny{uuid.uuid4().hex[:8]}"
    with db.platform() as session:
        session.add(Tenant(slug=slug, title="纽约", settings={"timezone": "America/New_York"}, created_at=MOMENT))
    client = admin_as(world.operator)
    for lang in ("zh_CN", "en"):
        page = client.get(f"/admin/tenant/?search={slug}&lang={lang}").get_data(as_text=True)
        assert "2026-12-07 10:57:19 America/New_York" in page
        assert ".347921" not in page and "+00:00" not in page
    users = client.get("/admin/user/").get_data(as_text=True)
    assert "+00:00" not in users and " UTC" in users  # a user belongs to no tenant: UTC, said
    client.get("/admin/?lang=zh_CN")


def test_a_tenant_admin_reads_times_in_the_tenants_zone(admin_as: SignIn, db: Database,  # noqa: F811
                                                        world: World) -> None:
    tag = uuid.uuid4().hex[:8]
    with db.platform() as session:
        tenant = get_tenant(session, world.tenant_a)
        tenant_id = tenant.id
        zone = str((tenant.settings or {}).get("calendar", {}).get("timezone")
                   or (tenant.settings or {}).get("timezone") or "UTC")
    with db.tenant(tenant_id) as session:
        article = Article(title=f"t{tag}", body="正文")
        session.add(article)
        session.flush()
        article.updated_at = MOMENT
        article_id = article.id
    client = admin_as(world.admin_a)
    listed = client.get(f"/admin/article/?search=t{tag}").get_data(as_text=True)
    assert zoned(MOMENT, zone) in listed and ".347921" not in listed
    details = client.get(f"/admin/article/details/?id={article_id}").get_data(as_text=True)
    assert zoned(MOMENT, zone) in details and "+00:00" not in details
