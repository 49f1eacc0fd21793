"""Prompt and message text with variables ({{waybill}}), rendered in Jinja2's sandbox.

Tenants write these templates, so they are untrusted: the sandbox refuses attribute tricks, and
undefined variables render as empty text rather than failing a live call.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

_env = ImmutableSandboxedEnvironment(autoescape=False, keep_trailing_newline=False)


class TemplateError(ValueError):
    """A template that cannot be parsed; the message says where."""


@lru_cache(maxsize=4096)
def _compile(source: str):  # returns a jinja2 Template
    try:
        return _env.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template error on line {exc.lineno}: {exc.message}") from exc


def render(source: str, variables: Mapping[str, Any]) -> str:
    """Renders a tenant template with the given variables."""
    if "{" not in source:
        return source
    return _compile(source).render(dict(variables))


def check(source: str) -> str | None:
    """Returns the syntax error of a template, or None when it parses."""
    try:
        _compile(source)
    except TemplateError as exc:
        return str(exc)
    return None


@lru_cache(maxsize=4096)
def referenced_names(source: str) -> frozenset[str]:
    """Dotted names a template reads: {{waybill}} → 'waybill', {{call.caller}} → 'call.caller'."""
    if "{" not in source:
        return frozenset()
    try:
        ast = _env.parse(source)
    except TemplateSyntaxError:
        return frozenset()
    found: set[str] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
            found.add(f"{node.node.name}.{node.attr}")
    top = meta.find_undeclared_variables(ast)
    dotted_roots = {name.split(".")[0] for name in found}
    found |= {name for name in top if name not in dotted_roots}
    return frozenset(found)
