"""Issue 16, item 7: which compressed bytes a static file goes out as (designer/compression.py)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from flask import Flask, request

from hotline.designer import compression

TEXT = ("console.log('你好');\n" * 400).encode()


def _response(path: Path, accept: str):
    with Flask(__name__).test_request_context(headers={"Accept-Encoding": accept}):
        return compression.compressed_response(path, request, "text/javascript")


def test_a_precompressed_copy_at_least_as_new_as_the_file_is_sent_as_it_is(tmp_path: Path) -> None:
    script = tmp_path / "app.1a2b.js"
    script.write_bytes(TEXT)
    ready = gzip.compress(TEXT, compresslevel=1)
    (tmp_path / "app.1a2b.js.gz").write_bytes(ready)
    response = _response(script, "gzip")
    assert response.headers["Content-Encoding"] == "gzip" and response.get_data() == ready


def test_a_precompressed_copy_older_than_the_file_is_ignored(tmp_path: Path) -> None:
    """A file rebuilt without its copies (an interrupted build) must not go out with the old bytes."""
    script = tmp_path / "app.js"
    (tmp_path / "app.js.gz").write_bytes(gzip.compress(b"old bytes"))
    os.utime(tmp_path / "app.js.gz", (1_000_000, 1_000_000))
    script.write_bytes(TEXT)
    assert gzip.decompress(_response(script, "gzip").get_data()) == TEXT


def test_brotli_is_preferred_and_a_refused_encoding_is_never_sent(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    script = tmp_path / "app.js"
    script.write_bytes(TEXT)
    best = _response(script, "gzip, deflate, br")
    assert best.headers["Content-Encoding"] == "br" and brotli.decompress(best.get_data()) == TEXT
    assert "Accept-Encoding" in best.headers["Vary"]
    assert _response(script, "br;q=0, gzip").headers["Content-Encoding"] == "gzip"
    assert _response(script, "identity") is None


def test_images_and_fonts_are_not_compressed_again(tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(TEXT)
    assert _response(image, "gzip, br") is None
