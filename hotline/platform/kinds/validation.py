"""Schema validation of document bodies against the shipped Draft 2020-12 schemas.

Two validators per kind, each built once: `jsonschema-rs` answers "valid?" fast (a 1,000-node IVR in
~5 ms instead of ~1.4 s with the pure-Python validator, which made publishing large IVRs slow), and only
when the answer is no does the pure-Python `jsonschema` walk the errors to word findings for analysts
with exact JSON Pointers. Both are correct on Draft 2020-12 (docs/decisions.md); tests check they agree.

Neither sees a body before limits.check_limits has bounded it (size, depth, counts, text), and the
wording pass stops after MAX_FINDINGS: any document an analyst can type gets findings, never an
exception, in time linear in its size (issue 10).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from itertools import islice
from typing import Any
from urllib.parse import urljoin

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import extend
from referencing import Registry, Resource

from ..findings import Finding, error, pointer, pointer_order
from . import KINDS
from .ivr.bounds import too_many_options
from .limits import check_limits

#: Findings worded per document; past it one more finding says how many were left out.
MAX_FINDINGS = 100
#: Characters of one schema message: jsonschema words errors with the repr of the whole instance.
MAX_MESSAGE = 300


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
def _fast_part_validators(kind: str) -> tuple[Any, Any] | None:
    """jsonschema-rs validators of one IVR node id and one node, to find the failing nodes one by one.

    jsonschema-rs's iter_errors copies the instance of each error into Python: with many bad node ids
    that is the whole nodes object per error (1,600 bad ids: 6 s and 4.3 GB; 2,400 aborted the process).
    """
    full = schema(kind)
    nodes = full.get("properties", {}).get("nodes", {})
    if "propertyNames" not in nodes or "additionalProperties" not in nodes:
        return None
    registry = jsonschema_rs.Registry([(_common()["$id"], _common()), (full["$id"], full)])
    key = jsonschema_rs.validator_for({"$ref": _resolve(full["$id"], nodes["propertyNames"]["$ref"])},
                                      registry=registry, validate_formats=True)
    node = jsonschema_rs.validator_for({"$ref": _resolve(full["$id"], nodes["additionalProperties"]["$ref"])},
                                       registry=registry, validate_formats=True)
    return key, node


def _resolve(base: str, ref: str) -> str:
    return urljoin(base, ref)


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads(schema_text(kind))


def _short_repr(instance: Any) -> str:
    if isinstance(instance, dict):
        return "this object"
    if isinstance(instance, list):
        return "this list"
    text = repr(instance)
    return text if len(text) <= 80 else text[:79] + "…"


def _capped_branches(validator: Any, branches: list[Any], instance: Any) -> tuple[list[ValidationError], Any]:
    """Errors of each branch until one passes, at most BRANCH_ERRORS per branch.

    jsonschema collects every error of every branch eagerly: a condition list of 19,000 bad leaves
    took 23 s to word. A few errors per branch are all _findings reads.
    """
    collected: list[ValidationError] = []
    for index, subschema in enumerate(branches):
        errs = list(islice(validator.descend(instance, subschema, schema_path=index), BRANCH_ERRORS))
        if not errs:
            return collected, subschema
        collected.extend(errs)
    return collected, None


def _any_of(validator: Any, branches: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    errors, passed = _capped_branches(validator, branches, instance)
    if passed is None:
        yield ValidationError(f"{_short_repr(instance)} is not valid under any of the given schemas",
                              context=errors)


def _one_of(validator: Any, branches: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    errors, passed = _capped_branches(validator, branches, instance)
    if passed is None:
        yield ValidationError(f"{_short_repr(instance)} is not valid under any of the given schemas",
                              context=errors)
        return
    others = [each for each in branches if each is not passed and validator.evolve(schema=each).is_valid(instance)]
    if others:
        yield ValidationError(f"{_short_repr(instance)} matches more than one of the allowed shapes")


#: Errors kept per oneOf/anyOf branch in the wording pass.
BRANCH_ERRORS = 10

#: Draft 2020-12 with oneOf/anyOf that stop after a few errors per branch and never repr a container.
_WordingValidator = extend(Draft202012Validator, {"oneOf": _one_of, "anyOf": _any_of})


@cache
def validator(kind: str) -> Draft202012Validator:
    """The reusable (wording) validator of a kind."""
    return _WordingValidator(schema(kind), registry=_registry(), format_checker=FormatChecker())


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
    if err.validator == "maxLength" and isinstance(err.instance, str):
        # Said with both numbers and without the text: a 5,000-character label quoted whole flooded the findings.
        return [Finding(at, "error", f"this text is too long ({len(err.instance)} characters; the limit is "
                                     f"{err.validator_value})", "schema")]
    if err.validator == "maxItems" and isinstance(err.instance, list):
        # Like maxLength: the counts, not the list (a 19,000-item condition list quoted whole).
        return [Finding(at, "error", f"this list has too many items ({len(err.instance)} items; the limit is "
                                     f"{err.validator_value})", "schema")]
    if err.validator == "enum" and isinstance(err.validator_value, list):
        # The value cut short before the choices, so the wording can quote which value is wrong (a 5,000-character
        # value filled the message, and its cut lost "is not one of").
        shown = ", ".join(map(_short_repr, err.validator_value[:20]))
        return [Finding(at, "error", f"{_short_repr(err.instance)} is not one of [{shown}]", "schema")]
    if err.validator == "maxProperties" and isinstance(err.instance, dict) and err.absolute_path \
            and err.absolute_path[-1] == "options":
        # The counts, not the options (2,000 of them quoted whole); the save refusal says the same (ivr/bounds.py).
        return [Finding(at, "error", too_many_options(len(err.instance), err.validator_value), "schema")]
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


def _shorten(finding: Finding) -> Finding:
    if len(finding.message) <= MAX_MESSAGE:
        return finding
    return Finding(finding.pointer, finding.severity, finding.message[:MAX_MESSAGE - 1] + "…", finding.code)


def _only_failing_nodes(kind: str, body: Any) -> Any:
    """The body with only the IVR nodes that fail, at most MAX_FINDINGS of them (pointers stay the same).

    Wording findings with the pure-Python validator costs ~1 ms per node; a 10,000-node upload with one
    bad node must not take 15 s to explain. Each node id and node is checked on its own with
    jsonschema-rs's is_valid, which copies nothing.
    """
    nodes = body.get("nodes") if isinstance(body, dict) else None
    parts = _fast_part_validators(kind)
    if not isinstance(nodes, dict) or len(nodes) < 100 or parts is None:
        return body
    key_ok, node_ok = parts
    failing: dict[str, Any] = {}
    for key, node in nodes.items():
        if not (key_ok.is_valid(key) and node_ok.is_valid(node)):
            failing[key] = node
            if len(failing) > MAX_FINDINGS:
                break
    return {**body, "nodes": failing or nodes}


def _fast_is_valid(kind: str, body: Any) -> bool:
    try:
        return bool(fast_validator(kind).is_valid(body))
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError; the words come from jsonschema
        return False


def validate_schema(kind: str, body: Any) -> list[Finding]:
    """Schema findings for a body, each at the JSON Pointer of the offending value.

    A body over a size limit gets the one finding that says which limit, and no schema check.
    """
    _check_kind(kind)
    limited = check_limits(body)
    if limited:
        return limited
    if _fast_is_valid(kind, body):
        return []
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    more = False
    try:
        for err in validator(kind).iter_errors(_only_failing_nodes(kind, body)):
            for finding in _findings(err):
                if (finding.pointer, finding.message) in seen:
                    continue
                if len(findings) >= MAX_FINDINGS:
                    more = True
                    break
                seen.add((finding.pointer, finding.message))
                findings.append(_shorten(finding))
            if more:
                break
    except RecursionError:
        findings.append(error("", "the document is nested too deeply to check; flatten its conditions", "limit"))
    findings.sort(key=lambda f: pointer_order(f.pointer))
    if more:
        findings.append(error("", f"more errors than the first {MAX_FINDINGS} shown; fix these and check again",
                              "schema"))
    return findings
