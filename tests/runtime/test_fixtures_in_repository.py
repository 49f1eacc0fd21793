"""Tests must pass from a clone on its own: the recorded FreeSWITCH transcripts live in the repository,
and no test reads a file by an absolute path outside it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.runtime.simswitch_helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def test_the_transcripts_are_read_from_the_repository() -> None:
    assert FIXTURES.is_relative_to(ROOT / "tests" / "fixtures")
    assert sorted(p.name for p in FIXTURES.glob("*.jsonl")), "no transcript in tests/fixtures/freeswitch-esl"


def test_no_test_names_the_shared_folder_outside_the_repository() -> None:
    # the machine's shared folder, spelt in pieces so this file does not name it itself
    outside = re.compile(r"""["']/""" + "wo" + r"""rk/""")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")
                 if p.name != Path(__file__).name and outside.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"tests reading an absolute path outside the repository: {offenders}"
