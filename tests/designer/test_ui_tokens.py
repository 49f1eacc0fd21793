"""Issue 16, item 8: one visual design. The React designer is themed by Ant Design (frontend/src/theme/), the
server-drawn pages by static/ui/hotline.css, whose --hl-* custom properties mirror antd's design tokens.
antd computes its tokens from our seed (frontend/src/theme/tokens.json) in node; every mirrored property
must equal the token of the same name, so a change on either side that the other does not follow fails."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CSS = ROOT / "static" / "ui" / "hotline.css"
#: Custom properties that are ours, not antd tokens (the dark top bar is antd Layout's component token).
OURS = {"color-bg-header"}

SCRIPT = """
const { theme } = require("antd");
const seed = require("./src/theme/tokens.json");
process.stdout.write(JSON.stringify(theme.getDesignToken({ token: seed })));
"""


def _token_name(prop: str) -> str:
    """--hl-font-size-sm → fontSizeSM (antd spells size suffixes in capitals)."""
    head, *rest = prop.split("-")
    words = [w.upper() if w in ("sm", "lg", "xs", "xl") else w.capitalize() for w in rest]
    return head + "".join(words)


def _normal(value: object) -> str:
    text = str(value)
    if isinstance(value, float):
        text = f"{value:.4f}"
    text = re.sub(r"\s+", "", text.replace("'", '"')).lower()
    text = re.sub(r"^(\d+(?:\.\d+)?)px$", r"\1", text)
    if re.fullmatch(r"\d+\.\d+", text):
        text = f"{float(text):.4f}"
    return {"#fff": "#ffffff"}.get(text, text)


@pytest.fixture(scope="module")
def antd_tokens() -> dict[str, object]:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "antd").is_dir():
        pytest.fail("needs node and frontend/node_modules (test.sh's ensure_frontend runs npm ci)")
    result = subprocess.run([node, "-e", SCRIPT], cwd=FRONTEND, capture_output=True, text=True, timeout=60,
                            check=True)
    return json.loads(result.stdout)


def test_the_server_pages_style_sheet_mirrors_antds_tokens(antd_tokens: dict[str, object]) -> None:
    properties = dict(re.findall(r"--hl-([a-z0-9-]+):\s*([^;]+);", CSS.read_text("utf-8")))
    compared, wrong = 0, []
    for prop, value in properties.items():
        if prop in OURS:
            continue
        name = _token_name(prop)
        assert name in antd_tokens, f"--hl-{prop}: antd has no token {name}"
        compared += 1
        if _normal(value) != _normal(antd_tokens[name]):
            wrong.append(f"--hl-{prop}: {value.strip()} but antd's {name} is {antd_tokens[name]}")
    assert compared >= 30 and not wrong, "\n".join(wrong)


def test_the_designer_bundle_is_themed_from_the_same_seed() -> None:
    main = (FRONTEND / "src" / "main.tsx").read_text("utf-8")
    assert "ConfigProvider theme={hotlineTheme}" in main
    assert '"antd"' in (FRONTEND / "package.json").read_text("utf-8")
