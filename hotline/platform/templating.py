"""Prompt and message text with variables ({{waybill}}), rendered in Jinja2's sandbox with bounds.

Tenants write these templates, so they are untrusted: the sandbox refuses attribute tricks, and
undefined variables (and None values) render as empty text rather than failing a live call.

The sandbox alone bounds neither CPU nor memory, and templates render on the runtime's shared event loop
(and in web and worker threads): one tenant's `{% for %}` over range(10**6) inside another, `'x' * 10**9`
or a macro calling itself twice stalled every other tenant's calls (issue 10, item 7). So every render
runs on a budget (`limits.py` holds the numbers):

* the source is at most MAX_SOURCE characters;
* `range()` gives at most MAX_RANGE items;
* every loop iteration and every call (functions, methods, macros) is a *step*; a render takes at most
  MAX_STEPS steps and, checked at each step, at most TIME_LIMIT seconds;
* `*` and `**`, `%` on text and the width/count arguments of filters and text methods are checked
  before they build anything larger than MAX_OUTPUT characters; the output is at most MAX_OUTPUT.

A render over budget raises `TemplateLimitError` (a TemplateError) saying which bound and by how much; it
fails in milliseconds, so rendering stays inline (no thread hop per prompt) and still cannot stall the loop.
`unbounded()` is the publish-time half: the lint refuses the constructs that would hit these bounds.
"""

from __future__ import annotations

import contextvars
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache, wraps
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .template_limits import MAX_OUTPUT, MAX_RANGE, MAX_SOURCE, MAX_STEPS, TIME_LIMIT, unbounded
from .words import yes_no

__all__ = ["MAX_OUTPUT", "MAX_RANGE", "MAX_SOURCE", "MAX_STEPS", "TIME_LIMIT", "TemplateError",
           "TemplateLimitError", "check", "referenced_names", "render", "unbounded"]


class TemplateError(ValueError):
    """A template that cannot be parsed or rendered; the message says where or why."""


class TemplateLimitError(TemplateError):
    """A template that went over one of the render bounds; the message names it."""


class _Budget:
    __slots__ = ("deadline", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + TIME_LIMIT

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(f"the template takes more than {MAX_STEPS:,} steps (loop iterations and "
                                     "calls); simplify its loops or macros")
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(f"the template took longer than {TIME_LIMIT * 1000:.0f} ms to render")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("hotline_template_budget", default=None)


def _tick() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.tick()


def _too_long(what: str, size: int) -> TemplateLimitError:
    return TemplateLimitError(f"{what} would be {size:,} characters or items; a template may produce at most "
                              f"{MAX_OUTPUT:,}")


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimitError(f"range() of {len(result):,} items; at most {MAX_RANGE:,}")
    return result


def _bounded_loop(iterable: Iterable[Any]) -> Iterator[Any]:
    """Wraps the iterable of every {% for %}: each iteration is a step."""
    for item in iterable:
        _tick()
        yield item


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _check_arguments(what: str, args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_OUTPUT:
            raise _too_long(f"{what}({arg})", abs(arg))


_WIDE_FORMAT = re.compile(r"\d{5,}")  # a width or precision of 10,000 or more in a format string


class _BoundedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _sized(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT:
                    raise _too_long("repeating text or a list", size * times)
        elif operator == "**":
            if isinstance(right, int) and isinstance(left, int) and right > 0 \
                    and abs(left) > 1 and right * abs(left).bit_length() > 4 * MAX_OUTPUT:
                raise TemplateLimitError(f"{left} ** {right} is too large a number for a template")
        elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise TemplateLimitError("a %-format with a width or precision of 10,000 or more")
        elif operator == "+":
            size_l, size_r = _sized(left), _sized(right)
            if size_l is not None and size_r is not None and size_l + size_r > MAX_OUTPUT:
                raise _too_long("joining text or lists", size_l + size_r)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        name = getattr(__obj, "__name__", "")
        if isinstance(getattr(__obj, "__self__", None), str):  # text methods: ljust, center, zfill, ...
            _check_arguments(name, list(args) + list(kwargs.values()))
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # The sandbox hands out its own wrapper for str.format/format_map at attribute access; bound it
        # there: no huge widths in the format string nor in the arguments that fill nested widths.
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        if _WIDE_FORMAT.search(value.__self__):
            raise TemplateLimitError("a format string with a width or precision of 10,000 or more")

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_arguments(value.__name__, list(args) + list(kwargs.values()))
            return wrapped(*args, **kwargs)

        return bounded


#: Filters whose whole-number arguments are widths or counts of what they build.
_SIZING_FILTERS = frozenset({"center", "indent", "truncate", "wordwrap", "batch", "slice"})


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    # pass_context / pass_eval_context / pass_environment filters get that object first, then the value.
    first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        value, rest = (args[first], args[first + 1:]) if len(args) > first else (None, ())
        if name in _SIZING_FILTERS:
            _check_arguments(f"|{name}", list(rest) + list(kwargs.values()))
        if name == "replace" and len(rest) >= 2 and isinstance(value, str):
            old, new = str(rest[0]), str(rest[1])
            grown = len(value) + value.count(old) * max(0, len(new) - len(old)) if old else len(value) * len(new)
            if grown > MAX_OUTPUT:
                raise _too_long("|replace", grown)
        if name == "format" and isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise TemplateLimitError("a format string with a width or precision of 10,000 or more")
        result = func(*args, **kwargs)
        size = _sized(result)
        if size is not None and size > MAX_OUTPUT:
            raise _too_long(f"|{name}", size)
        return result

    return bounded


#: How {{x}} of a yes/no value reads, by the language of the message (QA of issue 16, fixc18 item 4: an SMS read
#: "…要求赔偿False…"). Conditions inside the template ({% if x %}) still see the boolean.
_locale: contextvars.ContextVar[str] = contextvars.ContextVar("hotline_template_locale", default="zh_CN")


def _finalize(value: Any) -> Any:
    """{{x}} of a None (a field nobody filled, a lookup without a result) is empty text, never "None"; a
    yes/no value is 是/否 (Yes/No), never "True"/"False"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, _locale.get())
    return value


_env = _BoundedEnvironment(autoescape=False, keep_trailing_newline=False, finalize=_finalize)
# Filters are called directly by compiled templates (not through `call`), so each is wrapped; `pass_*`
# markers live on the original function and are copied by functools.wraps.
_env.filters = {name: _bounded_filter(name, func) for name, func in _env.filters.items()}
_env.globals["range"] = _bounded_range
_env.globals["_hotline_loop"] = _bounded_loop


def _bounded_concat(parts: list[Any]) -> str:
    """`a ~ b ~ c`: sized before it is built (each `~` level could otherwise multiply the text tenfold)."""
    _tick()
    texts = [str(part) for part in parts]
    size = sum(len(text) for text in texts)
    if size > MAX_OUTPUT:
        raise _too_long("joining text with ~", size)
    return "".join(texts)


_env.globals["_hotline_concat"] = _bounded_concat


class _BoundConcat(NodeTransformer):
    """Every `a ~ b` (a Concat node, which the sandbox never intercepts) becomes _hotline_concat([a, b])."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        call = nodes.Call(nodes.Name("_hotline_concat", "load"), [nodes.List(node.nodes)], [], None, None)
        return call.set_lineno(node.lineno).set_environment(_env)


def _bound_loops(ast: nodes.Template) -> nodes.Template:
    """Every {% for x in it %} becomes {% for x in _hotline_loop(it) %}, so each iteration is a step; every `~`
    is sized before it joins."""
    ast = _BoundConcat().visit(ast)
    for loop in ast.find_all(nodes.For):
        wrapper = nodes.Call(nodes.Name("_hotline_loop", "load"), [loop.iter], [], None, None)
        loop.iter = wrapper.set_lineno(loop.lineno).set_environment(_env)
    return ast


@lru_cache(maxsize=4096)
def _compile(source: str):  # returns a jinja2 Template
    if len(source) > MAX_SOURCE:
        raise TemplateLimitError(f"the template is {len(source):,} characters; at most {MAX_SOURCE:,}")
    try:
        ast = _bound_loops(_env.parse(source))
        code = _env.compile(ast)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template error on line {exc.lineno}: {exc.message}") from exc
    return _env.template_class.from_code(_env, code, _env.make_globals(None), None)


def render(source: str, variables: Mapping[str, Any], *, locale: str = "zh_CN") -> str:
    """Renders a tenant template with the given variables, within the bounds of the module docstring;
    `locale` ("zh_CN" or "en", the message's language) words yes/no values."""
    if "{" not in source:
        return source
    template = _compile(source)
    token = _budget.set(_Budget())
    locale_token = _locale.set(locale)
    try:
        parts, size = [], 0
        for part in template.generate(dict(variables)):
            size += len(part)
            if size > MAX_OUTPUT:
                raise _too_long("the rendered text", size)
            parts.append(part)
        return "".join(parts)
    except RecursionError:
        raise TemplateLimitError("the template's macros call each other too deeply") from None
    except MemoryError:
        raise TemplateLimitError("the template needs too much memory") from None
    finally:
        _budget.reset(token)
        _locale.reset(locale_token)


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
