"""Bytes a first visit to the server-drawn pages downloads: each page's own scripts and style sheets (the
shared static/ui/ shell, the desk's, the wallboard's, …) raw and as served gzip-compressed (hashed_static.py,
level 9), and the designer bundle's entry for comparison. Prints figures; never fails.

    python bench/server_page_bytes.py
Goal (issue 16, item 7): every text asset compressed, long-lived cache headers, hashed names.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.designer.hashed_static import ROOTS  # noqa: E402
from hotline.designer.studio.assets import entry_assets  # noqa: E402

#: What each page links (its templates' asset() calls), besides the shell's style sheet and script.
PAGES = {
    "desk": [("desk", "desk.css"), ("desk", "timer.js"), ("desk", "desk.js")],
    "ticket": [("desk", "desk.css"), ("desk", "ticket.js")],
    "records": [("records", "records.css"), ("records", "records.js")],
    "wallboard": [("wallboard", "wallboard.css"), ("wallboard", "wallboard.js")],
    "campaign": [("campaigns", "progress.js")],
}
SHELL = [("ui", "hotline.css"), ("ui", "shell.js"), ("ui", "favicon.svg")]


def sizes(files: list[tuple[str, str]]) -> tuple[int, int]:
    raw = packed = 0
    for root, name in files:
        data = (ROOTS[root] / name).read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, compresslevel=9, mtime=0))
    return raw, packed


def main() -> None:
    print(f"{'page':<12}{'raw bytes':>12}{'gzip bytes':>12}")
    for page, files in PAGES.items():
        raw, packed = sizes(SHELL + files)
        print(f"{page:<12}{raw:>12,}{packed:>12,}")
    assets = entry_assets()
    if assets is None:
        print("designer bundle: not built (npm run build in frontend/)")
        return
    files = [ROOT / url.lstrip("/") for url in (assets.script, *assets.styles, *assets.preloads)]
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), compresslevel=9, mtime=0)) for f in files)
    print(f"{'designer':<12}{raw:>12,}{packed:>12,}")


if __name__ == "__main__":
    main()
