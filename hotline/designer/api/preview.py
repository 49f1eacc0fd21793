"""`POST /api/documents/form/<name>/preview`: the form exactly as an agent will get it, from a draft.

The HTML comes from the desk's own renderer (desk/form_render.py) over the WTForms class generated from the
document (platform/ticket_forms.py) — the same code path as the agent's ticket page, so what the analyst
previews cannot drift from what agents see. The body given (the editor's unsaved draft) or, without one,
the stored draft is previewed; the findings of schema and lint come along so the editor shows both at once.
A draft too broken to generate a form still answers 200: the findings say why, the HTML says it is missing.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from ...platform.findings import Finding, has_errors
from ..desk.form_render import render_ticket_form
from ..i18n import current_locale, extend, translate
from .documents import _field, documents

log = logging.getLogger(__name__)
extend({"The preview cannot be shown until the errors are fixed.": {"zh_CN": "请先修正错误，才能显示预览。"}})


def preview_html(draft: dict[str, Any]) -> tuple[str, list[Finding]]:
    """The rendered form, or a notice and a finding when no form can be generated from the draft."""
    try:
        return str(render_ticket_form(draft)), []
    except Exception as exc:  # a half-edited draft: any shape may arrive here
        log.info("form preview failed: %s", exc)
        reason = f"{type(exc).__name__}: {exc}"
        notice = Markup('<div class="tf-preview-error" role="alert">{}</div>').format(
            translate("The preview cannot be shown until the errors are fixed.", current_locale()))
        return str(notice), [Finding("", "error", f"the form cannot be generated from this draft ({reason})",
                                     "preview")]


def blueprint() -> Blueprint:
    bp = Blueprint("form_preview", __name__)

    @bp.post("/documents/form/<name>/preview")
    def form_preview(name: str) -> ResponseReturnValue:
        body = request.get_json(silent=True) if request.content_length else {}
        if not isinstance(body, dict):
            raise BadRequest("the request body must be a JSON object")
        with documents() as service:
            stored = service.get("form", name).draft
            draft = _field(body, "draft", dict, required=False, default=stored)
            findings = service.validate("form", draft)
        html, problems = preview_html(draft)
        findings = [*findings, *problems]
        return jsonify(html=html, findings=[f.as_dict() for f in findings], valid=not has_errors(findings))

    return bp
