"""Sign-in throttling: after the allowed failures each attempt waits, doubling; per account and per address."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from flask import Flask

from hotline.designer.redis_access import SETTINGS
from hotline.designer.sessions import CLOCK
from hotline.platform.db import Database

from ..conftest import PASSWORD, Api, World, make_user


def frozen(app: Flask) -> list[datetime]:
    moment = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    app.extensions[CLOCK] = lambda: moment[0]
    return moment


def test_sixty_wrong_passwords_are_refused_after_the_threshold(app: Flask, db: Database) -> None:
    moment = frozen(app)
    username = make_user(db)
    api = Api(app.test_client())
    statuses = [api.login(username, password=f"wrong guess {i}").status_code for i in range(60)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 55
    refused = api.login(username)  # even the right password waits: it is not checked while backing off
    assert refused.status_code == 429
    assert "wait 30 seconds" in refused.get_json()["error"]
    assert refused.headers["Retry-After"] == "30"
    moment[0] += timedelta(seconds=31)
    assert api.login(username).status_code == 200


def test_the_wait_doubles_with_each_further_failure(app: Flask, db: Database) -> None:
    moment = frozen(app)
    username = make_user(db)
    api = Api(app.test_client())
    for i in range(5):
        assert api.login(username, password=f"nope {i}").status_code == 401
    moment[0] += timedelta(seconds=31)
    assert api.login(username, password="nope again").status_code == 401  # checked, wrong: 60 s now
    moment[0] += timedelta(seconds=45)
    assert api.login(username).status_code == 429
    moment[0] += timedelta(seconds=16)
    assert api.login(username).status_code == 200


def test_the_login_page_shows_the_wait(app: Flask, db: Database) -> None:
    frozen(app)
    username = make_user(db)
    client = app.test_client()
    client.get("/login")
    token = client.get("/api/session").get_json()["csrf_token"]
    for i in range(5):
        page = client.post("/login", data={"username": username, "password": f"bad {i}", "csrf_token": token})
        assert page.status_code == 401
    page = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert page.status_code == 429 and page.headers["Retry-After"] == "30"
    assert "请等待 30 秒后再试" in page.get_data(as_text=True)


def test_one_address_guessing_at_many_accounts_is_throttled(app: Flask, db: Database, world: World) -> None:
    frozen(app)
    # 2 failures per account, so 20 different usernames per address (a call center shares one NAT address)
    app.extensions[SETTINGS] = dataclasses.replace(app.extensions[SETTINGS], limits_login_failures=2)
    api = Api(app.test_client())
    statuses = [api.login(f"nobody{i}", password="guessing").status_code for i in range(24)]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    # A real account that never signed in from this address waits too, even with its right password.
    assert api.login(world.agent_a, world.tenant_a).status_code == 429
    other = Api(app.test_client())
    other.client.environ_base["REMOTE_ADDR"] = "10.1.2.3"  # another address is not held back
    assert other.login(world.analyst_a, world.tenant_a).status_code == 200


def test_a_locked_account_does_not_lock_others(app: Flask, db: Database, world: World) -> None:
    frozen(app)
    victim = make_user(db)
    api = Api(app.test_client())
    for i in range(6):
        api.login(victim, password=f"bad {i}")
    assert Api(app.test_client()).login(world.agent_a, world.tenant_a).status_code == 200


def test_a_busy_office_address_still_lets_its_agents_sign_in(app: Flask, db: Database, world: World) -> None:
    """One NAT address for a whole floor: one agent's many typos, or the address being throttled for
    spraying, must not keep the floor's agents (who signed in from there before) out."""
    frozen(app)
    app.extensions[SETTINGS] = dataclasses.replace(app.extensions[SETTINGS], limits_login_failures=2)
    floor = Api(app.test_client())
    regulars = [world.agent_a, world.supervisor_a, world.admin_a]
    for username in regulars:  # yesterday's sign-ins from the office
        assert floor.login(username, world.tenant_a).status_code == 200
    clumsy = make_user(db)
    for i in range(30):  # one agent mistyping over and over: only that account backs off
        floor.login(clumsy, password=f"typo {i}")
    newcomer = make_user(db)
    assert floor.login(newcomer).status_code == 200  # the address is not throttled by one account's typos
    for i in range(25):  # now the address guesses at many accounts: it is throttled ...
        floor.login(f"sprayed{i}", password="Summer2026!")
    assert floor.login(make_user(db)).status_code == 429
    assert floor.login("sprayed99", password="Summer2026!").status_code == 429
    for username in regulars:  # ... but the floor's agents still get in with their passwords
        assert floor.login(username, world.tenant_a).status_code == 200
    assert floor.login(world.agent_a, world.tenant_a, password="wrong").status_code == 401  # checked, wrong
    assert floor.login(clumsy).status_code == 429  # and a locked account stays locked
