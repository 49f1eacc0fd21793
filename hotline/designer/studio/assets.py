"""The designer's built front end: where Vite put it, which files a page needs, and serving them.

`npm run build` in frontend/ writes hashed files and `.vite/manifest.json` into the repository's top-level
`static/designer/`. Pages read the manifest (cached until the file changes) to emit the entry's tags; the
hashed files never change under their names, so they are served with a year-long cache.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import Response, abort, request, send_from_directory
from werkzeug.security import safe_join

from ..compression import compressed_response

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


def serve(filename: str) -> Response:
    """A built file; hashed ones (under assets/) cached for a year, anything else revalidated.

    Hashed text files go out brotli- or gzip-compressed to clients that accept it (precompressed at build time:
    ../compression.py), with `Vary: Accept-Encoding` so a shared cache keeps each encoding apart.
    """
    if filename.startswith(".") or "/." in filename:
        abort(404)  # the manifest and build stamp are for the server, not for browsers
    hashed = filename.startswith("assets/")
    path = safe_join(str(DESIGNER_DIR), filename)
    response = None
    if hashed and path is not None and Path(path).is_file():
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = compressed_response(Path(path), request, kind)
    if response is None:
        response = send_from_directory(DESIGNER_DIR, filename, max_age=YEAR if hashed else 0)
    if hashed:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        response.vary.add("Accept-Encoding")
    return response
