"""Property: validation and the publish check survive any mutation of a real document (issue 10).

Hypothesis mutates the template documents of the four kinds (wrong types, odd text with surrogates
and NULs, deep nesting, many copies, removed and added keys); for every result check() returns
findings without raising, in bounded time, and every finding's JSON Pointer resolves in the document.
Examples are bounded and the deadline off so the test stays fast and never flaky on a busy machine.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline.platform.kinds.lint import check

from ..kinds.conftest import tenant_context
from .document_mutations import nest, resolve, template_documents

DOCUMENTS = template_documents()

texts = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "n\x00de", "x" * 70, "{{ ticket.x", "{% for %}", "../..",
                     "bye", "main_menu", "agent", "0", "-1", "1e309", "ticket.address", "customer.vip"]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)), max_leaves=12)


def containers(body: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in the body, iteratively."""
    found: list[tuple[Any, Any]] = []
    stack = [body]
    while stack:
        value = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            found.append((value, key))
            stack.append(item)
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[str, Any]:
    kind, _, original = draw(st.sampled_from(DOCUMENTS))
    body = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = containers(body)
        if not places:
            break
        parent, key = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "delete", "add", "nest", "repeat", "rename"]))
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(texts)] = draw(json_values)
        elif action == "add":
            parent.append(draw(json_values))
        elif action == "nest":
            depth = draw(st.sampled_from([3, 30, 60, 200, 1200]))
            parent[key] = nest(parent[key], depth, key=draw(st.sampled_from([None, "not", "all"])))
        elif action == "repeat":
            count = draw(st.sampled_from([50, 500, 3000]))
            value = parent[key]
            if isinstance(parent, dict):
                parent.update({f"{key}{i}" if i % 2 else f"{key} {i}!": copy.deepcopy(value) for i in range(count)})
            else:
                parent.extend(copy.deepcopy(value) for _ in range(count))
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(texts)] = parent.pop(key)
    return kind, body


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_documents())
def test_check_never_raises_and_every_pointer_resolves(case: tuple[str, Any]) -> None:
    kind, body = case
    started = time.process_time()  # CPU time: a busy machine (other test workers) must not fail the bound
    findings = check(kind, body, tenant_context())
    assert time.process_time() - started < 5
    for finding in findings:
        resolve(body, finding.pointer)
