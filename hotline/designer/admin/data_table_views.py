"""Tenant admin: the tenant's data tables (the IVR lookup's waybills and the like) — rows counted, a CSV/.xlsx
file queued for loading by a worker (the page lists recent loads with their status and report per line; a
large file must not hold the request), the table exported. The same service as the JSON API
(services/data_tables.py); rows one by one are edited through the API.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, request, url_for
from flask_admin import expose

from ...platform.jobs.imports import enqueue_table_import
from ...platform.services import data_tables, import_jobs, table_import_jobs
from ...platform.services.errors import InvalidDocument, NotFound
from ...platform.services.import_jobs import MAX_FILE_BYTES
from ...platform.services.notifications import after_commit
from .. import auth, quotas
from ..i18n import current_locale, translate
from ..redis_access import job_queues
from .base import Label, TenantView


class DataTablesView(TenantView):
    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        error = None
        if request.method == "POST":
            table = request.form.get("table", "")
            upload = request.files.get("file")
            content = upload.stream.read(MAX_FILE_BYTES + 1) if upload is not None else b""
            who = auth.principal()
            tenant_id = who.tenant.tenant_id if who and who.tenant else None
            if tenant_id is None:
                abort(403)
            quotas.enforce("import", tenant_id)
            try:
                job = table_import_jobs.create(self.session, table, upload.filename if upload else "", content,
                                               who.username if who else "admin")
            except NotFound:
                abort(404)
            except InvalidDocument as exc:
                self.session.rollback()
                error = f"{table}: " + "; ".join(f.message for f in exc.findings)
            else:
                queue, job_id = job_queues().default, job.id
                after_commit(self.session, lambda: enqueue_table_import(queue, tenant_id, job_id))
                self.session.commit()
                return redirect(url_for(".index"))
        locale = current_locale()
        tables = data_tables.tables(self.session)
        labels = {t["name"]: t["label"] or t["name"] for t in tables}
        # the table by its label (运单状态, not waybills: QA of issue 11, item 5)
        imports = [{**import_jobs.as_dict(job), "table": labels.get(table_import_jobs.table_of(self.session, job))
                    or table_import_jobs.table_of(self.session, job),
                    "status_label": translate(job.status, locale)}
                   for job in table_import_jobs.recent(self.session)]
        return self.render("hotline_admin/data_tables.html", tables=tables,
                           imports=imports, error=error, _=self._), 422 if error else 200

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
