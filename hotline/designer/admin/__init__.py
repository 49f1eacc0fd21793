"""Platform administration at /admin/ (Flask-Admin, Bootstrap 4 assets served locally).

The platform operator manages tenants, users, DIDs and sees the templates; a tenant admin (and the
operator working inside a tenant) manages that tenant's queues, skills, agents' skills, directories,
prompts, articles and memberships. Access rules and tenant scoping: base.py.
"""

from __future__ import annotations

from flask import Flask
from flask_admin import Admin

from ...platform.db import Database
from ..security_headers import csp_nonce
from .base import THEME, IndexView, PlatformView, TenantModelView, current_tenant_id
from .data_table_views import data_table_views
from .labels import labeller
from .platform_views import platform_views
from .provider_views import provider_views
from .sessions import RequestSession, session_factory
from .tenant_views import tenant_views

__all__ = ["PlatformView", "TenantModelView", "register"]


def register(app: Flask, db: Database) -> Admin:
    """Adds the administration to `app`, labelled in the app's configured language."""
    _ = labeller(app.config["HOTLINE_LOCALE"])
    factory = session_factory(app, db)
    admin = Admin(app, name=_("Hotline administration"), theme=THEME,
                  index_view=IndexView(name=_("Hotline administration"), url="/admin"),
                  csp_nonce_generator=csp_nonce)
    admin.add_views(*platform_views(RequestSession(factory, None), _))
    admin.add_views(*tenant_views(RequestSession(factory, current_tenant_id), _))
    admin.add_views(*provider_views(RequestSession(factory, current_tenant_id), _))
    admin.add_views(*data_table_views(RequestSession(factory, current_tenant_id), _))
    return admin
