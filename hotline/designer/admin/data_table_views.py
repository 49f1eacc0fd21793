"""Tenant admin: the tenant's data tables (the IVR lookup's waybills and the like) — rows counted, a CSV/.xlsx
file loaded with its report per line, the table exported. The same service as the JSON API
(services/data_tables.py); rows one by one are edited through the API.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from flask_admin import BaseView, expose

from ...platform.services import data_tables
from ...platform.services.errors import NotFound
from ...platform.services.import_jobs import MAX_FILE_BYTES
from .. import auth
from .base import AccessMixin, Label, is_tenant_admin


class DataTablesView(AccessMixin, BaseView):
    def __init__(self, session: Any, _: Label, **kwargs: Any) -> None:
        self.session, self._ = session, _
        super().__init__(**kwargs)

    def allowed(self) -> bool:
        return is_tenant_admin()

    def create_blueprint(self, admin: Any) -> Any:
        blueprint = super().create_blueprint(admin)
        blueprint.template_folder = "templates"
        blueprint.root_path = __file__.rsplit("/", 1)[0]
        return blueprint

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        report, table = None, None
        if request.method == "POST":
            table = request.form.get("table", "")
            upload = request.files.get("file")
            content = upload.stream.read(MAX_FILE_BYTES + 1) if upload is not None else b""
            who = auth.principal()
            try:
                report = data_tables.import_file(self.session, table, upload.filename if upload else "", content,
                                                 who.username if who else "admin").as_dict()
            except NotFound:
                abort(404)
            self.session.commit()
        return self.render("hotline_admin/data_tables.html", tables=data_tables.tables(self.session),
                           report=report, imported=table, _=self._)

    @expose("/export/<table>")  # not <name>: Flask-Admin's _handle_view takes `name` itself
    def export(self, table: str) -> Any:
        try:
            data = data_tables.export_csv(self.session, table)
        except NotFound:
            abort(404)
        return Response(data, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'})


def data_table_views(session: Any, _: Label) -> list[DataTablesView]:
    return [DataTablesView(session, _, name=_("Data tables"), category=_("Tenant"), endpoint="data_tables")]
