"""Tenant templates render within bounds (size, steps, time, output) and the lint refuses unbounded ones."""

from __future__ import annotations

import time

import pytest

from hotline.platform.kinds.lint import lint
from hotline.platform.template_limits import MAX_RANGE, MAX_SOURCE, unbounded
from hotline.platform.templating import TemplateError, TemplateLimitError, render

from .kinds.conftest import good_body, tenant_context

HOSTILE = {
    "nested loops": ("{% for i in range(10**6) %}{% for j in range(10**6) %}{{ i }}{% endfor %}{% endfor %}",
                     r"range\(\) of 1,000,000 items"),
    "loops within the range bound": ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
                                     r"more than 10,000 steps"),
    "string multiplication": ("{{ 'x' * 10**9 }}", r"1,000,000,000 characters"),
    "multiplication by a variable": ("{{ text * times }}", r"characters or items"),
    "self-calling macro": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", r"too deeply|steps"),
    "branching recursion": ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
                            r"steps|longer than 100 ms"),
    "wide filter": ("{{ 'x'|center(10**9) }}", r"center\(1000000000\)"),
    "growing replace": ("{{ ('x' * 10000)|replace('x', 'x' * 10000) }}", r"\|replace would be 100,000,000"),
    "wide %-format": ("{{ '%0999999999d' % 1 }}", r"width or precision"),
    "wide format filter": ("{{ '%0999999999d'|format(1) }}", r"width or precision"),
    "wide str.format": ("{{ '{:>999999999}'.format(1) }}", r"width or precision"),
    "nested width argument": ("{{ '{:>{w}}'.format(1, w=10**9) }}", r"format\(1000000000\)"),
    "huge power": ("{{ 10 ** 10000000 }}", r"too large a number"),
    # each ~ level multiplied the text tenfold unchecked: four levels took seconds and a gigabyte (QA, issue 10)
    "tilde joins": ("{% set a = 'x' * 19000 %}{% set b = a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a %}"
                    "{% set c = b ~ b ~ b ~ b ~ b ~ b ~ b ~ b ~ b ~ b %}{{ c|length }}", r"joining text with ~"),
    "long output": ("{% for i in range(1000) %}{{ text * 30 }}{% endfor %}", r"rendered text would be"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_template_fails_fast_with_the_bound_it_broke(name: str) -> None:
    source, message = HOSTILE[name]
    started = time.process_time()  # CPU time, so other test workers on the machine do not count
    with pytest.raises(TemplateLimitError, match=message):
        render(source, {"text": "ab", "times": 10**8})
    assert time.process_time() - started < 5  # generous for a loaded machine: unbounded, these ran for minutes


def test_an_oversized_template_is_refused_before_parsing() -> None:
    with pytest.raises(TemplateError, match=f"at most {MAX_SOURCE:,}"):
        render("{{ a }}" + "x" * MAX_SOURCE, {"a": 1})


def test_ordinary_templates_render_as_before() -> None:
    source = "您好{{ name }}，{% for x in items %}{{ x }}{% if not loop.last %}、{% endif %}{% endfor %}" \
             "{{ '%05d' % n }} {{ '{}-{}'.format(1, 2) }} {{ 2 ** 10 }} {{ 'ab' * 3 }} {{ s|replace('a', 'b') }}"
    assert render(source, {"name": "张", "items": [1, 2, 3], "n": 42, "s": "aa"}) == \
        "您好张，1、2、300042 1-2 1024 ababab bb"
    assert render("{% for i in range(3) %}{{ i }}{% endfor %}", {}) == "012"
    # Large numbers are fine where they size nothing.
    assert render("{{ x|default(50000) }} {{ '%s-%s'|format(1, 2) }}", {}) == "50000 1-2"


@pytest.mark.parametrize(("source", "reason"), [
    ("{% for i in range(10**6) %}{{ i }}{% endfor %}", "range() of 1,000,000 items"),
    ("{% for i in range(n) %}{{ i }}{% endfor %}", "range() needs constant whole-number bounds"),
    ("{% for a in x %}{% for b in a %}{% for c in b %}{{ c }}{% endfor %}{% endfor %}{% endfor %}",
     "loops nested 3 deep"),
    ("{% for a in x recursive %}{{ loop(a) }}{% endfor %}", "recursive loop"),
    ("{{ 'x' * 10**9 }}", "multiplying by 1,000,000,000"),
    ("{{ 2 ** n }}", "constant exponent"),
    ("{% macro f() %}{{ g() }}{% endmacro %}{% macro g() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself"),
])
def test_the_lint_names_why_a_template_is_unbounded(source: str, reason: str) -> None:
    found = unbounded(source)
    assert found is not None and reason in found
    assert unbounded(f"{{% for i in range({MAX_RANGE}) %}}{{{{ i }}}}{{% endfor %}}") is None
    assert unbounded("您好{{ name }}") is None


def test_publishing_a_form_with_an_unbounded_summary_is_refused_at_its_pointer() -> None:
    ctx = tenant_context()
    body = good_body("form/pickup")
    body["summary"] = "{% for i in range(10**6) %}{% for j in range(10**6) %}{% endfor %}{% endfor %}"
    findings = [(f.pointer, f.code, f.severity) for f in lint("form", body, ctx)]
    assert findings == [("/summary", "template-unbounded", "error")]
    message = next(f.message for f in lint("form", body, ctx))
    assert "range() of 1,000,000 items; at most 1,000" in message


def test_publishing_an_ivr_with_an_unbounded_prompt_is_refused_at_its_pointer() -> None:
    ctx = tenant_context()
    body = good_body("ivr/express_main")
    node_id, node = next((k, v) for k, v in body["nodes"].items() if v.get("type") == "play")
    node["prompt"] = {"text": "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}"}
    unbounded_findings = [f for f in lint("ivr", body, ctx) if f.code == "template-unbounded"]
    assert [(f.pointer, f.severity) for f in unbounded_findings] == [(f"/nodes/{node_id}/prompt/text", "error")]
    assert "calls itself" in unbounded_findings[0].message
