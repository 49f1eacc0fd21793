"""Every `pattern=` attribute in the server-drawn templates compiles the way current Chrome compiles it.

Chrome compiles an input's pattern as ``^(?:p)$`` with the ``v`` (unicode sets) flag, where a character
class may not hold an unescaped ``(){}/|`` nor a ``-`` that is not a range between two characters; an
invalid pattern turns the browser's check off and logs a console error (issue 16).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from .conftest import World
from .gallery.test_gallery import browser

ROOT = Path(__file__).resolve().parents[2] / "hotline"
PATTERN_ATTR = re.compile(r"""\bpattern=(["'])(.*?)\1""")
CLASS_SYNTAX = set("(){}/|")
DOUBLE_PUNCTUATORS = set("&!#$%*+,.:;<=>?@^`~")


def v_flag_error(pattern: str) -> str | None:
    """Why `pattern` is invalid as a JavaScript RegExp with the `v` flag inside classes, or None."""
    i, depth = 0, 0
    prev_atom = False  # whether the previous class item was a single character (a range may follow)
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            prev_atom = True
            continue
        if depth == 0:
            if c == "[":
                depth, prev_atom = 1, False
                if pattern[i + 1:i + 2] == "^":
                    i += 1
            i += 1
            continue
        if c == "[":
            depth += 1
            prev_atom = False
        elif c == "]":
            depth -= 1
            prev_atom = False
        elif c in CLASS_SYNTAX:
            return f"unescaped {c!r} in a character class at {i}"
        elif c == "-":
            nxt = pattern[i + 1:i + 2]
            if nxt == "-":
                i += 2
                prev_atom = False
                continue
            if not prev_atom or nxt in ("", "]", "["):
                return f"unescaped '-' that is not a range at {i}"
            i += 2 if nxt != "\\" else 3
            prev_atom = False
            continue
        elif c in DOUBLE_PUNCTUATORS and pattern[i + 1:i + 2] == c:
            return f"reserved double punctuator {c * 2!r} at {i}"
        else:
            prev_atom = True
        i += 1
    return None


def template_patterns() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        for m in PATTERN_ATTR.finditer(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), m.group(2)))
    return found


def test_the_checker_refuses_what_chrome_refuses() -> None:
    assert v_flag_error("[a-z][a-z0-9_-]{1,63}") is not None
    assert v_flag_error("[a-z(]") is not None
    assert v_flag_error("[a-z][a-z0-9_\\-]{1,63}") is None
    assert v_flag_error("[A-Za-z_][A-Za-z0-9_\\-]{0,63}") is None


def test_templates_have_patterns() -> None:
    assert len(template_patterns()) >= 2


@pytest.mark.parametrize(("where", "pattern"), template_patterns())
def test_every_template_pattern_is_valid_with_the_v_flag(where: str, pattern: str) -> None:
    assert v_flag_error(pattern) is None, f"{where}: {pattern}: {v_flag_error(pattern)}"
    re.compile(f"^(?:{pattern})$")


def test_the_rendered_tenant_slug_pattern_is_valid_with_the_v_flag(app: Flask, world: World) -> None:
    """The gallery's slug input takes its pattern from the form class, so check the page as served."""
    html = browser(app, world.operator).get("/templates/express_delivery").get_data(as_text=True)
    slug = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
    pattern = PATTERN_ATTR.search(slug).group(2)
    assert v_flag_error(pattern) is None, pattern
    assert re.fullmatch(pattern, "acme_01") and not re.fullmatch(pattern, "Acme")
