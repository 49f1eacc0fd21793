"""The template gallery: industry templates with a preview, tenant creation and re-import into drafts.

Pages (Chinese by default, strings in ./strings.py):
* `GET /templates/` — every template of tenant_templates/ with its description.
* `GET /templates/<name>` — its preview: documents, an outline of each IVR, the forms and their fields;
  for the platform operator a "create tenant from this template" form; for whoever may change documents
  in a tenant cloned from this template, a "re-import into draft" button per document.
* `POST /templates/<name>/tenants` — create the tenant (operator only), then work in it.
* `POST /templates/<name>/reimport/<kind>/<doc>` — the template's version becomes the tenant's draft
  (a new draft revision; the published version, and every call, is untouched until someone publishes).
Any signed-in user may look at the gallery: templates are product material, not tenant data.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from ...platform.models import Document, Tenant
from ...platform.services import audit, templates, tenants
from ...platform.services.documents import DocumentService
from ...platform.services.errors import Duplicate, InvalidDocument, NotFound
from ...platform.words import port_label
from ..auth import WRITE_DOCUMENTS, database, login_required, principal, require_tenant, require_user
from ..form_base import LocalizedForm
from ..i18n import current_locale, translate
from . import creation
from .outline import template_preview
from .strings import term

#: What a tenant name may be, said in words (the browser's own "Please match the requested format." is English
#: only and says nothing about what is allowed).
SLUG_RULE = "2–64 characters: lower-case letters, digits, '_' or '-', starting with a letter"


#: A refused creation re-renders the page with the message and the inputs kept, as 200: a 4xx page load logs
#: "Failed to load resource: 409 (CONFLICT)" in the console (QA fix-forms #3).
REFUSED = 200


class CreateTenantForm(LocalizedForm):
    # The browser's pattern (compiled with the v flag in Chrome, where a '-' in a class must be escaped)
    slug = StringField("Tenant name", render_kw={"pattern": r"[a-z][a-z0-9_\-]{1,63}"}, validators=[
        DataRequired(message="Enter the tenant's name"), Length(min=2, max=64),
        Regexp(r"^[a-z][a-z0-9_-]*$", message="Lower-case letters, digits, '_' or '-', starting with a letter")])
    title = StringField("Title", validators=[Length(max=200)])
    dids = StringField("Numbers (DIDs)", validators=[Length(max=1000)])
    admin_username = StringField("First tenant admin (login)", validators=[Length(max=64)])


def _template(name: str) -> templates.Template:
    try:
        return templates.load(name)
    except NotFound:
        abort(404)


def _tenant_state(name: str) -> tuple[bool, dict[tuple[str, str], Document]]:
    """Whether the current tenant comes from template `name` and the user may re-import, with its documents."""
    who = principal()
    if who is None or who.tenant is None or not who.may(WRITE_DOCUMENTS):
        return False, {}
    with database().tenant(who.tenant.tenant_id) as db_session:
        tenant = db_session.get(Tenant, who.tenant.tenant_id)
        if tenant is None or tenant.template != name:
            return False, {}
        docs = {(d.kind, d.name): d for d in db_session.scalars(select(Document))}
        for doc in docs.values():
            db_session.expunge(doc)
        return True, docs


def blueprint() -> Blueprint:
    bp = Blueprint("gallery", __name__, url_prefix="/templates", template_folder="templates")

    @bp.get("/")
    @login_required
    def index() -> ResponseReturnValue:
        items = []
        for name in templates.available():
            template = templates.load(name)
            items.append({"name": name, "title": template.title,
                          "description": template.manifest.get("description", ""),
                          "industry": template.manifest.get("industry", ""),
                          "counts": {kind: len(names) for kind, names in template.manifest["documents"].items()}})
        return render_template("gallery/index.html", templates=items)

    @bp.get("/<name>")
    @login_required
    def show(name: str) -> ResponseReturnValue:
        return _show(name, CreateTenantForm(), 200)

    def _show(name: str, form: CreateTenantForm, status: int, error: str | None = None) -> ResponseReturnValue:
        template = _template(name)
        can_reimport, tenant_docs = _tenant_state(name)
        return render_template("gallery/show.html", t=template_preview(template), form=form, error=error,
                               slug_rule=SLUG_RULE, max_dids=creation.MAX_DIDS,
                               dids_used=creation.count_typed(form.dids.data or ""),
                               can_create=require_user().is_platform_operator, can_reimport=can_reimport,
                               tenant_docs=tenant_docs, term=term, port_label=port_label), status

    @bp.get("/slug-check")
    @login_required
    def slug_check() -> ResponseReturnValue:
        """Whether a tenant name is free, for the form's live check: always 200, {available, reason}."""
        if not require_user().is_platform_operator:
            abort(403)
        slug = request.args.get("slug", "")[:100]
        locale = current_locale()
        if not tenants.SLUG.fullmatch(slug):
            return jsonify(available=False, reason=translate(SLUG_RULE, locale))
        with database().platform() as db_session:
            taken = db_session.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None
        if taken:
            return jsonify(available=False, reason=translate(
                "A tenant named {slug} already exists; choose another name.", locale).format(slug=slug))
        return jsonify(available=True, reason=None)

    @bp.post("/<name>/tenants")
    @login_required
    def create_tenant(name: str) -> ResponseReturnValue:
        who = require_user()
        if not who.is_platform_operator:
            abort(403)
        template = _template(name)
        form = CreateTenantForm()
        if not form.validate_on_submit():  # the form's refusal is an answer (200), a missing CSRF token is not
            return _show(name, form, 400 if "csrf_token" in form.errors else REFUSED)
        slug, title = form.slug.data or "", (form.title.data or "").strip() or None
        locale = current_locale()
        try:
            numbers = creation.parse_dids(form.dids.data or "")
            with database().platform() as db_session:  # one transaction: a refusal leaves no half tenant
                creation.check_free(db_session, numbers)
                tenant = templates.clone(db_session, template, slug, title, who.username, dids=numbers)
                admin = creation.first_admin(db_session, tenant, form.admin_username.data or "", who.username)
                tenant_id = tenant.id
        except creation.Refused as exc:
            return _show(name, form, REFUSED, translate(exc.template, locale).format(**exc.values))
        except Duplicate:  # the service's message is English: say it in the page's language
            return _show(name, form, REFUSED, translate("A tenant named {slug} already exists; choose another name.",
                                                    locale).format(slug=slug))
        except ValueError as exc:
            return _show(name, form, REFUSED, str(exc))
        except InvalidDocument as exc:  # a broken template file: say which document and why
            details = "; ".join(f"{f.pointer or '/'}: {f.message}" for f in exc.findings[:5])
            return _show(name, form, 422, f"{exc.args[0]} {details}".strip())
        session["tenant_id"] = tenant_id  # the operator may work in any tenant: switch into the new one
        flash({"text": "Tenant {slug} created from template {template}; you are now working in it.",
               "slug": slug, "template": template.title})
        if numbers:
            flash({"text": "Numbers routed to its main IVR: {numbers}.", "numbers": ", ".join(numbers)})
        if admin is not None and admin.password:
            flash({"text": "First tenant admin: new account {username}, one-time password {password} (shown only "
                           "now: pass it on; they change it on their password page).",
                   "username": admin.username, "password": admin.password})
        elif admin is not None:
            flash({"text": "First tenant admin: the existing account {username} now has the role.",
                   "username": admin.username})
        return redirect(url_for("studio.index"))

    @bp.post("/<name>/reimport/<kind>/<doc>")
    def reimport(name: str, kind: str, doc: str) -> ResponseReturnValue:
        who = require_tenant(WRITE_DOCUMENTS)
        assert who.tenant is not None
        template = _template(name)
        body = template.documents.get((kind, doc))
        with database().tenant(who.tenant.tenant_id) as db_session:
            tenant = db_session.get(Tenant, who.tenant.tenant_id)
            if body is None or tenant is None or tenant.template != name:
                abort(404)  # not this tenant's template, or not a document of it
            service = DocumentService(db_session, who.username)
            try:
                current = service.get(kind, doc)
                current = service.save_draft(kind, doc, body, current.draft_revision)
                revision = current.draft_revision
            except NotFound:  # the tenant had deleted it: bring it back as a draft
                revision = service.create(kind, doc, body, template_ref=f"{name}/{kind}/{doc}").draft_revision
            audit.record(db_session, who.username, "document.reimport_template", kind, doc,
                         {"template": name, "revision": revision, "from": "gallery"})
        flash({"text": "{document} re-imported into the draft (revision {revision}); publish it to use it.",
               "document": f"{kind}/{doc}", "revision": revision})
        return redirect(url_for("gallery.show", name=name))

    return bp
