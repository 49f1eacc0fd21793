"""The bounds on tenant templates, and the publish-time check that refuses what would exceed them.

`templating.render` enforces these numbers while rendering (a live call fails fast instead of stalling
the event loop); `unbounded()` finds the constructs that would hit them *before* publish, so the lint can
name the place and the reason, and a tenant learns at publish, not from a caller. Prompts, SMS texts and
ticket summaries are short texts with a few placeholders: the bounds are far above any real one.
"""

from __future__ import annotations

from jinja2 import Environment, TemplateSyntaxError, nodes

#: Characters of template source.
MAX_SOURCE = 10_000
#: Items one range() may give.
MAX_RANGE = 1_000
#: Loop iterations plus calls in one render.
MAX_STEPS = 10_000
#: Characters of rendered output (and of any text or list built on the way).
MAX_OUTPUT = 20_000
#: Seconds one render may take, checked at every step.
TIME_LIMIT = 0.1
#: Loops inside loops.
MAX_LOOP_DEPTH = 2
#: A power's exponent that the lint accepts in a literal.
MAX_EXPONENT = 64

_parser = Environment()


def unbounded(source: str) -> str | None:
    """Why a template could exceed the render bounds, or None. Syntax errors are `check`'s business."""
    if len(source) > MAX_SOURCE:
        return f"the template is {len(source):,} characters; at most {MAX_SOURCE:,}"
    if "{%" not in source and "(" not in source and "*" not in source and "%" not in source:
        return None
    try:
        ast = _parser.parse(source)
    except TemplateSyntaxError:
        return None
    return _loops(ast) or _ranges(ast) or _arithmetic(ast) or _recursion(ast)


def _line(node: nodes.Node) -> str:
    return f"line {node.lineno}"


def _loops(ast: nodes.Template) -> str | None:
    for loop in ast.find_all(nodes.For):
        if loop.recursive:
            return f"{_line(loop)}: a recursive loop has no bound; loop over the data as it is"
    stack: list[tuple[nodes.Node, int]] = [(ast, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.iter_child_nodes():
            inner = depth + 1 if isinstance(child, nodes.For) else depth
            if inner > MAX_LOOP_DEPTH:
                return f"{_line(child)}: loops nested {inner} deep; at most {MAX_LOOP_DEPTH}"
            stack.append((child, inner))
    return None


def _constant(node: nodes.Node) -> object:
    try:
        return node.as_const()
    except Exception:
        return None


def _ranges(ast: nodes.Template) -> str | None:
    for call in ast.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "range"):
            continue
        values = [_constant(arg) for arg in call.args]
        if call.kwargs or call.dyn_args or call.dyn_kwargs or not values \
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return (f"{_line(call)}: range() needs constant whole-number bounds (at most {MAX_RANGE:,} items), "
                    "so the loop's size is known at publish")
        try:
            size = len(range(*values))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return f"{_line(call)}: range() with arguments {values} is not a valid range"
        if size > MAX_RANGE:
            return f"{_line(call)}: range() of {size:,} items; at most {MAX_RANGE:,}"
    return None


def _arithmetic(ast: nodes.Template) -> str | None:
    for power in ast.find_all(nodes.Pow):
        exponent = _constant(power.right)
        if not isinstance(exponent, int) or exponent > MAX_EXPONENT:
            return f"{_line(power)}: a power needs a constant exponent of at most {MAX_EXPONENT}"
    for product in ast.find_all(nodes.Mul):
        for side in (product.left, product.right):
            value = _constant(side)
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_OUTPUT:
                return (f"{_line(product)}: multiplying by {value:,} can build text longer than the "
                        f"{MAX_OUTPUT:,} characters a template may produce")
    return None


def _recursion(ast: nodes.Template) -> str | None:
    """A macro that calls itself, directly or through other macros of the template (or a call block)."""
    macros = {m.name: m for m in ast.find_all(nodes.Macro)}
    calls = {name: {c.node.name for c in m.find_all(nodes.Call) if isinstance(c.node, nodes.Name)
                    and c.node.name in macros} for name, m in macros.items()}
    for name, macro in macros.items():
        seen, todo = set(), list(calls[name])
        while todo:
            callee = todo.pop()
            if callee == name:
                return f"{_line(macro)}: macro {name!r} calls itself; recursion has no bound in a template"
            if callee not in seen:
                seen.add(callee)
                todo.extend(calls[callee])
    return None
