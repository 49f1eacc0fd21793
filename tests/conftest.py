"""Shared fixtures: real databases (SQLite and PostgreSQL), one throwaway database per test module.

PostgreSQL tests need the server at 127.0.0.1:5432 (the test set-up starts it); they skip, saying why,
only when no server answers there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hotline.platform import schema_migrations
from hotline.platform.db import Database

POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Under pytest-xdist (test.sh runs the suite on every CPU) each worker process gets its own Redis database,
# 15 for gw0, 14 for gw1…: the ACD's keys and RQ's queues are named alike in every module's tenants. Set before
# any test module reads the variable (tests/runtime/acd_helpers.py does at import).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and "HOTLINE_TEST_REDIS_URL" not in os.environ:
    os.environ["HOTLINE_TEST_REDIS_URL"] = f"redis://127.0.0.1:6379/{15 - int(_WORKER[2:]) % 8}"
REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The tests' webhooks and gateways listen on this machine, which the SSRF guard refuses by default
# (url_guard.py); operators allow internal hosts the same way. Worker processes inherit it.
os.environ.setdefault("HOTLINE_URL_ALLOW", "localhost,127.0.0.0/8,::1/128")

pytest_plugins = ["tests.browser", "tests.jobs_support"]


def _postgres_admin():  # returns an Engine
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:  # any failure means the server is not usable
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc.__class__.__name__}")
    return engine


#: The secret key the test databases seal provider secrets with (the designer's apps use their own key for
#: cookies; the database keeps this one, as a worker process would with the same settings).
TEST_DATABASE_SECRET_KEY = "test-database-secret-key-0123456789-abcdefgh"


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    """One database migrated to head per test process, copied for each module (CREATE DATABASE … TEMPLATE).

    Copying a migrated database takes a fraction of a second where running the migrations takes seconds; with
    some 150 modules on two back ends, migrating each one was a large share of the suite's time.
    """
    admin = _postgres_admin()
    name = f"hotline_tpl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    template = Database(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    template.use_secret_key(TEST_DATABASE_SECRET_KEY)
    try:
        schema_migrations.upgrade(template)
        template.dispose()  # a template database must have no open connection while it is copied
        yield name
    finally:
        template.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def postgres_database(_postgres_template: str) -> Iterator[Database]:
    """A fresh PostgreSQL database for one test module, at the migrations' head, dropped afterwards."""
    admin = _postgres_admin()
    name = f"hotline_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_template}"'))
    db = Database(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    db.use_secret_key(TEST_DATABASE_SECRET_KEY)  # provider secrets are sealed with it (platform/secret_box.py)
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per test process; each module gets a copy (see _postgres_template)."""
    path: Path = tmp_path_factory.mktemp("template") / "hotline.sqlite3"
    template = Database(f"sqlite:///{path}")
    template.use_secret_key(TEST_DATABASE_SECRET_KEY)
    schema_migrations.upgrade(template)
    template.dispose()
    return path


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Iterator[Database]:
    """A fresh SQLite file for one test module, at the migrations' head."""
    path: Path = tmp_path_factory.mktemp("db") / "hotline.sqlite3"
    shutil.copyfile(_sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    db.use_secret_key(TEST_DATABASE_SECRET_KEY)
    yield db
    db.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same tests on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_database")


#: The instants the time-sensitive tests run at, chosen for the demo tenants' zone (Asia/Shanghai, UTC+8) and its
#: 09:00-18:00 business hours: deep night (work done "5 hours ago" is yesterday and out of hours), the middle of a
#: business day, and two minutes before local midnight (a "today" that is about to end). Wednesday 2026-03-11 is an
#: ordinary working day in the templates' calendars.
CLOCK_INSTANTS: dict[str, datetime] = {
    "night": datetime(2026, 3, 10, 19, 30, tzinfo=UTC),  # 03:30 Wednesday in Shanghai
    "business_hours": datetime(2026, 3, 11, 2, 30, tzinfo=UTC),  # 10:30 Wednesday in Shanghai
    "before_midnight": datetime(2026, 3, 11, 15, 58, tzinfo=UTC),  # 23:58 Wednesday in Shanghai
}


@pytest.fixture(scope="module", params=list(CLOCK_INSTANTS))
def frozen_clock(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Moves "now" to each of CLOCK_INSTANTS in turn for a whole test module, so a test that depends on the time
    of day passes at any hour the suite runs, and is run at night, in business hours and just before midnight.

    The clock starts at the instant and then runs (tick=True): timeouts and polling still see time pass, and rows
    written a moment apart keep their order. Module-scoped fixtures that build data "relative to now" must request
    this fixture, so they are rebuilt for each instant.
    """
    instant = CLOCK_INSTANTS[request.param]
    with time_machine.travel(instant, tick=True):
        _FROZEN_CLOCKS.append(instant)
        try:
            yield instant
        finally:
            _FROZEN_CLOCKS.pop()


#: frozen_clock's instants in force (a module's): only that travel is escaped for tests that did not ask for it; a
#: module's own traveller (a seed day's clock it shifts) is the test's clock and is left alone.
_FROZEN_CLOCKS: list[datetime] = []


@pytest.fixture(autouse=True)
def _real_clock_unless_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that does not ask for frozen_clock (itself or through a fixture) runs on the real clock.

    frozen_clock's travel lasts as long as the module fixture, so without this a test placed after one that asked
    ran at that instant as well, silently: a test signed in at 03:30 and was expired at 10:30 (issue 13, 13c #5).
    The real clock is a nested travel to the real time, so the module's own instant keeps running underneath
    (rows written under it stay in order) and comes back for the next test that asks. A module-scoped fixture that
    does not ask but is first built while another test's travel holds is still built at that instant: a fixture
    whose data depends on "now" must ask for frozen_clock (as the fixture's docstring says).
    """
    if "frozen_clock" in request.fixturenames or not _FROZEN_CLOCKS:
        yield
        return
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        yield


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Unique names, so tests sharing a module's database never depend on each other."""
    return lambda prefix="t": f"{prefix}{uuid.uuid4().hex[:8]}"


#: Folders whose tests wait on real processes (the runtime against the simulator, the CLI's stacks) with timed
#: waits: test.sh runs them in one process with the browser tests, not beside another worker.
SERIAL_FOLDERS = ("runtime", "cli")


def _postgres_reachable() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # any failure means the server is not usable
        return False


def _is_browser_test(item: pytest.Item) -> bool:
    return "chromium" in getattr(item, "fixturenames", ()) or item.get_closest_marker("browser") is not None


@pytest.hookimpl(tryfirst=True)  # before `-m` selects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks `serial` the tests test.sh keeps out of its parallel phase: browser tests and SERIAL_FOLDERS.

    A browser test checks what a person sees and does; the database under the page is covered on both engines by
    the page and API tests of the parallel phase. So a browser test runs on PostgreSQL (the production database)
    and not a second time on SQLite, unless marked `both_databases` (the embedded default's smoke tests) or
    PostgreSQL is not reachable here: that halves the serial phase, CI's longest.
    """
    tests_root = Path(__file__).resolve().parent
    postgres: bool | None = None
    kept, dropped = [], []
    for item in items:
        try:
            top = Path(str(item.path)).resolve().relative_to(tests_root).parts[0]
        except ValueError:
            top = ""
        browser = _is_browser_test(item)
        if top in SERIAL_FOLDERS or browser:
            item.add_marker(pytest.mark.serial)
        callspec = getattr(item, "callspec", None)
        if browser and callspec is not None and callspec.params.get("db") == "sqlite" \
                and item.get_closest_marker("both_databases") is None:
            if postgres is None:
                postgres = _postgres_reachable()
            if postgres:
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

