"""The input layer: bad input is a clear 400/413/422 naming what and where, never a 500 (issue 10).

On PostgreSQL, which refuses what SQLite silently stores (NUL, over-long text, ids beyond bigint).
Each case was a 500 before hotline/designer/request_input.py.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask

from hotline.platform.db import Database
from hotline.platform.services import import_jobs
from tests.designer.conftest import PASSWORD, World
from tests.designer.records.conftest import Pages
from tests.designer.test_pages import token_of

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    return postgres_database


def signed_in(app: Flask, username: str, tenant: str | None = None) -> Pages:
    client = app.test_client()
    token = client.get("/api/session").get_json()["csrf_token"]
    body: dict[str, Any] = {"username": username, "password": PASSWORD}
    if tenant:
        body["tenant"] = tenant
    response = client.post("/api/session", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_json()
    return Pages(client)


def raw_json(pages: Pages, method: str, url: str, text: str) -> Any:
    return pages.client.open(url, method=method, data=text, content_type="application/json",
                             headers={"X-CSRFToken": pages.token()})


def test_nul_in_a_json_string_is_a_400_at_its_pointer(app: Flask, world: World) -> None:
    analyst = signed_in(app, world.analyst_a, world.tenant_a)
    response = analyst.json("POST", "/api/documents", {"kind": "form", "name": "nul_test",
                                                         "body": {"title": "a\x00b"}})
    assert response.status_code == 400
    payload = response.get_json()
    assert "NUL" in payload["error"] and "/body/title" in payload["error"]
    assert payload["findings"][0]["pointer"] == "/body/title"


@pytest.mark.parametrize(("text", "words"), [
    ('{"kind": "form", "name": "x", "body": {"n": NaN}}', "NaN is not a JSON number"),
    ('{"kind": "form", "name": "x", "body": {"n": -Infinity}}', "-Infinity is not a JSON number"),
    ('{"kind": "form", "name": "x", "body": {"n": 123456789012345678901234567890}}', "beyond 64 bits"),
    ('{"kind": "form", "name": "x", "body": ' + "[" * 1500 + "]" * 1500 + "}", "nested deeper"),
    ('{"kind": "form", "name": "x", "body": ' + "[" * 100 + "]" * 100 + "}", "nested deeper than 64"),
    ('{"kind": "form", "name": "x", "body": {"t": "\\ud800"}}', "unpaired surrogate"),
])
def test_json_the_database_or_validator_cannot_take_is_a_400(app: Flask, world: World, text: str,
                                                              words: str) -> None:
    analyst = signed_in(app, world.analyst_a, world.tenant_a)
    response = raw_json(analyst, "POST", "/api/documents", text)
    assert response.status_code == 400, response.data[:300]
    assert words in response.get_json()["error"]


@pytest.mark.parametrize(("number", "name"), [("1e999", "inf_a"), ("-1e400", "inf_b"), ("1e999999", "inf_c")])
def test_a_number_that_overflows_to_infinity_is_a_400_at_its_pointer(app: Flask, world: World, number: str,
                                                                     name: str) -> None:
    """QA 10.1: `1e999` is valid JSON text but parses to inf, which jsonb refused with a 500."""
    analyst = signed_in(app, world.analyst_a, world.tenant_a)
    response = raw_json(analyst, "POST", "/api/documents",
                        '{"kind": "form", "name": "inf_test", "body": {"a": ' + number + "}}")
    assert response.status_code == 400, response.data[:300]
    payload = response.get_json()
    assert "infinity" in payload["error"] and payload["findings"][0]["pointer"] == "/body/a"
    created = analyst.json("POST", "/api/documents", {"kind": "form", "name": name, "body": {}})
    assert created.status_code in (200, 201), created.get_json()
    response = raw_json(analyst, "PUT", f"/api/documents/form/{name}/draft",
                        '{"body": {"x": ' + number + '}, "base_revision": 1}')
    assert response.status_code == 400, response.data[:300]
    assert response.get_json()["findings"][0]["pointer"] == "/body/x"
    # A large but finite number is still a number.
    response = raw_json(analyst, "PUT", f"/api/documents/form/{name}/draft",
                        '{"body": {"x": 1e300}, "base_revision": 1}')
    assert response.status_code < 500, response.data[:300]


def test_nul_in_a_form_field_is_a_400_naming_the_field(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    response = admin.post("/records/customers/new", {"name": "王\x00五", "phones": "13800000000", "address": "",
                                                      "flags": "", "note": ""})
    assert response.status_code == 400
    assert "name" in response.get_data(as_text=True) and "NUL" in response.get_data(as_text=True)


def test_nul_in_a_query_argument_is_a_400(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    response = admin.get("/records/customers?q=a%00b")
    assert response.status_code == 400 and "q" in response.get_data(as_text=True)
    response = admin.get("/api/documents?kind=ivr%00")
    assert response.status_code == 400 and response.get_json()["findings"][0]["pointer"] == "/kind"


def test_ids_beyond_64_bits_are_404_in_urls_and_400_in_arguments(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    assert admin.get(f"/records/customers/{2**64}").status_code == 404
    assert admin.get(f"/records/kb/{2**63}").status_code == 404
    response = admin.get(f"/records/customers?customer_id={2**70}")
    assert response.status_code == 400 and "64 bits" in response.get_data(as_text=True)


def test_an_overlong_name_is_a_clear_error_not_a_500(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    response = admin.post("/records/customers/new", {"name": "名" * 300, "phones": "13800000001", "address": "",
                                                      "flags": "", "note": ""})
    assert response.status_code in (400, 422)
    assert "at most 200" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/x\r\nSet-Cookie: a=b", "/\\evil.example", "//evil.example",
                                    "https://evil.example/", "/a b", "/\tevil", "/%2f%2fevil.example",
                                    "/%5cevil.example", "/%0d%0aSet-Cookie:%20a=b", "/.%2e/%2fevil.example"])
def test_next_only_ever_redirects_to_a_same_site_path(app: Flask, world: World, target: str) -> None:
    client = app.test_client()
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    token = token_of(page)
    response = client.post("/login", query_string={"next": target},
                           data={"username": world.analyst_a, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not any(cookie.startswith("a=") for cookie in response.headers.getlist("Set-Cookie"))


def test_a_same_site_next_is_followed(app: Flask, world: World) -> None:
    client = app.test_client()
    page = client.get("/login?next=/studio/")
    token = token_of(page)
    response = client.post("/login?next=/studio/", data={"username": world.analyst_a, "password": PASSWORD,
                                                         "csrf_token": token})
    assert response.headers["Location"] == "/studio/"


def test_the_customer_import_accepts_more_than_4_mb_and_refuses_beyond_its_limit(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    big = b"name,phone\n" + b"".join(b"c%07d,138%08d\n" % (i, i) for i in range(260_000))
    assert 4 * 1024 * 1024 < len(big) < import_jobs.MAX_FILE_BYTES
    response = admin.client.post("/records/customers/import",
                                 data={"csrf_token": admin.token(), "file": (io.BytesIO(big), "book.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code != 413, response.get_data(as_text=True)[:300]
    assert response.status_code < 500
    # Any other address keeps the 4 MB limit, with a sentence that says so.
    response = admin.client.post("/records/customers/new", data={"csrf_token": admin.token(),
                                                                  "note": "x" * (5 * 1024 * 1024)})
    assert response.status_code == 413 and "4.0 MB" in response.get_data(as_text=True)
    response = admin.client.post("/api/documents", data=b"{" + b" " * (5 * 1024 * 1024) + b"}",
                                 content_type="application/json", headers={"X-CSRFToken": admin.token()})
    assert response.status_code == 413 and "4.0 MB" in response.get_json()["error"]


def test_dict_flash_messages_render_as_text(app: Flask, world: World) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    with admin.client.session_transaction() as session:
        session["_flashes"] = [("message", {"text": "{document} re-imported into the draft (revision {revision}); "
                                                    "publish it to use it.", "document": "ivr/main", "revision": 3}),
                               ("message", {"text": "odd {missing} placeholder"})]
    response = admin.get("/records/customers")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "ivr/main" in text and "'text'" not in text and "{missing}" in text


def test_a_multipart_field_without_a_readable_name_is_a_400(app: Flask, world: World) -> None:
    analyst = signed_in(app, world.analyst_a, world.tenant_a)
    body = (b'--b\r\nContent-Disposition: form-data; name="\n"\r\n\r\nnull\r\n--b--\r\n')
    response = analyst.client.post("/api/prompts", data=body, content_type="multipart/form-data; boundary=b",
                                   headers={"X-CSRFToken": analyst.token()})
    assert response.status_code == 400 and "name" in response.get_json()["error"]


@pytest.mark.parametrize(("how", "url"), [
    ("json", "/api/documents"),
    ("form", "/studio/new"),
    ("multipart", "/api/prompts"),
    ("form", "/records/kb/new"),
])
def test_overlong_names_are_refused_clearly(app: Flask, world: World, how: str, url: str) -> None:
    admin = signed_in(app, world.admin_a, world.tenant_a)
    long_name = "n" * 300
    if how == "json":
        response = admin.json("POST", url, {"kind": "form", "name": long_name, "body": {}})
    elif how == "multipart":
        response = admin.client.post(url, data={"name": long_name, "text": "您好"},
                                     content_type="multipart/form-data", headers={"X-CSRFToken": admin.token()})
    else:
        response = admin.post(url, {"kind": "form", "name": long_name, "title": long_name, "body": "x", "tags": ""})
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.status_code in (302, 400, 409, 413, 422)


def test_dict_flash_messages_render_on_the_account_pages_too(app: Flask, world: World) -> None:
    user = signed_in(app, world.analyst_a, world.tenant_a)
    with user.client.session_transaction() as session:
        session["_flashes"] = [("message", {"text": "{document} re-imported", "document": "ivr/main"})]
    response = user.get("/account/invitations")
    assert response.status_code == 200
    assert "ivr/main re-imported" in response.get_data(as_text=True)


#: Hostile `next=` values and where they may lead: a same-site path with nothing encoded left to
#: reinterpret, or the overview ("/").
HOSTILE_NEXT = [
    ("/.%2e/admin/", "/admin/"),
    ("/%2e%2e/%2e%2e/admin", "/admin"),
    ("/studio/%2e%2e/%2e%2e/%2e%2e/etc", "/etc"),
    ("/%252e%252e/records/", "/records/"),
    ("/./studio/./", "/studio/"),
    ("/%2f%2fevil.example", None),
    ("/%2F%2Fevil.example/x", None),
    ("/%5cevil.example", None),
    ("/%5C%5Cevil.example", None),
    ("/\\evil.example", None),
    ("//evil.example", None),
    ("///evil.example", None),
    ("/.%2e//evil.example", None),
    ("/x%0d%0aSet-Cookie:a=b", None),
    ("/x%0aLocation:%20//evil", None),
    ("/x?y=%0d%0aSet-Cookie:a=b", None),
    ("/%09/evil.example", None),
    ("/%25252525252e", None),
    ("https:%2f%2fevil.example", None),
    ("evil.example", None),
    ("", None),
    ("/records/customers?page=2&q=%E5%BC%A0", "/records/customers?page=2&q=%E5%BC%A0"),
    ("/records/kb/%E5%BC%A0%E4%B8%89", "/records/kb/%E5%BC%A0%E4%B8%89"),
]


@pytest.mark.parametrize(("target", "expected"), HOSTILE_NEXT)
def test_next_values_resolve_to_a_clean_same_site_path_or_nothing(target: str, expected: str | None) -> None:
    from hotline.designer.request_input import same_site_path

    assert same_site_path(target) == expected


def test_error_pages_say_what_was_wrong_escaped(app: Flask, world: World) -> None:
    """A view's BadRequest("what, where, why") reaches the page under the status, not just "Bad Request"."""
    from werkzeug.exceptions import BadRequest

    def refuse() -> None:
        raise BadRequest("field '<b>x</b>' must be a whole number, not 'abc'")

    app.add_url_rule("/test-refuse", "test_refuse", refuse)
    app.add_url_rule("/api/test-refuse", "api_test_refuse", refuse)
    admin = signed_in(app, world.admin_a, world.tenant_a)
    page = admin.get("/test-refuse")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "field &#39;&lt;b&gt;x&lt;/b&gt;&#39; must be a whole number, not &#39;abc&#39;" in html
    assert "<b>x</b>" not in html
    answer = admin.get("/api/test-refuse")
    assert answer.status_code == 400 and answer.get_json()["error"] == (
        "field '<b>x</b>' must be a whole number, not 'abc'")
    assert answer.mimetype == "application/json"
    # The records area's own handler passes its messages through the same page.
    listed = admin.get("/records/customers?page=abc")
    assert listed.status_code == 400 and "page must be a whole number" in listed.get_data(as_text=True)
