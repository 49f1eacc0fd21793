"""The designer's built front end: where Vite put it, which files a page needs, and serving them.

`npm run build` in frontend/ writes hashed files and `.vite/manifest.json` into the repository's top-level
`static/designer/`. Pages read the manifest (cached until the file changes) to emit the entry's tags; the
hashed files never change under their names, so they are served with a year-long cache.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, request, send_from_directory
from werkzeug.security import safe_join

#: The repository's top-level static/ folder (hotline/designer/studio/ → three levels up).
STATIC_ROOT = Path(__file__).resolve().parents[3] / "static"
DESIGNER_DIR = STATIC_ROOT / "designer"
MANIFEST = DESIGNER_DIR / ".vite" / "manifest.json"
ENTRY = "src/main.tsx"
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class EntryAssets:
    """URLs of the entry's script and style sheets, as the page links them."""

    script: str
    styles: tuple[str, ...]
    preloads: tuple[str, ...]


_cache: dict[str, tuple[float, EntryAssets | None]] = {}


def entry_assets(manifest: Path = MANIFEST, entry_name: str = ENTRY) -> EntryAssets | None:
    """The entry's assets from the manifest, or None when the front end has not been built."""
    try:
        mtime = manifest.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(f"{manifest}|{entry_name}")
    if cached and cached[0] == mtime:
        return cached[1]
    data = json.loads(manifest.read_text("utf-8"))
    entry = data.get(entry_name)
    assets = None
    if entry:
        base = "/static/designer/"
        imports = tuple(base + data[name]["file"] for name in entry.get("imports", []) if name in data)
        styles = list(entry.get("css", []))
        for name in entry.get("imports", []):
            styles.extend(data.get(name, {}).get("css", []))
        assets = EntryAssets(base + entry["file"], tuple(base + css for css in styles), imports)
    _cache[f"{manifest}|{entry_name}"] = (mtime, assets)
    return assets


#: Text files worth compressing; a hashed one is compressed once per process (its name never changes content).
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map")
_gzipped: dict[str, tuple[float, bytes]] = {}
_gzip_lock = threading.Lock()


def _gzip_of(path: Path) -> bytes:
    """The file gzip-compressed, cached by path and modification time (level 9: done once, read many times)."""
    mtime = path.stat().st_mtime
    key = str(path)
    cached = _gzipped.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    with _gzip_lock:
        packed = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        _gzipped[key] = (mtime, packed)
    return packed


def serve(filename: str) -> Response:
    """A built file; hashed ones (under assets/) cached for a year, anything else revalidated.

    Hashed text files go out gzip-compressed to clients that accept it (the designer bundle: ~1 MB raw,
    ~0.34 MB gzip), with `Vary: Accept-Encoding` so a shared cache keeps both.
    """
    if filename.startswith(".") or "/." in filename:
        abort(404)  # the manifest and build stamp are for the server, not for browsers
    hashed = filename.startswith("assets/")
    path = safe_join(str(DESIGNER_DIR), filename)
    if (hashed and path is not None and filename.endswith(COMPRESSIBLE) and Path(path).is_file()
            and "gzip" in request.headers.get("Accept-Encoding", "").lower()):
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = Response(_gzip_of(Path(path)), mimetype=kind)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = send_from_directory(DESIGNER_DIR, filename, max_age=YEAR if hashed else 0)
    if hashed:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        response.vary.add("Accept-Encoding")
    return response
