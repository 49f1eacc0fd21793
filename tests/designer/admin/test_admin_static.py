"""Defect 3 of the admin review: Flask-Admin's assets (/admin/static/…: bootstrap, jquery, font-awesome,
select2) and the admin's CSP handlers went out `Cache-Control: no-cache`, uncompressed, on every admin page.
Now every asset an admin page links is compressed when the browser accepts it and cached a year under a URL
that changes with the file's content (?h=<content hash>; /assets/ for the CSP handlers)."""

from __future__ import annotations

import re

from ..conftest import World
from ..test_admin import SignIn, admin_as  # noqa: F401 - the fixture

YEAR = "max-age=31536000"


def test_every_admin_asset_is_compressed_and_cached_under_a_content_hashed_url(admin_as: SignIn,  # noqa: F811
                                                                              world: World) -> None:
    client = admin_as(world.admin_a)
    page = client.get("/admin/queue/").get_data(as_text=True)
    urls = [u.replace("&amp;", "&") for u in re.findall(r'(?:src|href)="(/(?:admin/static|assets)/[^"]+)"', page)]
    admin_static = [u for u in urls if u.startswith("/admin/static/")]
    assert len(admin_static) >= 8 and any("select2" in u for u in admin_static)
    assert any("csp_handlers" in u and u.startswith("/assets/admin/") for u in urls)
    for url in urls:
        if not url.split("?")[0].endswith((".js", ".css")):
            continue
        assert url.startswith("/assets/") or re.search(r"[?&]h=[0-9a-f]{12}", url), url
        for encoding in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, url
            assert response.headers["Content-Encoding"] == encoding, url
            assert YEAR in response.headers["Cache-Control"], (url, response.headers["Cache-Control"])
            assert "Accept-Encoding" in response.headers["Vary"]
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers and plain.data


def test_an_admin_asset_without_its_current_hash_is_revalidated(admin_as: SignIn, world: World) -> None:  # noqa: F811
    client = admin_as(world.admin_a)
    for url in ("/admin/static/vendor/jquery.min.js?v=3.5.1", "/admin/static/vendor/jquery.min.js?h=000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert client.get("/admin/static/../__init__.py").status_code == 404
