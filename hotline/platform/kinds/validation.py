"""Schema validation of document bodies against the shipped Draft 2020-12 schemas.

Two validators per kind, each built once: `jsonschema-rs` answers "valid?" fast (a 1,000-node IVR in
~5 ms instead of ~1.4 s with the pure-Python validator, which made publishing large IVRs slow), and only
when the answer is no does the pure-Python `jsonschema` walk the errors to word findings for analysts
with exact JSON Pointers. Both are correct on Draft 2020-12 (DECISIONS.md); tests check they agree.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from ..findings import Finding, pointer
from . import KINDS


class UnknownKindError(ValueError):
    pass


def schema_text(kind: str) -> str:
    """The raw schema file of a kind (also served to the designer)."""
    _check_kind(kind)
    return resources.files(__package__).joinpath(kind, "schema.json").read_text(encoding="utf-8")


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise UnknownKindError(f"unknown document kind {kind!r}: expected one of {', '.join(KINDS)}")


@cache
def _common() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("common.schema.json").read_text("utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resources([(_common()["$id"], Resource.from_contents(_common()))])


@cache
def fast_validator(kind: str) -> Any:
    """The jsonschema-rs validator of a kind: the yes/no fast path."""
    registry = jsonschema_rs.Registry([(_common()["$id"], _common())])
    return jsonschema_rs.validator_for(schema(kind), registry=registry, validate_formats=True)


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads(schema_text(kind))


@cache
def validator(kind: str) -> Draft202012Validator:
    """The reusable validator of a kind."""
    return Draft202012Validator(schema(kind), registry=_registry(), format_checker=FormatChecker())


def _findings(err: ValidationError) -> list[Finding]:
    """Turns one schema error into findings worded for analysts, at the most precise pointer."""
    at = pointer(*err.absolute_path)
    if err.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {})) if isinstance(err.schema, dict) else set()
        extra = [k for k in err.instance if k not in allowed] if allowed else []
        if err.validator == "unevaluatedProperties":
            extra = [k for k in err.instance if repr(k) in err.message]
        if extra:
            return [Finding(at + pointer(k), "error", f"property {k!r} is not allowed here", "schema")
                    for k in extra]
    if "propertyNames" in err.absolute_schema_path and isinstance(err.instance, str):
        return [Finding(at + pointer(err.instance), "error",
                        f"{err.instance!r} is not allowed as a key here ({err.message})", "schema")]
    if err.validator == "required":
        name = err.message.split("'")[1] if "'" in err.message else err.message
        return [Finding(at, "error", f"missing required property {name!r}", "schema")]
    if err.validator in ("oneOf", "anyOf") and err.context:
        missing = [c.message.split("'")[1] for c in err.context if c.validator == "required"]
        if len(missing) == len(err.context) and missing:
            return [Finding(at, "error", "needs one of: " + ", ".join(missing), "schema")]
        # Report the branch the author meant: the one whose required keys are all present.
        branches: dict[object, list[ValidationError]] = {}
        for c in err.context:
            branches.setdefault(c.relative_schema_path[0] if c.relative_schema_path else None, []).append(c)
        meant = [errs for errs in branches.values() if not any(c.validator == "required" for c in errs)]
        if len(meant) == 1:
            return [f for c in meant[0] for f in _findings(c)]
        return _findings(best_match(err.context))
    return [Finding(at, "error", err.message, "schema")]


def _only_failing_nodes(fast: Any, body: Any) -> Any:
    """The body with only the IVR nodes jsonschema-rs found errors in (pointers stay the same).

    Wording findings with the pure-Python validator costs ~1 ms per node; a 10,000-node upload with one
    bad node must not take 15 s to explain.
    """
    nodes = body.get("nodes") if isinstance(body, dict) else None
    if not isinstance(nodes, dict) or len(nodes) < 100:
        return body
    failing = {err.instance_path[1] for err in fast.iter_errors(body)
               if len(err.instance_path) >= 2 and err.instance_path[0] == "nodes"}
    return {**body, "nodes": {key: nodes[key] for key in nodes if key in failing} or nodes}


def validate_schema(kind: str, body: Any) -> list[Finding]:
    """Schema findings for a body, each at the JSON Pointer of the offending value."""
    _check_kind(kind)
    fast = fast_validator(kind)
    if fast.is_valid(body):
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for err in validator(kind).iter_errors(_only_failing_nodes(fast, body)):
        for finding in _findings(err):
            if (finding.pointer, finding.message) not in seen:
                seen.add((finding.pointer, finding.message))
                findings.append(finding)
    findings.sort(key=lambda f: f.pointer)
    return findings
