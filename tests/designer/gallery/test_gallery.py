"""The template gallery: every template with a preview, tenant creation by the operator, re-import."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from hotline.platform.db import Database
from hotline.platform.models import Tenant
from hotline.platform.services import templates
from hotline.platform.services.tenants import get_tenant

from ..conftest import PASSWORD, World


def browser(app: Flask, username: str, tenant: str | None = None) -> FlaskClient:
    """A signed-in page client (form login, as a person does)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    if tenant:
        token = csrf(client, "/tenant")
        assert client.post("/tenant", data={"tenant": tenant, "csrf_token": token}).status_code == 302
    return client


def csrf(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def test_the_gallery_lists_every_template_in_chinese(app: Flask, world: World) -> None:
    page = browser(app, world.agent_a).get("/templates/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "行业模板库" in html
    for name in templates.available():
        assert f'data-template="{name}"' in html
        assert templates.load(name).title in html
    assert "Template gallery" in browser(app, world.agent_a).get("/templates/?lang=en").get_data(as_text=True)


def test_a_template_preview_shows_documents_ivr_outline_and_form_fields(app: Flask, world: World) -> None:
    html = browser(app, world.agent_a).get("/templates/express_delivery").get_data(as_text=True)
    assert 'data-node="main_menu"' in html and 'data-node="track_collect"' in html
    assert 'data-edge="1">1</code>' in html  # the menu digit leading on
    assert 'data-edge="next">下一步</code>' in html and "(菜单)" in html  # exits and types in Chinese
    assert "取件下单" in html and 'data-field="pickup_time"' in html and "明天上午9:00-12:00" in html
    assert "文件" in html  # option titles, not only codes
    assert "Create a tenant" not in html and "用此模板创建租户" not in html  # agents do not create tenants
    assert browser(app, world.agent_a).get("/templates/nope").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(app: Flask) -> None:
    response = app.test_client().get("/templates/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_operator_creates_a_tenant_and_works_in_it(app: Flask, world: World, db: Database, unique) -> None:
    client = browser(app, world.operator)
    page = client.get("/templates/property_management").get_data(as_text=True)
    assert "用此模板创建租户" in page
    slug = unique("pm")
    token = csrf(client, "/templates/property_management")
    response = client.post("/templates/property_management/tenants",
                           data={"slug": slug, "title": "阳光物业", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/studio/")
    with db.platform() as session:
        tenant = get_tenant(session, slug)
        assert tenant.template == "property_management" and tenant.title == "阳光物业"
    with client.session_transaction() as state:
        assert state["tenant_id"] == tenant.id
    listed = client.get("/templates/").get_data(as_text=True)
    assert slug in listed  # the flashed notice


def test_tenant_creation_errors_are_clear_and_keep_the_input(app: Flask, world: World, unique) -> None:
    client = browser(app, world.operator)
    token = csrf(client, "/templates/express_delivery")
    bad = client.post("/templates/express_delivery/tenants", data={"slug": "Bad Name", "csrf_token": token})
    assert bad.status_code == 200  # a refusal is an answer, not a failed load (QA fix-forms #3)
    html = bad.get_data(as_text=True)
    assert "只能使用小写字母" in html and 'value="Bad Name"' in html
    taken = client.post("/templates/express_delivery/tenants", data={"slug": world.tenant_a, "csrf_token": token})
    assert taken.status_code == 200
    assert f"无法创建租户: 已有名为 {world.tenant_a} 的租户，请换一个名称。" in taken.get_data(as_text=True)
    assert "already exists" not in taken.get_data(as_text=True)  # issue 16: it was half English
    english = client.post("/templates/express_delivery/tenants?lang=en",
                          data={"slug": world.tenant_a, "csrf_token": token}).get_data(as_text=True)
    assert f"A tenant named {world.tenant_a} already exists; choose another name." in english
    assert client.post("/templates/express_delivery/tenants", data={"slug": unique("x")}).status_code == 400


def test_only_the_operator_may_create_tenants(app: Flask, world: World, db: Database, unique) -> None:
    client = browser(app, world.admin_a, world.tenant_a)
    token = csrf(client, "/templates/express_delivery")
    slug = unique("no")
    response = client.post("/templates/express_delivery/tenants", data={"slug": slug, "csrf_token": token})
    assert response.status_code == 403
    with db.platform() as session:
        assert session.query(Tenant).filter_by(slug=slug).count() == 0


def test_a_tenant_admin_reimports_a_template_document_into_a_draft(app: Flask, world: World, api_as) -> None:
    api = api_as(world.admin_a, world.tenant_a)
    doc = api.get("/api/documents/form/complaint").get_json()
    edited = {**doc["draft"], "title": "改过的投诉"}
    api.put("/api/documents/form/complaint/draft", {"body": edited, "base_revision": doc["draft_revision"]})
    client = browser(app, world.admin_a, world.tenant_a)
    page = client.get("/templates/express_delivery").get_data(as_text=True)
    assert 'data-reimport="form/complaint"' in page
    token = csrf(client, "/templates/express_delivery")
    response = client.post("/templates/express_delivery/reimport/form/complaint", data={"csrf_token": token})
    assert response.status_code == 302
    after = api.get("/api/documents/form/complaint").get_json()
    assert after["draft"]["title"] != "改过的投诉"
    assert after["draft_revision"] == doc["draft_revision"] + 2
    assert after["published_version"] == doc["published_version"]
    assert "重新导入为草稿" in client.get("/templates/express_delivery").get_data(as_text=True)


def test_reimport_is_refused_for_other_templates_roles_and_without_csrf(app: Flask, world: World) -> None:
    admin = browser(app, world.admin_a, world.tenant_a)
    token = csrf(admin, "/templates/express_delivery")
    # Tenant A comes from express_delivery, not property_management: no buttons there, 404 by URL.
    assert "data-reimport" not in admin.get("/templates/property_management").get_data(as_text=True)
    assert admin.post("/templates/property_management/reimport/form/repair",
                      data={"csrf_token": token}).status_code == 404
    assert admin.post("/templates/express_delivery/reimport/form/nope", data={"csrf_token": token}).status_code == 404
    assert admin.post("/templates/express_delivery/reimport/form/complaint").status_code == 400  # no CSRF
    agent = browser(app, world.agent_a, world.tenant_a)
    assert "data-reimport" not in agent.get("/templates/express_delivery").get_data(as_text=True)
    token = csrf(agent, "/templates/express_delivery")
    assert agent.post("/templates/express_delivery/reimport/form/complaint",
                      data={"csrf_token": token}).status_code == 403


def test_two_tenants_with_one_title_are_told_apart_by_their_slug(app: Flask, world: World, db: Database,
                                                                  unique) -> None:
    """Tenant-creation QA, item 3: two tenants may share a display title (two branches of one company, or
    two tenants cloned without a title, which both take the template's); the switch shows the slug beside it."""
    client = browser(app, world.operator)
    slugs = [unique("same"), unique("same")]
    for slug in slugs:
        token = csrf(client, "/templates/property_management")
        assert client.post("/templates/property_management/tenants",
                           data={"slug": slug, "title": "同名物业", "csrf_token": token}).status_code == 302
    header = client.get("/templates/").get_data(as_text=True)
    switch = re.search(r'<a class="hl-tenant-switch"[^>]*>(.*?)</a>', header, re.S).group(1)
    assert "同名物业" in switch and slugs[1] in switch
    chooser = client.get("/tenant").get_data(as_text=True)
    for slug in slugs:
        assert f"同名物业 ({slug})" in chooser


def test_the_slug_check_answers_200_in_the_page_language(app: Flask, world: World, unique) -> None:
    """Tenant-creation QA, item 2: a taken or malformed name is an answer (200), never a failed request."""
    client = browser(app, world.operator)
    taken = client.get(f"/templates/slug-check?slug={world.tenant_a}")
    assert taken.status_code == 200
    assert taken.get_json() == {"available": False, "reason": f"已有名为 {world.tenant_a} 的租户，请换一个名称。"}
    bad = client.get("/templates/slug-check?slug=Bad%20Slug!&lang=en").get_json()
    assert bad["available"] is False and "lower-case letters" in bad["reason"]
    assert client.get(f"/templates/slug-check?slug={unique('free')}").get_json() == {"available": True,
                                                                                       "reason": None}
    assert browser(app, world.agent_a).get("/templates/slug-check?slug=abc").status_code == 403


def _free_number(db: Database) -> str:
    import random

    from hotline.platform.models import DID

    while True:
        number = "4009" + "".join(random.choices("0123456789", k=6))
        with db.platform() as session:
            if session.query(DID).filter_by(number=number).count() == 0:
                return number


def _create(client: FlaskClient, slug: str, **extra: str):
    token = csrf(client, "/templates/express_delivery")
    return client.post("/templates/express_delivery/tenants", data={"slug": slug, "csrf_token": token, **extra})


def test_creation_assigns_dids_and_a_first_admin_in_one_step(app: Flask, world: World, db: Database,
                                                             unique) -> None:
    """Tenant-creation QA, item 1: the DIDs (routed to the template's main IVR) and the first tenant admin are
    part of the creation, and the next page says what was made."""
    from hotline.platform.models import DID, Membership, Role, User

    client = browser(app, world.operator)
    slug, admin = unique("did"), unique("boss")
    first, second = _free_number(db), _free_number(db)
    response = _create(client, slug, dids=f"{first}, {second[:3]}-{second[3:]}", admin_username=admin)
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.platform() as session:
        tenant = get_tenant(session, slug)
        dids = session.query(DID).filter_by(tenant_id=tenant.id).all()
        assert sorted((d.number, d.ivr) for d in dids) == sorted([(first, "main"), (second, "main")])
        user = session.query(User).filter_by(username=admin).one()
        assert session.query(Membership).filter_by(user_id=user.id, tenant_id=tenant.id,
                                                   role=Role.TENANT_ADMIN).count() == 1
    said = client.get("/templates/").get_data(as_text=True)
    assert first in said and second in said and admin in said and "一次性密码" in said


def test_a_did_held_by_another_tenant_is_refused_and_nothing_is_created(app: Flask, world: World,
                                                                       db: Database, unique) -> None:
    from hotline.platform.services.tenants import assign_did

    held = _free_number(db)
    with db.platform() as session:
        holder = get_tenant(session, world.tenant_a)
        assign_did(session, holder, held, "test")
        title = holder.title
    client = browser(app, world.operator)
    slug, admin = unique("half"), unique("boss")
    refused = _create(client, slug, dids=held, admin_username=admin)
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert f"号码 {held} 已分配给租户“{title}”（{world.tenant_a}）" in html, html
    bad = _create(client, slug, dids="12ab", admin_username=admin)
    assert bad.status_code == 200 and "12ab" in bad.get_data(as_text=True)
    with db.platform() as session:
        from hotline.platform.models import User

        assert session.query(Tenant).filter_by(slug=slug).count() == 0
        assert session.query(User).filter_by(username=admin).count() == 0


def test_wtforms_own_messages_are_in_the_page_language(app: Flask, world: World, unique) -> None:
    """QA fix-forms #2: a title over 200 characters was refused in English on the Chinese page."""
    client = browser(app, world.operator)
    token = csrf(client, "/templates/express_delivery")
    data = {"slug": unique("long"), "title": "长" * 201, "csrf_token": token}
    chinese = client.post("/templates/express_delivery/tenants", data=data).get_data(as_text=True)
    assert "字段长度不能超过 200 个字符" in chinese and "cannot be longer" not in chinese
    english = client.post("/templates/express_delivery/tenants?lang=en", data=data).get_data(as_text=True)
    assert "Field cannot be longer than 200 characters." in english
