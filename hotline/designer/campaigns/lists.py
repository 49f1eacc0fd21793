"""Contact lists (import a CSV/Excel file with a per-line report, or build one from the tenant's tickets and
customers) and the tenant's do-not-call list."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...platform.jobs.imports import enqueue_contact_import, live_contact_imports
from ...platform.models import Contact, ContactList, DncEntry, ImportJob
from ...platform.outbound import built_lists, contact_jobs, contacts, dnc
from ...platform.services.errors import InvalidDocument, NotFound
from ...platform.services.notifications import after_commit
from .. import quotas
from ..i18n import current_locale, translate
from ..redis_access import job_queues
from ..request_input import large_body
from .common import OPERATE, tenant_session
from .forms import BuiltListForm, ContactListForm, DncForm
from .messages import dnc_note, error_words, plural, say_now

DNC_PAGE = 200


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/lists", "list_index", list_index, methods=["GET", "POST"])
    bp.add_url_rule("/lists/build", "list_build", list_build, methods=["POST"])
    bp.add_url_rule("/lists/<int:list_id>", "list_detail", list_detail, methods=["GET"])
    bp.add_url_rule("/lists/<int:list_id>/import", "list_import", list_import, methods=["POST"])
    bp.add_url_rule("/lists/<int:list_id>/imports/<int:job_id>", "list_import_job", list_import_job,
                    methods=["GET"])
    bp.add_url_rule("/lists/<int:list_id>/imports/<int:job_id>/retry", "list_import_retry", list_import_retry,
                    methods=["POST"])
    bp.add_url_rule("/api/imports/<int:job_id>", "import_progress", import_progress, methods=["GET"])
    bp.add_url_rule("/dnc", "dnc_index", dnc_index, methods=["GET", "POST"])
    bp.add_url_rule("/dnc/<int:dnc_id>/delete", "dnc_delete", dnc_delete, methods=["POST"])


def _lists(session):  # type: ignore[no-untyped-def]
    """(list, contacts, its latest import as contact_jobs.as_dict or None) for the lists page: a list whose import
    failed shows so, with why and the way to its retry, rather than as an empty list (13b #3)."""
    counts = dict(session.execute(select(Contact.list_id, func.count()).group_by(Contact.list_id)).all())
    latest = (select(ImportJob.target_id, func.max(ImportJob.id).label("id"))
              .where(ImportJob.kind == "contacts").group_by(ImportJob.target_id).subquery())
    rows = list(session.scalars(select(ImportJob).join(latest, ImportJob.id == latest.c.id)))
    for job in rows:  # an import whose worker died reads as interrupted here too (QA 13f #2)
        _interrupted(job)
    jobs = {job.target_id: contact_jobs.as_dict(job) for job in rows}
    return [(c, counts.get(c.id, 0), jobs.get(c.id))
            for c in session.scalars(select(ContactList).order_by(ContactList.name))]


def _start_import(session, contact_list: ContactList, filename: str, content: bytes,  # type: ignore[no-untyped-def]
                  actor: str) -> str:
    """Stores the upload as a contact import job, enqueued once the transaction commits; the progress page's URL."""
    job = contact_jobs.create(session, contact_list, filename, content, actor)
    queue, tenant_id, job_id = job_queues().default, job.tenant_id, job.id
    after_commit(session, lambda: enqueue_contact_import(queue, tenant_id, job_id))
    return url_for("campaigns.list_import_job", list_id=contact_list.id, job_id=job_id)


def _file_errors(exc: InvalidDocument) -> list[str]:
    return [say_now(f.message) for f in exc.findings]


@large_body(contact_jobs.MAX_FILE_BYTES + 64 * 1024)
def list_index() -> ResponseReturnValue:
    form = ContactListForm()
    target = None
    with tenant_session(OPERATE) as (session, who):
        if request.method == "POST" and form.validate_on_submit():
            quotas.enforce("import", who.tenant.tenant_id)
            upload = request.files.get("file")
            try:
                with session.begin_nested():  # the list and its upload together, or neither
                    contact_list = contacts.create_list(session, form.name.data.strip(), form.purpose.data,
                                                        who.username)
                    target = (_start_import(session, contact_list, upload.filename, upload.read(), who.username)
                              if upload is not None and upload.filename else
                              url_for("campaigns.list_detail", list_id=contact_list.id))
            except ValueError as exc:
                form.name.errors = [*form.name.errors, error_words(exc)]
            except InvalidDocument as exc:
                form.file.errors = [*form.file.errors, *_file_errors(exc)]
                target = None
        if target is None:
            status = 422 if request.method == "POST" else 200
            return render_template("campaigns/lists.html", lists=_lists(session), form=form,
                                   built=BuiltListForm(formdata=None)), status
    return redirect(target)


def list_build() -> ResponseReturnValue:
    form = BuiltListForm()
    locale = current_locale()
    with tenant_session(OPERATE) as (session, who):
        if form.validate_on_submit():
            try:
                with session.begin_nested():
                    if form.source.data == "return_visits":
                        built = built_lists.return_visits_yesterday(session, form.name.data.strip(),
                                                                    datetime.now(UTC), who.username)
                    else:
                        built = built_lists.flagged_customers(session, form.name.data.strip(), form.flag.data or "",
                                                              who.username)
            except ValueError as exc:
                form.name.errors = [*form.name.errors, translate(str(exc), locale)]
            else:
                flash({"text": plural("list.built", built.added), "added": built.added,
                       "skipped": len(built.skipped)})
                return redirect(url_for("campaigns.list_detail", list_id=built.contact_list.id))
        return render_template("campaigns/lists.html", lists=_lists(session), form=ContactListForm(formdata=None),
                               built=form), 422


def _get_list(session, list_id: int) -> ContactList:  # type: ignore[no-untyped-def]
    contact_list = session.get(ContactList, list_id)
    if contact_list is None:
        raise NotFound(f"contact list {list_id} not found")
    return contact_list


def list_detail(list_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, _who):
        contact_list = _get_list(session, list_id)
        rows = session.scalars(select(Contact).where(Contact.list_id == list_id).order_by(Contact.id).limit(100))
        return render_template("campaigns/list_detail.html", contact_list=contact_list,
                               count=session.scalar(select(func.count()).where(Contact.list_id == list_id)),
                               contacts=list(rows))


@large_body(contact_jobs.MAX_FILE_BYTES + 64 * 1024)
def list_import(list_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, who):
        contact_list = _get_list(session, list_id)
        quotas.enforce("import", who.tenant.tenant_id)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash({"text": "Choose a file to import."}, "error")
            target = url_for("campaigns.list_detail", list_id=list_id)
        else:
            try:
                with session.begin_nested():
                    target = _start_import(session, contact_list, upload.filename, upload.read(), who.username)
            except InvalidDocument as exc:
                for message in _file_errors(exc):
                    flash(message, "error")
                target = url_for("campaigns.list_detail", list_id=list_id)
    return redirect(target)


def _interrupted(job: ImportJob) -> None:
    """Shows an import whose worker died as failed and retryable (QA 13f #2); left as it is when Redis cannot say
    which imports are still queued or running (a missing answer is no proof the job is gone)."""
    if job.status not in ("queued", "running"):
        return
    try:
        live = live_contact_imports(job_queues().default)
    except RedisError:  # Redis down: keep showing the progress as stored
        return
    contact_jobs.mark_interrupted(job, live, datetime.now(UTC))


def list_import_job(list_id: int, job_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, _who):
        contact_list = _get_list(session, list_id)
        job = contact_jobs.get(session, job_id)
        if job.target_id != contact_list.id:
            raise NotFound(f"import #{job_id} not found")
        _interrupted(job)
        return render_template("campaigns/import_job.html", contact_list=contact_list, job=contact_jobs.as_dict(job))


def list_import_retry(list_id: int, job_id: int) -> ResponseReturnValue:
    """重试 on a failed import: the job is queued again and resumes after its last committed batch."""
    with tenant_session(OPERATE) as (session, who):
        contact_list = _get_list(session, list_id)
        job = contact_jobs.get(session, job_id)
        if job.target_id != contact_list.id:
            raise NotFound(f"import #{job_id} not found")
        try:
            with session.begin_nested():
                contact_jobs.retry(session, job, who.username)
        except InvalidDocument:
            flash({"text": "This import cannot be retried: only a failed import whose file is still kept can."},
                  "error")
        else:
            queue, tenant_id = job_queues().default, job.tenant_id
            after_commit(session, lambda: enqueue_contact_import(queue, tenant_id, job_id))
    return redirect(url_for("campaigns.list_import_job", list_id=list_id, job_id=job_id))


def import_progress(job_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, _who):
        stored = contact_jobs.get(session, job_id)
        _interrupted(stored)
        job = contact_jobs.as_dict(stored)
    # the stored codes in the reader's words: the page's script writes them as text (QA 13 #1)
    job["errors"] = [{"line": e["line"], "reason": say_now(e["reason"])} for e in job["errors"]]
    job["failure"] = say_now(job["failure"]) if job["failure"] else job["failure"]
    return jsonify(job)


def dnc_index() -> ResponseReturnValue:
    form = DncForm()
    with tenant_session(OPERATE) as (session, who):
        status = 200
        if request.method == "POST":
            status = 422
            if form.validate_on_submit():
                try:
                    with session.begin_nested():
                        dnc.add(session, form.phone.data, "operator", who.username, form.note.data or "")
                except (ValueError, IntegrityError) as exc:
                    form.phone.errors = [*form.phone.errors, error_words(exc)]
                else:
                    flash({"text": "Added to the do-not-call list."})
                    return redirect(url_for("campaigns.dnc_index"))
        entries = session.scalars(select(DncEntry).order_by(DncEntry.created_at.desc(), DncEntry.id.desc())
                                  .limit(DNC_PAGE))
        total = session.scalar(select(func.count()).select_from(DncEntry))
        labels = dnc.disposition_labels(session)
        return render_template("campaigns/dnc.html", form=form, entries=list(entries), total=total,
                               note=lambda stored: dnc_note(stored, labels)), status


def dnc_delete(dnc_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, _who):
        entry = session.get(DncEntry, dnc_id)
        if entry is None:
            raise NotFound(f"do-not-call entry {dnc_id} not found")
        session.delete(entry)
    flash({"text": "Removed from the do-not-call list."})
    return redirect(url_for("campaigns.dnc_index"))
