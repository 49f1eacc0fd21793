"""Score sheets (评分表) as tenant data: a list, and an editor of the title and the sections as JSON.

GET /quality/sheets, GET /quality/sheets/<name> (`?new=1`: a new sheet from an example), POST /quality/sheets/<name>
with title, body (JSON) and publish. A bad body is shown again (400) with every problem as a JSON path and reason;
publishing refuses weights that do not sum to 100. JSON: PUT /quality/api/sheets/<name>.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ...platform.models import ScoreSheet
from ...platform.services import quality
from ..i18n import current_locale, translate
from ..request_input import form_json
from .common import SHEETS, tenant_session

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
        return render_template("quality/sheet.html", name=name, title=row.title if row else "",
                               body=json.dumps(body, ensure_ascii=False, indent=2),
                               published=bool(row and row.published), problems=[])


def sheet_save(name: str) -> ResponseReturnValue:
    title, text = request.form.get("title", ""), request.form.get("body", "")
    publish = request.form.get("publish") == "1"
    try:
        body: Any = form_json(text)
    except ValueError as exc:
        problems = [f"/: not JSON ({exc})"]
    else:
        try:
            with tenant_session(SHEETS) as (session, who):
                quality.save_sheet(session, who.username, name, title, body, publish)
        except quality.InvalidQuality as exc:
            problems = exc.problems
        else:
            flash(translate("Score sheet published." if publish else "Score sheet saved.", current_locale()))
            return redirect(url_for("quality.sheets"))
    # shown again with what was typed and every problem; nothing is lost
    return render_template("quality/sheet.html", name=name, title=title, body=text, published=publish,
                           problems=problems), 400


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
