"""Customers: list with search, filter, sort and paging; create, edit, delete; batch import as an RQ job with a
progress bar; export of the current filter as CSV or Excel.

Agents create, edit and delete customers (the seed's desk does, during the call); imports and exports of the
whole book are for tenant admins and analysts.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest

from ...platform import customer_flags
from ...platform.jobs.imports import enqueue_import
from ...platform.services import customer_export, customers, import_jobs
from ...platform.services.errors import Duplicate, InvalidDocument
from ...platform.services.notifications import after_commit
from .. import quotas
from ..i18n import current_locale
from ..request_input import large_body
from .common import MANAGE, can_manage, int_arg, job_queues, pages, query_with, tenant_session
from .strings import SORT_LABELS

PER_PAGE = 50
SORTS = ("name", "-name", "-created_at", "created_at", "-updated_at")
FIELDS = ("name", "phones", "address", "flags", "note")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/customers", "customer_list", customer_list, methods=["GET"])
    bp.add_url_rule("/customers/new", "customer_new", customer_edit, methods=["GET", "POST"])
    bp.add_url_rule("/customers/<int:customer_id>", "customer_edit", customer_edit, methods=["GET", "POST"])
    bp.add_url_rule("/customers/<int:customer_id>/delete", "customer_delete", customer_delete, methods=["POST"])
    bp.add_url_rule("/customers/import", "customer_import", customer_import, methods=["GET", "POST"])
    bp.add_url_rule("/customers/import/<int:job_id>", "customer_import_job", customer_import_job, methods=["GET"])
    bp.add_url_rule("/customers/export", "customer_export", export, methods=["GET"])


def _filters() -> dict[str, Any]:
    vip_arg = request.args.get("vip", "")
    if vip_arg not in ("", "1", "0"):
        raise BadRequest("vip is 1 (VIP only) or 0 (others only)")
    return {"text": request.args.get("q", "")[:200] or None, "vip": {"1": True, "0": False}.get(vip_arg),
            "flag": request.args.get("flag", "")[:100] or None}


def customer_list() -> ResponseReturnValue:
    page = int_arg("page", 1, 1, 100_000)
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        raise BadRequest(f"sort is one of {', '.join(SORTS)}")
    filters = _filters()
    with tenant_session() as (session, who):
        rows, total = customers.search(session, sort=sort, page=page, per_page=PER_PAGE, **filters)
        return render_template("records/customers.html", rows=rows, p=pages(total, page, PER_PAGE), args=query_with,
                               sorts=SORTS, sort_labels=SORT_LABELS, sort=sort, manage=can_manage(who))


def _form_values(customer: Any = None) -> dict[str, str]:
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in FIELDS}
        values["vip"] = "1" if request.form.get("vip") else ""
        return values
    if customer is None:
        return {"name": "", "phones": request.args.get("phone", ""), "address": "", "flags": "", "note": "",
                "vip": ""}
    return {"name": customer.name, "phones": "\n".join(p.phone for p in customer.phones), "address": customer.address,
            "flags": "、".join(customer_flags.labels(map(str, customer.flags), current_locale())),
            "note": customer.note, "vip": "1" if customer.vip else ""}


def _split(text: str) -> list[str]:
    for sep in ",，;；、/／\r":
        text = text.replace(sep, "\n")
    return [piece.strip() for piece in text.split("\n") if piece.strip()]


def customer_edit(customer_id: int | None = None) -> ResponseReturnValue:
    with tenant_session() as (session, who):
        customer = customers.get(session, customer_id) if customer_id is not None else None
        values = _form_values(customer)
        errors: dict[str, str] = {}
        if request.method == "POST":
            fields = {"name": values["name"], "phones": _split(values["phones"]), "address": values["address"],
                      "vip": bool(values["vip"]), "flags": _split(values["flags"]), "note": values["note"]}
            try:
                if customer is None:
                    customer = customers.create(session, actor=who.username, **fields)
                else:
                    customers.update(session, customer.id, actor=who.username, **fields)
            except InvalidDocument as exc:
                errors = {f.pointer.strip("/").split("/")[0]: f.message for f in exc.findings}
            except Duplicate as exc:
                errors = {"phones": str(exc)}
            else:
                flash("Saved")
                return redirect(url_for("records.customer_edit", customer_id=customer.id))
        status = 422 if errors else 200
        return render_template("records/customer_edit.html", customer=customer if customer_id else None,
                               values=values, errors=errors), status


def customer_delete(customer_id: int) -> ResponseReturnValue:
    with tenant_session() as (session, who):
        customers.delete(session, customer_id, who.username)
    flash("Deleted")
    return redirect(url_for("records.customer_list"))


@large_body(import_jobs.MAX_FILE_BYTES + 64 * 1024)  # a customer book is larger than the app's 4 MB limit
def customer_import() -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, who):
        if request.method == "POST":
            assert who.tenant is not None
            quotas.enforce("import", who.tenant.tenant_id)
            upload = request.files.get("file")
            content = upload.read() if upload is not None else b""
            try:
                job = import_jobs.create(session, upload.filename if upload is not None else "", content,
                                         who.username)
            except InvalidDocument as exc:
                return render_template("records/customer_import.html", jobs=import_jobs.recent(session),
                                       error="; ".join(f.message for f in exc.findings)), 422
            queue = job_queues().default
            tenant_id, job_id = job.tenant_id, job.id
            after_commit(session, lambda: enqueue_import(queue, tenant_id, job_id))
            target = url_for("records.customer_import_job", job_id=job_id)
        else:
            return render_template("records/customer_import.html", jobs=import_jobs.recent(session), error=None)
    return redirect(target)


def customer_import_job(job_id: int) -> ResponseReturnValue:
    with tenant_session(MANAGE) as (session, _who):
        job = import_jobs.as_dict(import_jobs.get(session, job_id))
    return render_template("records/customer_import_job.html", job=job)


def export() -> ResponseReturnValue:
    fmt = request.args.get("format", "csv")
    if fmt not in customer_export.FORMATS:
        raise BadRequest(f"format is one of {', '.join(customer_export.FORMATS)}")
    filters = _filters()
    with tenant_session(MANAGE) as (session, who):
        assert who.tenant is not None
        quotas.enforce("export", who.tenant.tenant_id)
        content = customer_export.export(session, fmt, locale=current_locale(), **filters)
    return Response(content, content_type=customer_export.FORMATS[fmt],
                    headers={"Content-Disposition": f"attachment; filename=customers.{fmt}"})
