"""Plain (unbuilt) JS and CSS of the server-drawn pages under content-hashed names, gzip-compressed.

The designer bundle gets hashed names from Vite; the desk, records, wallboard, campaign and quality scripts
and the shared style sheet (static/ui/hotline.css) have no build step, so their names are hashed here:
`asset("wallboard", "wallboard.js")` in a template gives `/assets/wallboard/wallboard.3f9c…1a.js`. A name
whose hash is the file's current one never changes content, so it is cached for a year (`immutable`); a
change to the file changes the name, so browsers never keep a stale script after a deployment. Text files
go out brotli- or gzip-compressed to clients that accept it, compressed on first request (compression.py).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, request
from werkzeug.security import safe_join

from .compression import compressed_response
from .studio.assets import STATIC_ROOT, YEAR

_DESIGNER = Path(__file__).resolve().parent

#: Name → folder of the files it serves. One place, so a template can only name a known folder.
ROOTS: dict[str, Path] = {
    "ui": STATIC_ROOT / "ui",
    "wallboard": STATIC_ROOT / "wallboard",
    "campaigns": STATIC_ROOT / "campaigns",
    "desk": _DESIGNER / "desk" / "static" / "desk",
    "records": _DESIGNER / "records" / "static",
    "quality": _DESIGNER / "quality" / "static",
    "settlement": _DESIGNER / "settlement" / "static",
    "admin": _DESIGNER / "static" / "admin",  # the administration's CSP handlers (admin/master.html)
}

#: Hex digits of the content hash kept in a name: 12 (48 bits) is plenty for a few dozen files.
HASH_LENGTH = 12
_HASHED_NAME = re.compile(r"^(?P<stem>[\w./-]+)\.(?P<digest>[0-9a-f]{" + str(HASH_LENGTH) + "})"
                          r"(?P<suffix>\.[a-z0-9]+)$")
_digests: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()


def _file(root: str, filename: str) -> Path | None:
    folder = ROOTS.get(root)
    if folder is None or filename.startswith(".") or "/." in filename:
        return None
    joined = safe_join(str(folder), filename)
    return Path(joined) if joined is not None and Path(joined).is_file() else None


def digest(path: Path) -> str:
    """The file's content hash (sha256, first HASH_LENGTH hex digits), cached by path and modification time."""
    mtime = path.stat().st_mtime
    cached = _digests.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    value = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    with _lock:
        _digests[str(path)] = (mtime, value)
    return value


def asset(root: str, filename: str) -> str:
    """The hashed URL of `filename` in folder `root` (a template global). Unknown files raise: a typo in a
    template must fail its page's test, not ship a link that 404s."""
    path = _file(root, filename)
    if path is None:
        raise LookupError(f"no static file {filename!r} in {root!r}")
    stem, dot, suffix = filename.rpartition(".")
    return f"/assets/{root}/{stem}.{digest(path)}.{suffix}" if dot else f"/assets/{root}/{filename}"


def serve(root: str, filename: str) -> Response:
    """A hashed file: brotli or gzip when accepted, a year's `immutable` cache; 404 for an unknown or outdated hash."""
    match = _HASHED_NAME.match(filename)
    if match is None:
        abort(404)
    filename = match["stem"] + match["suffix"]
    path = _file(root, filename)
    if path is None or digest(path) != match["digest"]:
        abort(404)  # an old page asking for a file that changed since: never serve new bytes under the old name
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = compressed_response(path, request, kind) or Response(path.read_bytes(), mimetype=kind)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.vary.add("Accept-Encoding")
    return response


def favicon() -> Response:
    """/favicon.ico: browsers ask for it on any page that links no icon (a 404 showed as a console error on the
    admin pages, QA of fix-labels item 6); the product's SVG icon answers, cached for a day."""
    path = ROOTS["ui"] / "favicon.svg"
    response = Response(path.read_bytes(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def register(app: Flask) -> None:
    """The /assets/ route and the `asset()` template global."""
    bp = Blueprint("assets", __name__)
    bp.add_url_rule("/assets/<root>/<path:filename>", "file", serve)
    bp.add_url_rule("/favicon.ico", "favicon", favicon)
    app.register_blueprint(bp)
    app.add_template_global(asset, "asset")
