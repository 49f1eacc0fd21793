"""A small tenant for lint tests: the names good documents refer to and bad ones miss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hotline.platform.kinds.context import FormInfo, LintContext

DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"

PICKUP_FIELDS = frozenset({"address", "phone", "pickup_time", "parcel", "weight", "extras", "fragile", "courier",
                           "courier_phone", "note"})
COMPLAINT_FIELDS = frozenset({"waybill", "phone", "content", "severity", "result"})
STATUSES = frozenset({"pending", "processing", "done"})


def tenant_context() -> LintContext:
    """The express-delivery tenant every fixture document is linted against."""
    return LintContext(
        forms={"pickup": FormInfo(PICKUP_FIELDS, STATUSES),
               "complaint": FormInfo(COMPLAINT_FIELDS, STATUSES | {"closed"})},
        queues={"general", "vip"},
        scripts={"return_visit"},
        directories={"couriers"},
        prompts={"welcome"},
        tables={"waybills"},
        skills={"mandarin", "cantonese", "complaints"},
        allowed_transfer_numbers=["95338", "400*"],
        has_calendar=True,
    )


@pytest.fixture
def ctx() -> LintContext:
    return tenant_context()


def documents(quality: str, kind: str | None = None) -> list[Path]:
    """Fixture files under tests/documents/<quality>/<kind>/, sorted for stable test ids."""
    pattern = f"{kind}/*.json" if kind else "*/*.json"
    return sorted((DOCUMENTS / quality).glob(pattern))


def load(path: Path) -> dict[str, Any]:
    """A fixture document; a 'source' string (raw body text) stands for the body when present."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if "source" in document:
        document["body"] = json.loads(document["source"])
    return document


def good_body(name: str) -> dict[str, Any]:
    """A fresh copy of a good fixture's body, to mutate in a test."""
    kind, stem = name.split("/")
    return load(DOCUMENTS / "good" / kind / f"{stem}.json")["body"]


def context_for(document: dict[str, Any]) -> LintContext:
    """The tenant context, with the fixture's 'context' overrides (e.g. {"has_calendar": false})."""
    ctx = tenant_context()
    for name, value in document.get("context", {}).items():
        setattr(ctx, name, value)
    return ctx


def assert_expected_findings(path: Path) -> None:
    """Every finding a bad fixture expects appears, at its exact pointer, with its code and severity."""
    from hotline.platform.kinds.lint import check

    document = load(path)
    findings = check(document["kind"], document["body"], context_for(document), document.get("source"))
    got = {(f.pointer, f.code, f.severity) for f in findings}
    missing = [x for x in document["expect"] if (x["pointer"], x["code"], x["severity"]) not in got]
    assert not missing, f"{path.name}: missing {missing}; got:\n" + "\n".join(map(str, findings))
    assert all(f.message.strip() for f in findings)


def assert_clean(path: Path) -> None:
    """A good fixture passes the schema and lints without errors or warnings."""
    from hotline.platform.kinds.lint import check

    document = load(path)
    findings = check(document["kind"], document["body"], context_for(document))
    assert findings == [], f"{path.name}:\n" + "\n".join(map(str, findings))
