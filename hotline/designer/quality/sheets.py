"""Score sheets (评分表) as tenant data: a list, and a form editor of the title, sections and items.

GET /quality/sheets, GET /quality/sheets/<name> (`?new=1`: a new sheet from an example), POST /quality/sheets/<name>
with title, the sheet's fields (sheet_form.py) and publish; a posted `body` (the sheet's JSON) is still taken. A
bad sheet is shown again (400) with every problem named by section and item; publishing refuses weights that do
not sum to 100, naming each section's share. JSON: PUT /quality/api/sheets/<name>.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import ScoreSheet
from ...platform.services import quality
from ..i18n import current_locale, translate
from ..request_input import form_json
from . import sheet_form
from .common import SHEETS, tenant_session
from .problems import worded

#: What a new sheet starts from: two sections, weights summing to 100, one fatal item.
EXAMPLE: dict[str, Any] = {"sections": [
    {"title": "服务规范", "items": [
        {"key": "greeting", "label": "标准开头语", "weight": 20},
        {"key": "closing", "label": "标准结束语", "weight": 20}]},
    {"title": "业务处理", "items": [
        {"key": "accuracy", "label": "信息准确", "weight": 40},
        {"key": "ticket", "label": "工单记录完整", "weight": 20},
        {"key": "abuse", "label": "辱骂或顶撞客户", "fatal": True}]}]}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/sheets", "sheets", sheet_list, methods=["GET"])
    bp.add_url_rule("/sheets/<name>", "sheet", sheet_page, methods=["GET"])
    bp.add_url_rule("/sheets/<name>", "sheet_save", sheet_save, methods=["POST"])
    bp.add_url_rule("/api/sheets/<name>", "api_sheet", sheet_api, methods=["PUT"])


def sheet_list() -> ResponseReturnValue:
    with tenant_session(SHEETS) as (session, _who):
        rows = [{"name": s.name, "title": s.title, "published": s.published, "items": len(quality.items(s.body))}
                for s in session.scalars(select(ScoreSheet).order_by(ScoreSheet.name))]
        return render_template("quality/sheets.html", rows=rows)


def sheet_page(name: str) -> ResponseReturnValue:
    with tenant_session(SHEETS) as (session, _who):
        row = session.scalar(select(ScoreSheet).where(ScoreSheet.name == name))
        if row is None and request.args.get("new") != "1":
            abort(404, f"score sheet {name!r} not found")
        body = row.body if row else EXAMPLE
        return _editor(name, row.title if row else "", body, bool(row and row.published), [])


def _editor(name: str, title: str, body: Any, published: bool, problems: list[str],
            extra_items: dict[int, int] | None = None, extra_sections: int = 0, status: int = 200
            ) -> ResponseReturnValue:
    locale = current_locale()
    shown = body if isinstance(body, dict) else {"sections": []}
    return render_template("quality/sheet.html", name=name, title=title, published=published,
                           sections=sheet_form.form_sections(shown, extra_items, extra_sections),
                           problems=worded(problems, shown, locale)), status


def sheet_save(name: str) -> ResponseReturnValue:
    title = request.form.get("title", "")
    publish = request.form.get("publish") == "1"
    if "body" in request.form:  # the sheet's JSON, as the editor took it before the form
        try:
            body: Any = form_json(request.form["body"])
        except ValueError as exc:
            return _editor(name, title, {"sections": []}, publish,
                           [quality.Problem("/", "not JSON (%(why)s)", why=str(exc))], status=400)
    else:
        body = sheet_form.body_from_form(request.form)
    adding = request.form.get("add", "")
    if adding:  # more blank rows, nothing saved
        extra_items = {int(adding[5:]): 1} if adding.startswith("item-") and adding[5:].isdigit() else {}
        return _editor(name, title, body, publish, [], extra_items, 1 if adding == "section" else 0)
    try:
        with tenant_session(SHEETS) as (session, who):
            quality.save_sheet(session, who.username, name, title, body, publish)
    except quality.InvalidQuality as exc:
        # shown again with what was typed and every problem; nothing is lost
        return _editor(name, title, body, publish, exc.problems, status=400)
    flash(translate("Score sheet published." if publish else "Score sheet saved.", current_locale()))
    return redirect(url_for("quality.sheets"))


def sheet_api(name: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "a JSON object {title, body, publish} is required")
    with tenant_session(SHEETS) as (session, who):
        try:
            row = quality.save_sheet(session, who.username, name, str(body.get("title", "")), body.get("body"),
                                     body.get("publish") is True)
        except quality.InvalidQuality as exc:
            return jsonify({"error": str(exc), "problems": exc.problems}), 422
        return jsonify({"name": row.name, "published": row.published})
