"""Signing in and choosing the tenant over JSON, for the designer's scripts and API clients.

The same rules as the login form (../auth.py): a fresh session on sign-in, 404 for a tenant the user may
not work in. `GET /api/session` also hands out the CSRF token that every write must send as X-CSRFToken.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, session
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf

from ..auth import check_password, load_principal, principal, require_user, sign_in, sign_out, switch_tenant
from .documents import _field, json_body
from .errors import json_error


def _state() -> ResponseReturnValue:
    who = principal()
    return jsonify(authenticated=who is not None, user=who.as_dict() if who else None, csrf_token=generate_csrf())


def blueprint() -> Blueprint:
    bp = Blueprint("session", __name__)

    @bp.get("/session")
    def get_session() -> ResponseReturnValue:
        return _state()

    @bp.post("/session")
    def create_session() -> ResponseReturnValue:
        body = json_body()
        username, password = _field(body, "username", str), _field(body, "password", str)
        slug = _field(body, "tenant", str, required=False)
        user, tenants = check_password(username, password)  # 429 while backing off
        if user is None:
            return json_error(401, "wrong username or password")
        chosen = next((t for t in tenants if t.slug == slug), None)
        if slug is not None and chosen is None:
            abort(404)  # a tenant the user may not work in looks like one that does not exist
        sign_in(user, tenants)
        if chosen is not None:
            session["tenant_id"] = chosen.tenant_id
        load_principal()
        return _state()

    @bp.put("/session/tenant")
    def put_tenant() -> ResponseReturnValue:
        require_user()
        switch_tenant(_field(json_body(), "tenant", str))
        load_principal()
        return _state()

    @bp.delete("/session")
    def delete_session() -> ResponseReturnValue:
        sign_out()
        return "", 204

    return bp
