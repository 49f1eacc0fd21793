"""The designer's built front end: where Vite put it, which files a page needs, and serving them.

`npm run build` in frontend/ writes hashed files and `.vite/manifest.json` into the repository's top-level
`static/designer/`. Pages read the manifest (cached until the file changes) to emit the entry's tags; the
hashed files never change under their names, so they are served with a year-long cache. A document page also
preloads its kind's editor chunk, which the entry would otherwise ask for only once it has run.
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
#: The module each kind's page loads after the entry (frontend/src/shell/DocumentPage.tsx editorFor; a kind
#: without its own editor gets the generic form).
KIND_CHUNKS = {"ivr": "src/ivr/IvrDesigner.tsx", "form": "src/editors/form/FormEditor.tsx",
               "dispatch": "src/editors/dispatch/DispatchEditor.tsx",
               "outbound": "src/editors/outbound/OutboundEditor.tsx"}
GENERIC_CHUNK = "src/shell/GenericEditor.tsx"


@dataclass(frozen=True)
class EntryAssets:
    """URLs of the entry's script and style sheets, as the page links them."""

    script: str
    styles: tuple[str, ...]
    preloads: tuple[str, ...]


_cache: dict[str, tuple[float, EntryAssets | None]] = {}


def _static_imports(data: dict, name: str, seen: list[str]) -> list[str]:
    """`name` and the chunks it imports statically, recursively, each once (what the browser fetches for it)."""
    if name in data and name not in seen:
        seen.append(name)
        for imported in data[name].get("imports", []):
            _static_imports(data, imported, seen)
    return seen


def entry_assets(manifest: Path = MANIFEST, entry_name: str = ENTRY, kind: str | None = None) -> EntryAssets | None:
    """The entry's assets from the manifest, or None when the front end has not been built.

    With `kind`, the preloads also name that kind's editor chunk and its imports: the entry imports the editor
    only once it has run, so without them the editor's download waited on the entry's (a waterfall of ~0.1–0.3 s
    before the IVR canvas could draw, issue 16: bench/designer_pages.py --browser, request timeline)."""
    try:
        mtime = manifest.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(f"{manifest}|{entry_name}|{kind}")
    if cached and cached[0] == mtime:
        return cached[1]
    data = json.loads(manifest.read_text("utf-8"))
    entry = data.get(entry_name)
    assets = None
    if entry:
        base = "/static/designer/"
        names = [name for name in entry.get("imports", []) if name in data]
        if kind is not None:
            editor = KIND_CHUNKS.get(kind, GENERIC_CHUNK)
            names += [name for name in _static_imports(data, editor, [entry_name])[1:] if name not in names]
        imports = tuple(base + data[name]["file"] for name in names)
        styles = list(entry.get("css", []))
        for name in entry.get("imports", []):
            styles.extend(data.get(name, {}).get("css", []))
        assets = EntryAssets(base + entry["file"], tuple(base + css for css in styles), imports)
    _cache[f"{manifest}|{entry_name}|{kind}"] = (mtime, assets)
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
