"""One input layer for every view: what a request may carry, checked once while it is parsed.

Views used to meet bad input one by one, and PostgreSQL met the rest: a NUL byte in a form field, a
query argument or a JSON string, an id beyond 64 bits, JSON nested thousands deep or holding NaN, a
value longer than its column, a body over the CSRF-time 4 MB limit on the 50 MB
import. Each was a 500 (issue 10). Here they become a clear 400/413/422 naming what and where: JSON
(`{"error", "findings"}`) for API paths, the error page otherwise.

* a before-request hook, run before CSRF reads the form: the body limit of the endpoint (large only
  where `large_body` says so), then query arguments and form fields;
* the app's JSON provider: JSON bodies are parsed without NaN/Infinity (literal or a number such as
  `1e999` that overflows), with bounded depth, no NUL or unpaired surrogate, integers within 64 bits;
* the `int` URL converter stops at 2**63 - 1, so a longer id is a 404 like any unknown id;
* column_limits checks every row before it is written (lengths, NUL) and its ValueRefused is a 422.
"""

from __future__ import annotations

import json
import math
import posixpath
import string
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from flask import Flask, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from ..platform import column_limits
from ..platform.column_limits import ValueRefused, text_problem
from ..platform.findings import Finding, pointer
from .api.errors import json_error
from .i18n import current_locale, translate

#: Request bodies of every endpoint not marked with large_body: the largest IVR tree by far.
DEFAULT_BODY_BYTES = 4 * 1024 * 1024
#: JSON containers inside containers (a document body allows 48; the request wraps it).
MAX_JSON_DEPTH = 64
#: The largest id PostgreSQL's bigint holds.
INT64_MAX = 2**63 - 1
#: Characters of one query argument; views cut search text much shorter.
MAX_ARG_CHARS = 4096

#: Endpoint → body limit, for endpoints whose view is not decorated (set by large_body too).
BODY_LIMITS: dict[str, int] = {}

View = TypeVar("View", bound=Callable[..., Any])


class InputRefused(BadRequest):
    """400 for input no view should see; `where` is the field, argument or JSON Pointer."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class InputTooLarge(RequestEntityTooLarge):
    pass


def checks_own_text(*fields: str) -> Callable[[View], View]:
    """Marks a view that refuses its own bad text in these form fields (a NUL byte…) on its page, in the reader's
    language with what was typed kept, instead of the bare English 400 of check_request (QA 14 item 7). The view
    must then never store the raw value."""

    def mark(view: View) -> View:
        view.hotline_own_text = frozenset(fields)  # type: ignore[attr-defined]
        return view

    return mark


def large_body(limit: int) -> Callable[[View], View]:
    """Marks a view (an import, an upload) as accepting bodies up to limit bytes instead of 4 MB."""

    def mark(view: View) -> View:
        view.hotline_body_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` ids stop at 2**63 - 1: a longer number names no row and must not reach the database."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", INT64_MAX)
        super().__init__(map, *args, **kwargs)


def _refuse_constant(name: str) -> Any:
    raise InputRefused(f"{name} is not a JSON number; send a finite number or null")


def json_problem(value: Any, max_depth: int = MAX_JSON_DEPTH) -> tuple[str, str] | None:
    """(JSON Pointer, why) of the first value a request must not carry, walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, at, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return at, f"text {problem}"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) > INT64_MAX:
                return at, "number is beyond 64 bits"
        elif isinstance(item, float):
            # `1e999` is valid JSON text, but parses to infinity, which PostgreSQL's jsonb refuses.
            if not math.isfinite(item):
                return at, "number is too large (it overflows to infinity); send a finite number"
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                return at, f"JSON is nested deeper than {max_depth} levels"
            if isinstance(item, dict):
                for key, inner in item.items():
                    problem = text_problem(key)
                    if problem:
                        return at + pointer(key), f"key {problem}"
                    stack.append((inner, at + pointer(key), depth + 1))
            else:
                stack.extend((inner, at + pointer(index), depth + 1) for index, inner in enumerate(item))
    return None


def form_json(text: str) -> Any:
    """JSON a user typed into a form field (a score sheet, contract terms, an appeal's amended answers), held to
    the bounds of a JSON request body: a ValueError saying what is wrong and where, never a RecursionError (a
    500) for a deeply nested value."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except InputRefused as exc:
        raise ValueError(exc.description) from None
    found = json_problem(value)
    if found:
        where, why = found
        raise ValueError(f"{why} at {where or '/'}")
    return value


class CheckedJSONProvider(DefaultJSONProvider):
    """Flask's JSON with request-safe parsing: no NaN/Infinity, bounded depth, storable text and ids."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, parse_constant=_refuse_constant, **kwargs)
        except RecursionError:
            raise InputRefused(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
        found = json_problem(value)
        if found:
            where, why = found
            raise InputRefused(f"{why} at {where or '/'}", where)
        return value


def _pairs(multi: Any) -> Iterator[tuple[str, str]]:
    for key, values in multi.lists():
        for value in values:
            yield key, value


def _is_id_name(name: str | None) -> bool:
    name = name or ""
    return name in ("id", "rowid", "pk") or name.endswith("_id")


def _check_id(name: str, value: str | None, kind: str) -> None:
    text = (value or "").strip()
    if text.lstrip("+-").isdigit() and abs(int(text)) > INT64_MAX:
        raise InputRefused(f"{kind} {name!r}: {text[:30]}… is not an id (ids fit in 64 bits)", name)


def _check_text(name: str | None, value: str | None, kind: str) -> None:
    name, value = name or "", value or ""  # a multipart part may come without a name
    problem = text_problem(value) or text_problem(name)
    if problem:
        raise InputRefused(f"{kind} {name!r} {problem}", name)


_UNSAFE_NEXT = set(string.whitespace) | {"\\", "\x7f"} | {chr(c) for c in range(32)}


def safe_relative_path(target: str) -> bool:
    """A same-site path: one leading slash, no scheme or host, no backslash, space or control character.

    auth.safe_next uses it for `next=`: CR/LF there became a header-injection attempt (and a 500 from the
    Location header), a backslash an open redirect (browsers read `/\\host` as `//host`)."""
    return (target.startswith("/") and not target.startswith("//") and not any(c in _UNSAFE_NEXT for c in target))


def same_site_path(target: str) -> str | None:
    """`target` as a same-site path with its dot segments resolved, or None when it is not one.

    Percent-encoding is undone first (repeatedly: `%252e` is `%2e` is `.`), because browsers and proxies
    read `%2e%2e` as `..` and `%2f` as `/` in places, so `/.%2e/`, `/%2e%2e/admin`, `/%2f%2fevil.example`
    and `/%5Cevil.example` must be judged by what they become. The decoded path must still be one leading
    slash, no empty segment (`//`), backslash, whitespace or control character; its `.` and `..` segments
    are then resolved (never above the root) and the result re-encoded, so what the Location header names
    is exactly the path that was checked. The query string is kept when it, decoded, is clean too."""
    if not target or not safe_relative_path(target):
        return None
    path, _, query = target.partition("?")
    query = query.partition("#")[0]
    path = path.partition("#")[0]
    for _ in range(5):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    else:
        return None  # still encoded after five rounds: nobody legitimate sends that
    if not safe_relative_path(path) or "//" in path or (query and not safe_relative_path("/" + unquote(query))):
        return None  # an empty segment anywhere is refused too: after `..` it can become a leading `//`
    resolved = posixpath.normpath(path)
    if path.endswith("/") and resolved != "/":
        resolved += "/"
    return quote(resolved, safe="/-._~!$&'()*+,;=:@") + (f"?{query}" if query else "")


#: Query-argument refusals in the reader's language: a report or list page is read in Chinese, and its 400 must be
#: too (QA 14: English on a Chinese page). Other refusals here still speak English (forms and JSON bodies).
QUERY_NUL = "query argument %(name)s contains a NUL character (at character %(at)s)"
QUERY_TOO_LONG = "query argument %(name)s is %(length)s characters long; at most %(most)s are allowed"
QUERY_STRINGS = {QUERY_NUL: {"zh_CN": "查询参数 %(name)s 含有空字符（NUL，第 %(at)s 个字符），无法处理"},
                 QUERY_TOO_LONG: {"zh_CN": "查询参数 %(name)s 长 %(length)s 个字符，最多允许 %(most)s 个"}}


def _query_refused(template: str, name: str, **values: Any) -> InputRefused:
    return InputRefused(translate(template, current_locale()) % {"name": repr(name[:40]), **values}, name)


def check_request() -> None:
    """Before every other hook: body limit, then query arguments and form fields."""
    view = request.url_rule and _view_functions().get(request.endpoint or "")
    limit = getattr(view, "hotline_body_limit", None) or BODY_LIMITS.get(request.endpoint or "", DEFAULT_BODY_BYTES)
    # An earlier hook (the prompt upload's) may have raised it already; keep the larger.
    limit = max(limit, request.max_content_length or 0)
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise InputTooLarge(f"the request body is {_mb(request.content_length)}; "
                            f"this address accepts at most {_mb(limit)}")
    for name, value in _pairs(request.args):
        for text in (name, value):
            if "\x00" in text:
                raise _query_refused(QUERY_NUL, name.replace("\x00", "\\0"), at=str(text.index("\x00") + 1))
        _check_text(name, value, "query argument")
        if len(value) > MAX_ARG_CHARS:
            raise _query_refused(QUERY_TOO_LONG, name, length=f"{len(value):,}", most=f"{MAX_ARG_CHARS:,}")
        if _is_id_name(name):
            _check_id(name, value, "query argument")
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        own = getattr(view, "hotline_own_text", frozenset())
        for name, value in _pairs(request.form):
            if not name:  # a multipart part whose name could not be read (CSRF's form scan crashed on it)
                raise InputRefused("a form field has no readable name")
            _check_text(name, "" if name in own else value, "form field")
            if _is_id_name(name):
                _check_id(name, value, "form field")
        for name, upload in _pairs(request.files):
            if not name:
                raise InputRefused("an uploaded file has no readable field name")
            _check_text(name, upload.filename or "", "file name of")


def _view_functions() -> dict[str, Callable[..., Any]]:
    from flask import current_app

    return current_app.view_functions


def _wants_json() -> bool:
    path = request.path
    return (path == "/api" or path.startswith("/api/") or "/api/" in path or request.is_json
            or request.accept_mimetypes.best == "application/json")


def refusal(status: int, message: str, where: str = "") -> ResponseReturnValue:
    """The response for refused input: JSON with a finding at `where` for APIs, the error page otherwise."""
    if _wants_json():
        findings = [Finding(where if where.startswith("/") or not where else pointer(where), "error", message,
                            "input")]
        return json_error(status, message, findings)
    return render_template("error.html", status=status, message=message), status


def _input_refused(exc: InputRefused) -> ResponseReturnValue:
    return refusal(400, exc.description or "bad input", exc.where)


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    message = exc.description
    if not isinstance(exc, InputTooLarge) and message == RequestEntityTooLarge.description:
        limit = request.max_content_length or DEFAULT_BODY_BYTES
        message = f"the request body is larger than this address accepts ({_mb(limit)})"
    return refusal(413, message or "too large")


def _value_refused(exc: ValueRefused) -> ResponseReturnValue:
    return refusal(422, str(exc), exc.field)


def flash_text(message: Any) -> str:
    """A flashed message as the user's language shows it: a {"text", …} dict is translated, then filled."""
    locale = current_locale()
    if isinstance(message, dict):
        text = translate(str(message.get("text", "")), locale)
        values = {k: v for k, v in message.items() if k != "text"}
        try:
            return text.format_map(_Blank(values))
        except (ValueError, IndexError, AttributeError):
            return text
    if isinstance(message, Markup):
        return str(message)
    return translate(str(message), locale)


class _Blank(dict):  # type: ignore[type-arg]
    """format_map values: a placeholder the message does not carry stays visible instead of a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def register(app: Flask) -> None:
    """Installs the layer on an app; call before blueprints are registered (the int converter)."""
    column_limits.install()
    from . import i18n

    i18n.extend(QUERY_STRINGS)
    app.json_provider_class = CheckedJSONProvider
    app.json = CheckedJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntConverter
    # First of all hooks: CSRFProtect's reads the form, which must already have its limit.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
    app.register_error_handler(InputRefused, _input_refused)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(ValueRefused, _value_refused)
    app.add_template_filter(flash_text, "flash_text")

