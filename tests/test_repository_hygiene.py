"""The test run leaves tracked files alone (screenshots go under an ignored folder) and the docs name no
decisions file outside the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser import SCREENSHOTS

ROOT = Path(__file__).resolve().parent.parent


def test_browser_screenshots_go_under_an_ignored_folder_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    if os.environ.get("HOTLINE_SCREENSHOTS"):
        pytest.skip("refreshing the docs' screenshots on purpose (scripts/refresh_screenshots.sh)")
    assert SCREENSHOTS == ROOT / "var" / "screenshots"
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "-q", str(SCREENSHOTS / "x.png")], cwd=ROOT)
    assert ignored.returncode == 0, "var/screenshots/ must be ignored by git"


def test_docs_and_code_name_the_projects_own_decisions_file() -> None:
    assert (ROOT / "docs" / "decisions.md").is_file()
    outside = re.compile(r"DECISIONS\.md")  # the shared notes' file; ours is docs/decisions.md (lower case)
    offenders = []
    files = [ROOT / "README.md", ROOT / "pyproject.toml", *ROOT.glob("docs/**/*.md"), *ROOT.glob("hotline/**/*.py")]
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if outside.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
