"""Issue 16, item 7: the server-drawn pages' own JS and CSS (desk, records, wallboard, campaigns, the shared
style sheet) under content-hashed names, brotli- or gzip-compressed, cached for a year like the designer bundle."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

import pytest
from flask import Flask

from hotline.designer import hashed_static

from .conftest import Api, World

ASSET = re.compile(r'(?:src|href)="(/assets/[^"]+)"')


def _assets_of(client: Api, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200, url
    return ASSET.findall(page.get_data(as_text=True))


def test_pages_link_their_scripts_and_styles_by_hashed_name(world: World, api_as: Callable[..., Api]) -> None:
    admin = api_as(world.admin_a)
    found = set()
    for url in ("/desk/", "/wallboard/", "/records/tickets", "/campaigns/"):
        found.update(_assets_of(admin, url))
    names = {url.rsplit("/", 1)[1] for url in found}
    for stem in ("hotline.", "shell.", "desk.", "wallboard.", "records."):
        assert any(name.startswith(stem) and re.search(r"\.[0-9a-f]{12}\.(js|css)$", name) for name in names), stem


@pytest.mark.parametrize(("accept", "encoding"), [
    ("gzip, deflate, br", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip")])
def test_a_hashed_asset_goes_out_brotli_or_gzip_compressed_and_cached_for_a_year(
        world: World, api_as: Callable[..., Api], accept: str, encoding: str) -> None:
    """Compressed on first request (no build step for these files), the smallest encoding the browser accepts."""
    brotli = pytest.importorskip("brotli")
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress}[encoding]
    admin = api_as(world.admin_a)
    for url in _assets_of(admin, "/wallboard/"):
        plain = admin.client.get(url)
        packed = admin.client.get(url, headers={"Accept-Encoding": accept})
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, url
        assert packed.headers["Content-Encoding"] == encoding and "Accept-Encoding" in packed.headers["Vary"]
        assert packed.headers["Cache-Control"] == f"public, max-age={365 * 24 * 3600}, immutable"
        assert unpack(packed.data) == plain.data
        assert len(packed.data) < len(plain.data)


def test_an_outdated_or_unknown_name_is_not_found(app: Flask) -> None:
    client = app.test_client()
    good = hashed_static.asset("wallboard", "wallboard.js")
    assert client.get(good).status_code == 200
    stale = re.sub(r"\.[0-9a-f]{12}\.", ".000000000000.", good)
    assert client.get(stale).status_code == 404  # never new bytes under an old name
    for bad in ("/assets/wallboard/wallboard.js", "/assets/nowhere/x.000000000000.js",
                "/assets/wallboard/../ui/hotline.000000000000.css", "/assets/desk/.hidden.000000000000.js"):
        assert client.get(bad).status_code == 404, bad


def test_a_template_naming_a_missing_file_fails_loudly() -> None:
    with pytest.raises(LookupError):
        hashed_static.asset("wallboard", "no-such-file.js")
    with pytest.raises(LookupError):
        hashed_static.asset("nowhere", "wallboard.js")
