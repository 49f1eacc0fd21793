"""Flask-Admin's own assets (/admin/static/: bootstrap, jquery, font-awesome, select2, moment) compressed and
cached for a year (admin review, item 3: they went out `no-cache`, uncompressed, on every admin page).

Flask-Admin's templates add a library version to some URLs (?v=4.6.2) but not all (popper.min.js, the dropdown
hack), and the version names the library, not the file: an upgrade of Flask-Admin may change helpers.js under the
same ?v=1.0.0. So every URL Flask-Admin builds for `admin.static` also carries the file's content hash (?h=…,
hashed_static.digest); a request whose ?h= is the file's current hash is cached a year, `immutable`, since a
changed file gets a new URL. Any other request (no or an old hash) is revalidated (`no-cache`). Text files go
out brotli or gzip when accepted (compression.py)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

from ..compression import compressed_response
from ..hashed_static import digest
from ..studio.assets import YEAR

ENDPOINT = "admin.static"


def _path(folder: str, filename: str) -> Path | None:
    joined = safe_join(folder, filename)
    return Path(joined) if joined is not None and Path(joined).is_file() else None


def install(app: Flask) -> None:
    """Serves `admin.static` with compression and the cache rule above, and puts ?h= in its URLs."""
    folder = app.blueprints["admin"].static_folder
    assert folder is not None, "Flask-Admin's blueprint has its static folder"

    def serve(filename: str) -> Response:
        path = _path(folder, filename)
        if path is None:
            abort(404)
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = compressed_response(path, request, kind) or Response(path.read_bytes(), mimetype=kind)
        if request.args.get("h") == digest(path):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
            response.add_etag()
            response.make_conditional(request)
        response.vary.add("Accept-Encoding")
        return response

    def hash_in_url(endpoint: str | None, values: dict[str, Any]) -> None:
        if endpoint == ENDPOINT and "filename" in values and "h" not in values:
            path = _path(folder, values["filename"])
            if path is not None:
                values["h"] = digest(path)

    app.view_functions[ENDPOINT] = serve
    app.url_defaults(hash_in_url)
