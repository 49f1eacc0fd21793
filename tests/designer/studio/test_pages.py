"""The studio pages: who may open them, the boot data the bundle starts from, tenant isolation by URL
tampering, creating a document, and the built assets the page links (which must exist and cache well)."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable

import pytest

from hotline.designer.studio import assets
from hotline.platform.db import Database
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import Api, World


def boot_of(html: str) -> dict:
    match = re.search(r'<script id="boot" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page has no boot data"
    return json.loads(match.group(1))


def test_document_list_links_every_document_of_the_tenant(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    response = client.get("/studio/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/studio/ivr/main"' in html
    assert 'data-testid="new-document"' in html


def test_document_page_boots_the_editor_with_the_users_rights(world: World, api_as: Callable[..., Api]) -> None:
    analyst = boot_of(api_as(world.analyst_a).get("/studio/ivr/main").get_data(as_text=True))
    assert analyst["tenant"]["slug"] == world.tenant_a
    assert (analyst["kind"], analyst["name"], analyst["api"]) == ("ivr", "main", "/api")
    assert analyst["user"]["can_write"] is True and "analyst" in analyst["user"]["roles"]
    assert analyst["csrf_token"] and analyst["locale"] == "zh_CN"
    agent = boot_of(api_as(world.agent_a).get("/studio/ivr/main").get_data(as_text=True))
    assert agent["user"]["can_write"] is False


def test_tenant_admin_may_write_and_supervisor_may_only_read(world: World, api_as: Callable[..., Api]) -> None:
    assert boot_of(api_as(world.admin_a).get("/studio/ivr/main").get_data(as_text=True))["user"]["can_write"]
    supervisor = api_as(world.supervisor_a)
    assert not boot_of(supervisor.get("/studio/ivr/main").get_data(as_text=True))["user"]["can_write"]
    assert 'data-testid="new-document"' not in supervisor.get("/studio/").get_data(as_text=True)


def test_signed_out_user_is_sent_to_sign_in(app) -> None:
    response = app.test_client().get("/studio/ivr/main")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_user_without_a_tenant_is_asked_to_choose_one(world: World, api_as: Callable[..., Api]) -> None:
    response = api_as(world.nobody).get("/studio/")
    assert response.status_code == 302 and "/tenant" in response.headers["Location"]


def test_another_tenants_document_is_not_found_by_url(world: World, db: Database, api_as: Callable[..., Api]) -> None:
    with db.platform() as session:
        tenant_b = get_tenant(session, world.tenant_b).id
    with db.tenant(tenant_b) as session:
        DocumentService(session, "test").create("ivr", "only_in_b", {"title": "B's secret"})
    assert api_as(world.analyst_b).get("/studio/ivr/only_in_b").status_code == 200
    tampering = api_as(world.analyst_a)
    response = tampering.get("/studio/ivr/only_in_b")
    assert response.status_code == 404
    assert "B's secret" not in response.get_data(as_text=True)
    assert "only_in_b" not in tampering.get("/studio/").get_data(as_text=True)


def test_unknown_kind_or_document_is_not_found(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    assert client.get("/studio/ivr/no_such_document").status_code == 404
    assert client.get("/studio/poem/main").status_code == 404


def test_analyst_creates_a_document_and_lands_in_its_editor(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    response = client.client.post("/studio/new", data={"kind": "ivr", "name": "night_line", "csrf_token": client.token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/studio/ivr/night_line")
    draft = client.get("/api/documents/ivr/night_line").get_json()["draft"]
    assert draft["start"] in draft["nodes"]


def test_a_new_ivr_starts_with_a_chinese_greeting_menu_and_goodbye_that_pass_lint(
        world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    client.client.post("/studio/new", data={"kind": "ivr", "name": "day_line", "csrf_token": client.token})
    draft = client.get("/api/documents/ivr/day_line").get_json()["draft"]
    start = draft["nodes"][draft["start"]]
    assert (start["type"], start["label"]) == ("play", "欢迎语")
    menu = draft["nodes"][start["next"]]
    assert menu["type"] == "menu"
    # the menu's words say what its one digit does: 0 goes to the goodbye, so it offers no agent
    assert draft["nodes"][menu["options"]["0"]]["type"] == "hangup" and "结束" in menu["prompt"]["text"]
    assert "人工" not in menu["prompt"]["text"]
    assert client.post("/api/documents/ivr/day_line/validate").get_json()["findings"] == []


def test_a_new_outbound_script_holds_the_dialing_policy_its_editor_shows(
        world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    client.client.post("/studio/new", data={"kind": "outbound", "name": "revisit", "csrf_token": client.token})
    assert client.get("/api/documents/outbound/revisit").get_json()["draft"]["dialing"]["timezone"] == "Asia/Shanghai"
    findings = client.post("/api/documents/outbound/revisit/validate").get_json()["findings"]
    assert not [f for f in findings if f["pointer"].startswith("/dialing") or "dialing" in f["message"]], findings
    # In the reader's words: what is missing, and where.
    assert all("required property" not in f["message"] for f in findings), findings


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("kind", ["ivr", "form", "dispatch", "outbound"])
def test_a_new_document_of_every_kind_starts_with_no_findings(
        world: World, api_as: Callable[..., Api], kind: str, lang: str) -> None:
    """QA 16: a new outbound script (and form, and dispatch rule set) opened with three findings."""
    client = api_as(world.analyst_a)
    client.get(f"/studio/?lang={lang}")
    client.client.post("/studio/new", data={"kind": kind, "name": "fresh", "csrf_token": client.token})
    assert client.get(f"/api/documents/{kind}/fresh").status_code == 200
    assert client.post(f"/api/documents/{kind}/fresh/validate").get_json()["findings"] == []


def test_creating_a_document_with_a_bad_name_says_why(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    response = client.client.post("/studio/new", data={"kind": "form", "name": "9 bad", "csrf_token": client.token},
                                  follow_redirects=True)
    assert response.status_code == 200
    assert "must start with a letter" in response.get_data(as_text=True)


def test_reader_may_not_create_documents(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.agent_a)
    response = client.client.post("/studio/new", data={"kind": "form", "name": "x1", "csrf_token": client.token})
    assert response.status_code == 403


def test_creating_without_the_csrf_token_is_refused(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    assert client.client.post("/studio/new", data={"kind": "form", "name": "x2"}).status_code == 400


def test_schema_files_for_bundling_are_served_and_nothing_else(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.agent_a)
    common = client.get("/studio/schemas/common.schema.json")
    assert common.status_code == 200 and "next" in common.get_json()["$defs"]
    assert "menu" in client.get("/studio/schemas/ivr.schema.json").get_json()["$defs"]
    assert client.get("/studio/schemas/..%2F..%2Fsettings.py").status_code == 404


def test_boot_data_cannot_break_out_of_its_script_element(world: World, api_as: Callable[..., Api]) -> None:
    from hotline.designer.studio import _json_for_script

    text = str(_json_for_script({"title": "</script><script>alert(1)</script>"}))
    assert "</script>" not in text and json.loads(text)["title"].startswith("</script>")


@pytest.mark.usefixtures("built_frontend")
def test_every_asset_the_page_links_exists_and_hashed_ones_cache_for_a_year(
        world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    html = client.get("/studio/ivr/main").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/static/designer/[^"]+)"', html)
    assert any(u.endswith(".js") for u in urls) and any(u.endswith(".css") for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/static/designer/.vite/manifest.json").status_code == 404


@pytest.mark.parametrize(("accept", "encoding"), [
    ("gzip, deflate, br", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip")])
def test_hashed_assets_go_out_brotli_or_gzip_compressed_to_clients_that_accept_it(
        world: World, api_as: Callable[..., Api], built_frontend: object, accept: str, encoding: str) -> None:
    """Issue 16: the designer's ~1 MB of JavaScript was sent uncompressed; now the smallest encoding the browser
    accepts, precompressed at build time, for the entry and every chunk a kind's editor loads later."""
    brotli = pytest.importorskip("brotli")
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress}[encoding]
    client = api_as(world.analyst_a)
    html = client.get("/studio/ivr/main").get_data(as_text=True)
    script = re.search(r'src="(/static/designer/assets/[^"]+\.js)"', html).group(1)
    chunks = sorted(p.name for p in assets.DESIGNER_DIR.glob("assets/IvrDesigner-*.js"))
    assert chunks, "the IVR designer is a chunk of its own"
    for url in (script, *(f"/static/designer/assets/{name}" for name in chunks)):
        plain = client.client.get(url)
        packed = client.client.get(url, headers={"Accept-Encoding": accept})
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == encoding and "Accept-Encoding" in packed.headers["Vary"]
        assert packed.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
        assert packed.headers["Cache-Control"] == f"public, max-age={365 * 24 * 3600}, immutable"
        on_disk = (assets.DESIGNER_DIR / url.removeprefix("/static/designer/")).read_bytes()
        assert unpack(packed.data) == plain.data == on_disk
        assert len(packed.data) < len(plain.data) / 2


def test_page_language_follows_the_users_choice(world: World, api_as: Callable[..., Api]) -> None:
    client = api_as(world.analyst_a)
    assert boot_of(client.get("/studio/ivr/main?lang=en").get_data(as_text=True))["locale"] == "en"
    assert boot_of(client.get("/studio/ivr/main").get_data(as_text=True))["locale"] == "en"  # kept in the session
    assert "Designer" in client.get("/studio/").get_data(as_text=True)
