"""Reading and writing document files: `<folder>/<kind>/<name>.json` holding one document body.

The same layout serves the industry templates and a tenant's import/export, so a tenant's export can be
edited by hand and imported back, or turned into a template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .findings import Finding
from .kinds import KINDS
from .services.errors import InvalidDocument
from .words import kind_label, language, word_list


def read_json(path: Path) -> tuple[Any, str]:
    """Parses a JSON file; a syntax error names the file, line, column and reason."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidDocument(f"{path}: file not found", []) from None
    except UnicodeDecodeError as exc:
        raise InvalidDocument(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})", []) from None
    try:
        return json.loads(source), source
    except json.JSONDecodeError as exc:
        raise InvalidDocument(f"{path}: malformed JSON", [Finding(
            "", "error", f"line {exc.lineno}, column {exc.colno}: {exc.msg}", "malformed-json")]) from None


def kind_of(path: Path, kind: str | None = None, locale: str | None = None) -> str:
    """The document kind of a file: given explicitly, or the name of its folder. A file outside a kind's folder
    is refused in the reader's language, naming the file and the kinds by label with their folder names
    (`hotline validate --lang zh` printed "'' is not a document kind…" in English: QA of fix-labels item 4)."""
    kind = kind or path.parent.name
    if kind not in KINDS:
        zh = language(locale) == "zh"
        folders = word_list((f"{kind_label(k, locale)}（{k}/）" if zh else f"{kind_label(k, locale)} ({k}/)"
                             for k in KINDS), locale)
        if zh:
            head = f"{path}：无法判断文档类型"
            where = f"（文件夹「{kind}」不是文档类型）" if kind else ""
            said = (f"文件 {path} 不在以文档类型命名的文件夹中{where}；"
                    f"请把文件放进对应类型的文件夹：{folders}，或用 --kind 指明类型")
        else:
            head = f"{path}: cannot tell the document kind"
            where = f"{kind!r} is not a document kind: " if kind else ""
            said = (f"{where}the file {path} is not in a folder named after its kind; put it in the folder of its "
                    f"kind: {folders}, or name the kind with --kind")
        raise InvalidDocument(head, [Finding("", "error", said, "wrong-kind")])
    return kind


def iter_document_files(folder: Path) -> list[tuple[str, str, Path]]:
    """(kind, name, path) of every document file under a folder, in a stable order."""
    found = []
    for kind in KINDS:
        for path in sorted((folder / kind).glob("*.json")):
            found.append((kind, path.stem, path))
    return found


def write_document(folder: Path, kind: str, name: str, body: dict[str, Any]) -> Path:
    path = folder / kind / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
