"""Platform administration at /admin/ (Flask-Admin, Bootstrap 4 assets served locally).

The platform operator manages tenants, users, DIDs and sees the templates; a tenant admin (and the
operator working inside a tenant) manages that tenant's queues, skills, agents' skills, directories,
prompts, articles and memberships. Access rules and tenant scoping: base.py.
"""

from __future__ import annotations

import logging

from flask import Flask, has_request_context
from flask_admin import Admin

from ...platform.db import Database
from ..i18n import current_locale
from ..security_headers import csp_nonce
from .base import THEME, IndexView, PlatformView, TenantModelView, current_tenant_id
from .data_table_views import data_table_views
from .extension_views import extension_views
from .labels import labeller
from .platform_views import platform_views
from .provider_views import provider_views
from .sessions import RequestSession, session_factory
from .static_files import install as install_static_files
from .tenant_views import tenant_views

__all__ = ["PlatformView", "TenantModelView", "register"]
log = logging.getLogger("hotline.admin")


#: The designer's language → the locale whose shipped translations Flask-Admin (zh_Hans_CN) and WTForms (zh)
#: have: "zh_Hans_CN" finds both folders.
BABEL_LOCALES = {"zh_CN": "zh_Hans_CN", "en": "en"}


def _babel_locale() -> str:
    return BABEL_LOCALES.get(current_locale(), "zh_Hans_CN") if has_request_context() else "zh_Hans_CN"


def _install_babel(app: Flask) -> None:
    """Flask-Admin's own words (List, Create, With selected, Delete) and WTForms' messages ("Not a valid
    integer value.") are translated by Flask-Admin through Flask-Babel when it is installed (flask_admin/babel.py):
    their shipped catalogues, in the request's language (QA of issue 11, item 3)."""
    try:
        from flask_babel import Babel
    except ImportError:  # an environment installed before flask-babel joined the dependencies: English words
        log.warning("flask-babel is not installed: the administration's built-in words stay English")
        return
    # The designer's own Flask-WTF forms keep their messages as they were (they word their own errors).
    app.config.setdefault("WTF_I18N_ENABLED", False)
    Babel(app, locale_selector=_babel_locale)


def register(app: Flask, db: Database) -> Admin:
    """Adds the administration to `app`: Chinese by default, English under ?lang=en."""
    _install_babel(app)
    _ = labeller(app.config["HOTLINE_LOCALE"])
    factory = session_factory(app, db)
    admin = Admin(app, name=_("Hotline administration"), theme=THEME,
                  index_view=IndexView(name=_("Hotline administration"), url="/admin"),
                  csp_nonce_generator=csp_nonce)
    admin.add_views(*platform_views(RequestSession(factory, None), _))
    admin.add_views(*tenant_views(RequestSession(factory, current_tenant_id), _))
    admin.add_views(*provider_views(RequestSession(factory, current_tenant_id), _))
    admin.add_views(*data_table_views(RequestSession(factory, current_tenant_id), _))
    admin.add_views(*extension_views(RequestSession(factory, current_tenant_id), _))
    install_static_files(app)  # Flask-Admin's assets compressed, cached a year under a content-hashed URL
    return admin
