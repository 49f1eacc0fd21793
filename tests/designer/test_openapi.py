"""The hand-written OpenAPI document covers every /api route and method, and nothing that does not exist."""

from __future__ import annotations

import re

from flask import Flask

from .conftest import Api

IGNORED = {"HEAD", "OPTIONS"}


def routes(app: Flask) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found |= {(path, method.lower()) for method in (rule.methods or set()) - IGNORED}
    return found


def test_every_api_route_and_method_is_documented_and_nothing_more(app: Flask, api: Api) -> None:
    spec = api.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    documented = {(path, method) for path, item in spec["paths"].items() for method in item
                  if method in {"get", "put", "post", "delete", "patch"}}
    assert routes(app) - documented == set(), "routes missing from hotline/designer/api/openapi.py"
    assert documented - routes(app) == set(), "documented routes that do not exist"


def test_every_path_parameter_is_declared(api: Api) -> None:
    spec = api.get("/api/openapi.json").get_json()
    for path, item in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"] for p in item.get("parameters", []) if p.get("in") == "path"}
        for method, operation in item.items():
            if method == "parameters":
                continue
            declared_here = declared | {p.get("name") for p in operation.get("parameters", [])
                                        if p.get("in") == "path"}
            assert names <= declared_here, f"{method} {path}"


def test_every_reference_resolves(api: Api) -> None:
    spec = api.get("/api/openapi.json").get_json()
    text = str(spec)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/(\w+)'", text)):
        assert ref[1] in spec["components"][ref[0]], ref
