"""Colour thresholds: the colour of a figure, the checks on a setting, and which setting applies where."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from hotline.platform.wallboard import thresholds as th

from .wallboard_helpers import make_tenant


@pytest.mark.parametrize(("value", "expected"), [(None, "none"), (0, "green"), (2.9, "green"), (3, "amber"),
                                                 (7, "amber"), (8, "red"), (100, "red")])
def test_more_waiting_calls_turn_amber_then_red(value, expected) -> None:
    assert th.colour("waiting", value, th.Levels(3, 8)) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, "none"), (100, "green"), (80.1, "green"), (80, "amber"),
                                                 (60.5, "amber"), (60, "red"), (0, "red")])
def test_a_lower_service_level_turns_amber_then_red(value, expected) -> None:
    assert th.colour("service_level", value, th.Levels(80, 60)) == expected


def test_an_empty_level_is_not_used() -> None:
    assert th.colour("waiting", 50, th.Levels(None, 100)) == "green"
    assert th.colour("waiting", 50, th.Levels(10, None)) == "amber"
    assert th.colour("waiting", 50, th.Levels(None, None)) == "green"


@pytest.mark.parametrize(("metric", "amber", "red", "problem"), [
    ("waiting", 8, 3, "Amber must be below red (a higher value is worse)."),
    ("waiting", 5, 5, "Amber must be below red (a higher value is worse)."),
    ("longest_wait", -1, 10, "Levels cannot be negative."),
    ("service_level", 60, 80, "Amber must be above red (a lower value is worse)."),
    ("service_level", 120, 80, "A percentage cannot be above 100."),
    ("abandon_rate", 5, 101, "A percentage cannot be above 100."),
])
def test_inconsistent_levels_are_refused_with_the_reason(metric, amber, red, problem) -> None:
    assert th.check(metric, amber, red) == [problem]


def test_consistent_levels_pass() -> None:
    assert th.check("waiting", 3, 8) == []
    assert th.check("service_level", 90, 70) == []
    assert th.check("asa", None, 30) == []


def test_a_queue_setting_wins_over_the_tenant_wide_one_which_wins_over_the_default(db: Database) -> None:
    tenant_id = make_tenant(db)
    with db.tenant(tenant_id) as session:
        th.save(session, tenant_id, None, {"waiting": th.Levels(2, 4)}, "sup")
        th.save(session, tenant_id, "vip", {"waiting": th.Levels(1, 2)}, "sup")
    with db.tenant(tenant_id) as session:
        levels = th.load(session)
    assert levels.levels("waiting", "vip") == th.Levels(1, 2)
    assert levels.levels("waiting", "general") == th.Levels(2, 4)
    assert levels.levels("waiting") == th.Levels(2, 4)
    assert levels.levels("longest_wait", "vip") == th.DEFAULTS["longest_wait"]


def test_clearing_a_queue_setting_makes_it_follow_the_tenant_again(db: Database) -> None:
    tenant_id = make_tenant(db)
    with db.tenant(tenant_id) as session:
        th.save(session, tenant_id, "vip", {"asa": th.Levels(5, 9)}, "sup")
    with db.tenant(tenant_id) as session:
        th.save(session, tenant_id, "vip", {"asa": th.Levels(None, None)}, "sup")
    with db.tenant(tenant_id) as session:
        assert th.load(session).levels("asa", "vip") == th.DEFAULTS["asa"]


def test_saving_refuses_levels_that_fail_the_checks(db: Database) -> None:
    tenant_id = make_tenant(db)
    with pytest.raises(ValueError, match="Amber must be below red"), db.tenant(tenant_id) as session:
        th.save(session, tenant_id, None, {"waiting": th.Levels(9, 1)}, "sup")
    with db.tenant(tenant_id) as session:
        assert th.load(session).levels("waiting") == th.DEFAULTS["waiting"]


def test_one_tenants_thresholds_never_apply_to_another(db: Database) -> None:
    a, b = make_tenant(db), make_tenant(db)
    with db.tenant(a) as session:
        th.save(session, a, None, {"waiting": th.Levels(1, 2)}, "sup-a")
        th.save(session, a, "general", {"asa": th.Levels(1, 2)}, "sup-a")
    with db.tenant(b) as session:
        levels = th.load(session)
    assert levels.levels("waiting") == th.DEFAULTS["waiting"]
    assert levels.levels("asa", "general") == th.DEFAULTS["asa"]
