"""The agent desk: presence, live call state, screen pop and the ticket forms an agent works in.

Pages: `/desk/` (workspace), `/desk/pop` (screen pop), `/desk/tickets/new/<form>`, `/desk/tickets/<number>`,
`/desk/outbound/<attempt>` (the outbound script runner and its wrap-up).
Live state: `/desk/events` (SSE) and `/desk/api/state` (JSON); presence: `POST /desk/api/presence`.
See docs/desk.md for how a user maps to an ACD agent and how the desk reaches the runtime.
"""

from __future__ import annotations

from flask import Blueprint

from . import counter, pop, preview_page, script_runner, strings, ticket_pages, workspace


def blueprint() -> Blueprint:
    bp = Blueprint("desk", __name__, url_prefix="/desk", template_folder="templates", static_folder="static",
                   static_url_path="/static")
    registered: list[bool] = []

    @bp.before_request
    def _strings() -> None:
        if not registered:
            strings.register()
            registered.append(True)

    # the counter under a bounded input, in the request's language (counter.py, static/desk/counter.js)
    bp.add_app_template_global(counter.limit_counter, "limit_counter")
    bp.add_app_template_global(counter.field_counter, "field_counter")
    for area in (workspace, pop, ticket_pages, script_runner, preview_page):
        area.register(bp)
    return bp
