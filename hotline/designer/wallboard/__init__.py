"""The supervisor wallboard: live queue and agent figures per tenant.

Pages: ``/wallboard/`` (tiles per queue and an agent grid, kept live by ``/wallboard/events``) and
``/wallboard/settings`` (the colour thresholds). ``/wallboard/api/figures`` gives the same figures as JSON.
Every figure comes from hotline.platform.wallboard.tenant_figures; this module only decides who sees which
tenant and renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import Queue
from ...platform.wallboard import tenant_figures
from ...platform.wallboard import thresholds as th
from .. import sse
from ..auth import database
from ..i18n import current_locale, translate
from . import strings  # importing registers the UI strings
from .access import board_tenant, require_board_tenant, watchable
from .forms import ThresholdForm
from .source import acd_reader

#: Plain JS/CSS of the board, served by this blueprint (no build step): <repository>/static/wallboard/.
STATIC = Path(__file__).resolve().parents[3] / "static" / "wallboard"
#: How often the event stream recomputes the figures (seconds), and how long one stream lasts.
STREAM_INTERVAL = 1.0
STREAM_SECONDS = 300.0


#: Queues the platform itself routes to, named for the reader when the tenant configured no label of its own (QA 13e
#: #5: the dialer's "outbound" queue showed its code on the Chinese board).
PLATFORM_QUEUES = {"outbound": "Outbound"}


def _figures(tenant_id: int, locale: str) -> dict[str, Any]:
    figures = tenant_figures(database(), tenant_id, acd_reader())
    for queue in figures.get("queues", ()):
        if not queue.get("configured") and queue.get("name") in PLATFORM_QUEUES:
            queue["label"] = translate(PLATFORM_QUEUES[queue["name"]], locale)
    return figures


def _changed(previous: dict[str, Any] | None, current: dict[str, Any]) -> bool:
    """Everything but the timestamp: the stream sends only when some figure moved."""
    if previous is None:
        return True
    stamps = ("generated_at", "generated_local")
    return {k: v for k, v in previous.items() if k not in stamps} != \
        {k: v for k, v in current.items() if k not in stamps}


def _live_tools(who: Any, tenant_id: int, locale: str) -> dict[str, Any] | None:
    """What the board needs to offer 监听/密语/强插 on each agent on a call: the endpoint of quality/live.py and the
    words; None for roles that may not (the same roles the endpoint checks) or for a tenant watched from another
    one (the endpoint works in the current tenant only)."""
    from ..quality.live import LIVE

    if who.tenant is None or who.tenant.tenant_id != tenant_id or not who.may(LIVE):
        return None
    return {"url": url_for("quality.live_join", agent="AGENT", mode="MODE"),
            "modes": [[mode, translate(f"live.{mode}", locale) if locale != "en" else LIVE_WORDS[mode]]
                      for mode in LIVE_WORDS],
            "joined": translate("Your phone rings; answer it to join the call.", locale)}


#: English words of the live modes (the string table keys them as live.<mode>).
LIVE_WORDS = {"listen": "Listen in", "whisper": "Whisper", "barge": "Barge in"}


def blueprint() -> Blueprint:
    bp = Blueprint("wallboard", __name__, url_prefix="/wallboard", template_folder="templates",
                   static_folder=str(STATIC), static_url_path="/static")

    @bp.get("/")
    def board() -> ResponseReturnValue:
        who, access = board_tenant()
        if access is None:
            choices = watchable(who)
            if not choices:
                abort(403, "choose a tenant to work in first")
            return render_template("wallboard/choose.html", tenants=choices)
        locale = current_locale()
        figures = _figures(access.tenant_id, locale)
        query = {"tenant": access.slug} if request.args.get("tenant") else {}
        return render_template(
            "wallboard/board.html", figures=figures, access=access, query=query, choices=watchable(who),
            texts=strings.board_texts(locale),
            # rendered with |tojson, which escapes "<" so a name like "</script>" stays data
            boot={"figures": figures, "events": url_for("wallboard.events", **query),
                  "live": _live_tools(who, access.tenant_id, locale)},
        )

    @bp.get("/api/figures")
    def figures_json() -> ResponseReturnValue:
        _, access = require_board_tenant()
        return jsonify(_figures(access.tenant_id, current_locale()))

    @bp.get("/events")
    def events() -> ResponseReturnValue:
        _, access = require_board_tenant()
        tenant_id = access.tenant_id
        locale = current_locale()  # read here: the stream's polls run after the request's context is gone
        last: dict[str, Any] = {}

        def poll() -> list[tuple[str, Any]]:
            current = _figures(tenant_id, locale)
            if not _changed(last.get("figures"), current):
                return []
            last["figures"] = current
            return [("figures", current)]

        seconds = float(current_app.config.get("HOTLINE_WALLBOARD_STREAM_SECONDS", STREAM_SECONDS))
        interval = float(current_app.config.get("HOTLINE_WALLBOARD_STREAM_INTERVAL", STREAM_INTERVAL))
        return sse.stream(poll, interval=interval, max_seconds=seconds)

    @bp.route("/settings", methods=["GET", "POST"])
    def settings() -> ResponseReturnValue:
        who, access = require_board_tenant()
        queue = request.args.get("queue", "")
        with database().tenant(access.tenant_id) as session:
            queues = [(q.name, q.label) for q in session.scalars(select(Queue).order_by(Queue.name))]
            current = th.load(session)
        if queue and queue not in dict(queues):
            abort(404, "Unknown queue.")
        form = ThresholdForm()
        problems: dict[str, list[str]] = {}
        status = 200
        if form.validate_on_submit():
            levels, problems = form.levels()
            if not problems:
                with database().tenant(access.tenant_id) as session:
                    th.save(session, access.tenant_id, queue, levels, who.username)
                return redirect(url_for("wallboard.settings", saved=1, **_scope_args(queue)))
            status = 422
        elif request.method == "POST":
            # CSRFProtect answers a bad token before this view; what is left is an entry longer than a number
            problems = {name.split("_", 1)[1]: ["Not a number."] for name in form.errors if "_" in name}
            status = 422
        else:
            stored = current.per_queue.get(queue, {}) if queue else current.tenant_wide
            form.fill({m: stored[m] for m in stored})
            if not queue:
                form.fill({m: lv for m, lv in th.DEFAULTS.items() if m not in stored})
        inherited = current.for_queue(None)
        return render_template(
            "wallboard/settings.html", form=form, metrics=list(th.METRICS.values()), problems=problems,
            queue=queue, queues=queues, inherited=inherited, saved=request.args.get("saved") == "1",
            scope_args=_scope_args, access=access,
        ), status

    return bp


def _scope_args(queue: str) -> dict[str, str]:
    """Query arguments that keep the page on the same tenant (when picked by parameter) and queue."""
    args = {}
    if request.args.get("tenant"):
        args["tenant"] = request.args["tenant"]
    if queue:
        args["queue"] = queue
    return args
