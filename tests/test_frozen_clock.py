"""The shared frozen_clock fixture moves "now" only for the tests that ask for it (directly or through a fixture):
a test of the same module that does not ask runs on the real clock (issue 13, 13c #5: the module-scoped travel
leaked, and a test signed in at 03:30 was found expired at 10:30)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

MODULE = '''
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.conftest import CLOCK_INSTANTS

FROZEN = set(CLOCK_INSTANTS.values())


def _near_an_instant() -> bool:
    now = datetime.now(UTC)
    return any(abs(now - instant) < timedelta(minutes=5) for instant in FROZEN)


def _on_the_real_clock() -> bool:
    real = time_machine.escape_hatch.time.time() if time_machine.escape_hatch.is_travelling() else time.time()
    return abs(time.time() - real) < 60


@pytest.fixture(scope="module")
def built_at(frozen_clock):
    return datetime.now(UTC)


def test_asks_for_the_clock(frozen_clock):
    assert abs(datetime.now(UTC) - frozen_clock) < timedelta(minutes=5)


def test_asks_through_a_module_fixture(built_at):
    assert _near_an_instant() and datetime.now(UTC) >= built_at


def test_does_not_ask():
    assert _on_the_real_clock(), datetime.now(UTC)
'''


def test_the_frozen_clock_moves_only_the_tests_that_ask_for_it(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from tests.conftest import _real_clock_unless_asked, frozen_clock  # noqa: F401\n")
    pytester.makepyfile(test_clock_users=MODULE)
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=7)
