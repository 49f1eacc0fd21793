"""Compressed bodies of static files: brotli or gzip, whichever the browser accepts, smallest first.

The designer bundle is compressed at build time (frontend/precompress.mjs writes `<file>.br` and `<file>.gz`
beside each hashed file); files with no build step (the server-drawn pages' scripts, hashed_static.py) are
compressed on their first request and kept per process, keyed by path and modification time. Brotli on the fly
needs the `brotli` package; without it such files go out gzip (a deployment installed before it was a
dependency keeps working).
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

from flask import Request, Response

try:  # optional at run time: see the module's docstring
    import brotli as _brotli
except ImportError:  # pragma: no cover - exercised only without the package
    _brotli = None

#: Text files worth compressing (images and fonts are compressed formats already).
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map")
#: Encodings in the order they are preferred (smaller first), with the suffix of their precompressed copy.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

_cache: dict[tuple[str, str], tuple[float, bytes]] = {}
_lock = threading.Lock()


def accepted(request: Request) -> list[str]:
    """The encodings of ENCODINGS the request accepts (q > 0), in our order of preference."""
    offered = request.accept_encodings
    return [name for name, _suffix in ENCODINGS if offered[name] > 0]


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        assert _brotli is not None
        return _brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def body(path: Path, encoding: str) -> bytes | None:
    """`path` compressed with `encoding`: its precompressed copy when one is at least as new, else compressed
    once per process (level 9 / quality 11: done once, read many times); None when brotli is not installed."""
    suffix = dict(ENCODINGS)[encoding]
    mtime = path.stat().st_mtime
    ready = path.with_name(path.name + suffix)
    try:
        if ready.stat().st_mtime >= mtime:
            return ready.read_bytes()
    except FileNotFoundError:
        pass
    if encoding == "br" and _brotli is None:
        return None
    key = (str(path), encoding)
    cached = _cache.get(key)
    if cached and cached[0] == mtime:
        return cached[1]
    with _lock:
        packed = _compress(path.read_bytes(), encoding)
        _cache[key] = (mtime, packed)
    return packed


def compressed_response(path: Path, request: Request, mimetype: str) -> Response | None:
    """A response with `path`'s bytes in the best encoding the request accepts (Content-Encoding and
    `Vary: Accept-Encoding` set), or None when the file is not worth compressing or nothing fits."""
    if not path.name.endswith(COMPRESSIBLE):
        return None
    for encoding in accepted(request):
        data = body(path, encoding)
        if data is not None:
            response = Response(data, mimetype=mimetype)
            response.headers["Content-Encoding"] = encoding
            response.vary.add("Accept-Encoding")
            return response
    return None
