"""Browser-side defences sent on every response: Content-Security-Policy and its companions.

The policy is the wall behind output escaping: even if tenant text ever reached the page as markup, the
browser runs no inline script, no event-handler attribute and no `javascript:` URL, loads nothing from
another origin, and lets no other site frame our pages (clickjacking on the admin's role buttons). Scripts
therefore live in static files only; pages hand data to them through `data-*` attributes or
`<script type="application/json">` islands read with `JSON.parse`.

Two narrow, per-response widenings, each chosen by the view that needs it (never for the whole app):

* a nonce — Flask-Admin writes a few inline `<script>` blocks (form modals); it calls `csp_nonce()` through
  its `csp_nonce_generator` hook, and only a response that asked for a nonce carries one;
* `'unsafe-eval'` — the studio's document page: the schema forms (rjsf with Ajv) compile JSON Schemas into
  functions in the browser. It does not allow inline script; see docs/security.md.

Styles may be inline (`'unsafe-inline'` for style-src only): the editors' canvas positions nodes with
style attributes, and CSS cannot run script in a current browser.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

#: The policy's directives, in the order they are sent. `script-src` gets the per-response additions.
DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    # blob: only for audio a page's own script fetched (the designer's TTS preview, POST /api/prompts/preview);
    # a blob URL is made by same-origin script, so this lets in no other origin's media.
    "media-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

OTHER_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_NONCE = "hotline_csp_nonce"
_EVAL = "hotline_csp_eval"


def csp_nonce() -> str:
    """This response's script nonce, made on first use (Flask-Admin's `csp_nonce_generator`)."""
    nonce = g.get(_NONCE)
    if nonce is None:
        nonce = secrets.token_urlsafe(18)
        setattr(g, _NONCE, nonce)
    return nonce


def allow_eval() -> None:
    """Lets this one response's scripts compile code at run time (the studio's schema forms; see module doc)."""
    setattr(g, _EVAL, True)


def policy(nonce: str | None = None, allow_eval: bool = False) -> str:
    """The Content-Security-Policy header value."""
    directives = dict(DIRECTIVES)
    extra = ([f"'nonce-{nonce}'"] if nonce else []) + (["'unsafe-eval'"] if allow_eval else [])
    if extra:
        directives["script-src"] = " ".join([directives["script-src"], *extra])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", policy(g.get(_NONCE), bool(g.get(_EVAL))))
    for name, value in OTHER_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    """Adds the headers to every response of `app` (errors, static files and redirects included)."""
    app.after_request(_add_headers)
    app.after_request(_admin_markup_without_handlers)


#: Flask-Admin's markup carries onclick="…" and href="javascript:void(0)". Chromium reports a policy
#: violation for each such attribute as soon as it parses it, so they are renamed on the way out and
#: static/admin/csp_handlers.js wires the known ones as listeners. Tenant text cannot fake one: inside
#: markup its quotes are escaped (&#34;), so ` onclick="` only ever matches a real attribute.
_ADMIN_REWRITES = ((' onclick="', ' data-fa-onclick="'), ('href="javascript:void(0)"', 'href="#" data-fa-noop'))


def _admin_markup_without_handlers(response: Response) -> Response:
    if (request.path.startswith("/admin/") and response.mimetype == "text/html"
            and not response.is_streamed and response.status_code < 300):
        body = response.get_data(as_text=True)
        for old, new in _ADMIN_REWRITES:
            body = body.replace(old, new)
        response.set_data(body)
    return response
