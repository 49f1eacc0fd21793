"""The knowledge base pages: agents search and read; tenant admins and analysts write, edit and delete."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ...platform.services import knowledge
from ...platform.services.errors import InvalidDocument
from .common import MANAGE, can_manage, tenant_session


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/kb", "kb_list", kb_list, methods=["GET"])
    bp.add_url_rule("/kb/new", "kb_new", kb_edit, methods=["GET", "POST"])
    bp.add_url_rule("/kb/<int:article_id>", "kb_view", kb_view, methods=["GET"])
    bp.add_url_rule("/kb/<int:article_id>/edit", "kb_edit", kb_edit, methods=["GET", "POST"])
    bp.add_url_rule("/kb/<int:article_id>/delete", "kb_delete", kb_delete, methods=["POST"])


def kb_list() -> ResponseReturnValue:
    query = request.args.get("q", "")[:200]
    with tenant_session() as (session, who):
        if query.strip():
            hits = knowledge.search(session, query, limit=50)
            articles = [{"id": h.id, "title": h.title, "tags": h.tags, "snippet": h.snippet} for h in hits]
        else:
            articles = [{"id": a.id, "title": a.title, "tags": a.tags, "snippet": a.body[:80]}
                        for a in knowledge.all_articles(session)]
        return render_template("records/kb_list.html", articles=articles, q=query, manage=can_manage(who))


def kb_view(article_id: int) -> ResponseReturnValue:
    with tenant_session() as (session, who):
        article = knowledge.get(session, article_id)
        return render_template("records/kb_view.html", article=article, manage=can_manage(who))


def kb_edit(article_id: int | None = None) -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, who):
        article = knowledge.get(session, article_id) if article_id is not None else None
        values = {"title": article.title if article else "", "body": article.body if article else "",
                  "tags": "、".join(article.tags) if article else ""}
        errors: dict[str, str] = {}
        if request.method == "POST":
            values = {key: request.form.get(key, "") for key in ("title", "body", "tags")}
            try:
                saved = knowledge.save(session, article_id=article_id, title=values["title"], body=values["body"],
                                       tags=values["tags"], actor=who.username)
            except InvalidDocument as exc:
                errors = {f.pointer.strip("/"): f.message for f in exc.findings}
            else:
                flash("Saved")
                return redirect(url_for("records.kb_view", article_id=saved.id))
        status = 422 if errors else 200
        return render_template("records/kb_edit.html", article=article, values=values, errors=errors), status


def kb_delete(article_id: int) -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, who):
        knowledge.delete(session, article_id, who.username)
    flash("Deleted")
    return redirect(url_for("records.kb_list"))
