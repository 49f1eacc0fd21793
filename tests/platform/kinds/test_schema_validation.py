"""Schema validation and the publish check: schema first, lint only on bodies that pass it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.platform.kinds import KINDS
from hotline.platform.kinds.context import LintContext
from hotline.platform.kinds.lint import LINTERS, check, lint
from hotline.platform.kinds.validation import UnknownKindError, validate_schema

from .conftest import documents, good_body, load


@pytest.mark.parametrize("path", documents("good") + documents("bad"), ids=lambda p: f"{p.parent.parent.name}/"
                                                                                      f"{p.parent.name}/{p.stem}")
def test_fixture_documents_pass_the_schema(path: Path) -> None:
    # Bad fixtures are bad for the lint only; a schema error would stop check() before the lint runs.
    document = load(path)
    assert document["kind"] == path.parent.name
    assert validate_schema(document["kind"], document["body"]) == []


def test_every_kind_has_fixtures_and_a_linter() -> None:
    assert set(LINTERS) == set(KINDS)
    for kind in KINDS:
        assert documents("good", kind) and documents("bad", kind)


def test_check_stops_at_schema_errors(ctx: LintContext) -> None:
    # Lint would fail on a body without nodes; check must not get there.
    findings = check("ivr", {"start": "menu", "fallback": "bye"}, ctx)
    assert [(f.pointer, f.code) for f in findings] == [("", "schema")]
    assert "nodes" in findings[0].message


def test_check_adds_lint_findings_when_the_schema_passes(ctx: LintContext) -> None:
    body = good_body("ivr/express_main")
    body["nodes"]["agent"]["queue"] = "gold"
    assert [(f.pointer, f.code) for f in check("ivr", body, ctx)] == [("/nodes/agent/queue", "unknown-queue")]


@pytest.mark.parametrize(("kind", "name", "change", "pointer"), [
    ("ivr", "ivr/express_main", lambda b: b["nodes"]["bye"].update(type="dance"), "/nodes/bye/type"),
    ("ivr", "ivr/express_main", lambda b: b["nodes"]["main_menu"]["options"].update({"12": "bye"}),
     "/nodes/main_menu/options/12"),
    ("ivr", "ivr/express_main", lambda b: b["nodes"]["say_status"].update(colour="red"),
     "/nodes/say_status/colour"),
    ("form", "form/pickup", lambda b: b["statuses"][0].update(color="black"), "/statuses/0/color"),
    ("dispatch", "dispatch/express", lambda b: b["rules"][0]["actions"][0].pop("queue"), "/rules/0/actions/0"),
    ("outbound", "outbound/return_visit", lambda b: b["dialing"].update(mode="robocall"), "/dialing/mode"),
])
def test_schema_findings_point_at_the_offending_value(kind: str, name: str, change, pointer: str) -> None:
    body = good_body(name)
    change(body)
    findings = validate_schema(kind, body)
    assert pointer in [f.pointer for f in findings]
    assert all(f.severity == "error" and f.code == "schema" for f in findings)


def test_lint_of_an_unknown_kind_is_refused(ctx: LintContext) -> None:
    with pytest.raises(UnknownKindError):
        lint("webpage", {}, ctx)
    with pytest.raises(UnknownKindError):
        check("webpage", {}, ctx)


def test_lint_findings_are_sorted_by_pointer(ctx: LintContext) -> None:
    body = good_body("ivr/express_main")
    body["nodes"]["vip_queue"]["queue"] = "gold"
    body["nodes"]["agent"]["queue"] = "silver"
    pointers = [f.pointer for f in lint("ivr", body, ctx)]
    assert pointers == sorted(pointers) == ["/nodes/agent/queue", "/nodes/vip_queue/queue"]


def test_a_large_invalid_ivr_reports_exactly_its_bad_nodes() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.generate import ivr

    body = ivr(2_000)
    body["nodes"]["n0"]["bogus"] = 1
    body["nodes"]["agent"]["priority"] = 99
    found = {(f.pointer, f.message) for f in validate_schema("ivr", body)}
    assert found == {("/nodes/n0/bogus", "property 'bogus' is not allowed here"),
                     ("/nodes/agent/priority", "99 is greater than the maximum of 9")}


def test_the_fast_and_the_wording_validators_agree_on_every_fixture() -> None:
    import json
    from pathlib import Path

    from hotline.platform.kinds.validation import fast_validator, validator

    root = Path(__file__).resolve().parents[2] / "documents"
    templates = Path(__file__).resolve().parents[3] / "tenant_templates"
    fixtures = [json.loads(p.read_text()) for p in root.glob("*/*/*.json")]
    cases = [(d["kind"], d["body"]) for d in fixtures if "body" in d]
    cases += [(p.parent.name, json.loads(p.read_text())) for p in templates.glob("*/*/*.json")]
    assert len(cases) > 50
    for kind, body in cases:
        assert fast_validator(kind).is_valid(body) == validator(kind).is_valid(body), (kind, body)
