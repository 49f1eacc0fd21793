"""Campaign pages: the list, the create form, the detail page with its state buttons and live progress, and the
results export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from werkzeug.exceptions import BadRequest

from ...platform.jobs.imports import enqueue_campaign_enrolment
from ...platform.models import Contact, ContactList, Document, Queue, Tenant
from ...platform.models.campaigns import CAMPAIGN_MODES
from ...platform.outbound import campaigns, results
from ...platform.outbound.campaigns import CampaignRefused
from ...platform.outbound.progress import progress
from ...platform.services.documents import DocumentService
from ...platform.services.errors import Duplicate, InvalidDocument, NotFound
from ...platform.services.notifications import after_commit
from ...platform.wallboard.today import tenant_zone
from .. import quotas, sse
from ..auth import database
from ..i18n import current_locale, translate
from ..redis_access import job_queues
from . import finding_words, settings_errors
from .common import OPERATE, agents_now, tenant_session
from .forms import CampaignForm, StopForm, parse_retries, parse_windows
from .messages import plural, say_now

#: Lists longer than this join a new campaign in an RQ job (jobs/imports.run_campaign_enrolment), not the request.
ENROL_IN_REQUEST = 5_000
ACTIONS = ("start", "pause", "resume", "stop")
STREAM_INTERVAL = 2.0
STREAM_SECONDS = 300.0


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/", "campaign_list", campaign_list, methods=["GET"])
    bp.add_url_rule("/new", "campaign_new", campaign_new, methods=["GET", "POST"])
    bp.add_url_rule("/<int:campaign_id>", "campaign_detail", campaign_detail, methods=["GET"])
    bp.add_url_rule("/<int:campaign_id>/do/<action>", "campaign_action",
                    campaign_action, methods=["POST"])
    bp.add_url_rule("/<int:campaign_id>/events", "campaign_events", campaign_events, methods=["GET"])
    bp.add_url_rule("/<int:campaign_id>/export", "campaign_export", campaign_export, methods=["GET"])


def _now() -> datetime:
    return datetime.now(UTC)


def campaign_list() -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, who):
        rows = [(c, campaigns.entry_counts(session, c.id)) for c in campaigns.list_campaigns(session)]
        tenant = session.get(Tenant, who.tenant.tenant_id)
        return render_template("campaigns/list.html", rows=rows, zone=tenant_zone(tenant.settings),
                               script_titles=script_titles(session))


def script_titles(session: Any, published_only: bool = False) -> dict[str, str]:
    """{outbound script name: its title}: pages show the title the designer shows ("工单回访"), never the stored
    name (QA 13 round 4 #5: the picker and the campaign pages read "return_visit")."""
    query = select(Document.name, Document.draft).where(Document.kind == "outbound").order_by(Document.name)
    if published_only:
        query = query.where(Document.published_version.is_not(None))
    return {name: str((draft or {}).get("title") or name) for name, draft in session.execute(query)}


def _choices(form: CampaignForm, session: Any) -> None:
    locale = current_locale()
    form.script.choices = list(script_titles(session, published_only=True).items())
    # only lists with contacts: a list whose import failed is empty, and a campaign on it dials nobody (13b #3)
    has_contacts = select(Contact.id).where(Contact.list_id == ContactList.id).exists()
    form.contact_list.choices = [(c.id, c.name) for c in session.scalars(
        select(ContactList).where(has_contacts).order_by(ContactList.name))]
    form.mode.choices = [("", translate("as the script says", locale))] + [
        (m, translate(f"mode.{m}", locale)) for m in CAMPAIGN_MODES]
    form.queue.choices = [("", "—")] + [(q.name, q.label or q.name) for q in session.scalars(
        select(Queue).order_by(Queue.name))]


def campaign_new() -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, who):
        form = CampaignForm()
        _choices(form, session)
        status = 200
        if request.method == "POST":
            status = 422
            if form.validate_on_submit():
                windows = parse_windows(form.windows.data)
                # a large list joins in the background: 100,000 contacts held the request 9-29 s (13b #6)
                listed = session.scalar(select(func.count()).select_from(Contact).where(
                    Contact.list_id == form.contact_list.data)) or 0
                background = listed > ENROL_IN_REQUEST
                try:
                    campaign = campaigns.create(
                        session, name=form.name.data, script=form.script.data, contact_list_id=form.contact_list.data,
                        actor=who.username, mode=form.mode.data or None,
                        windows={"timezone": (form.timezone.data or "Asia/Shanghai").strip(), "windows": windows}
                        if windows else None,
                        retry_policy=parse_retries(form.retries.data) if (form.retries.data or "").strip() else None,
                        queue=form.queue.data or None, skill=(form.skill.data or "").strip() or None,
                        max_lines=form.max_lines.data, abandon_cap=float(form.abandon_cap.data) / 100,
                        max_attempts_per_contact=form.max_attempts.data, min_gap_minutes=form.min_gap.data,
                        agent_wait_seconds=form.agent_wait.data, enrol=not background)
                except Duplicate:
                    form.name.errors = [*form.name.errors, translate("A campaign with this name exists.",
                                                                     current_locale())]
                except InvalidDocument as exc:  # on their fields, in the reader's words (QA 13a #2)
                    for finding in exc.findings:
                        field = getattr(form, finding_words.field_of(finding))
                        field.errors = [*field.errors, finding_words.words(finding, form.retries.data,
                                                                           current_locale())]
                else:
                    if background:
                        queue, tenant_id, campaign_id = job_queues().default, campaign.tenant_id, campaign.id
                        after_commit(session, lambda: enqueue_campaign_enrolment(queue, tenant_id, campaign_id))
                        flash({"text": "Campaign created; its {count} contacts are being added in the background.",
                               "count": listed})
                    else:
                        count = campaigns.entry_counts(session, campaign.id).get("pending", 0)
                        flash({"text": plural("campaign.created", count), "count": count})
                    return redirect(url_for("campaigns.campaign_detail", campaign_id=campaign.id))
            else:
                _add_settings_errors(form, session, who.username)
        return render_template("campaigns/new.html", form=form), status


def _add_settings_errors(form: CampaignForm, session: Any, actor: str) -> None:
    """A form refused on some field still reports every window and retry line the campaign would refuse (QA 13f
    #5: the zone error alone came back, then the next batch)."""
    try:
        body = DocumentService(session, actor).published("outbound", form.script.data or "").body
        dispositions: set[str] | None = {d["code"] for d in body.get("dispositions", [])}
    except NotFound:
        dispositions = None
    settings_errors.add(form, dispositions)


def _figures(campaign_id: int, tenant_id: int) -> tuple[Any, dict[str, Any]]:
    with database().tenant(tenant_id) as session:
        campaign = campaigns.get(session, campaign_id)
        return campaign, progress(session, campaign, _now(), agents_now(tenant_id))


def campaign_detail(campaign_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, who):
        campaign = campaigns.get(session, campaign_id)
        tenant_id = who.tenant.tenant_id
        agents = agents_now(tenant_id)
        problems, check = campaigns.start_check(session, campaign, _now(), agents) \
            if campaign.status in ("draft", "paused") else ([], None)
        figures = progress(session, campaign, _now(), agents)
        contact_list = session.get(ContactList, campaign.contact_list_id) if campaign.contact_list_id else None
        locale = current_locale()
        ended = results.ended_reasons(session, campaign)
        label = results.reason_label(session, campaign, lambda text: translate(text, locale))
        ended_rows = [(translate(f"entry.{state}", locale), label(code), count) for state, code, count in ended]
        waiting = next((p.params.get("left", 0) for p in problems if p.code == "enrolling"), 0)
        return render_template("campaigns/detail.html", campaign=campaign, figures=figures, problems=problems,
                               enrolling=figures["entries"]["total"] + waiting if waiting else 0,
                               ended=ended_rows, script_titles=script_titles(session),
                               check=check, contact_list=contact_list, stop_form=StopForm(),
                               boot={"figures": figures,
                                     "events": url_for("campaigns.campaign_events", campaign_id=campaign.id)})


def campaign_action(campaign_id: int, action: str) -> ResponseReturnValue:
    if action not in ACTIONS:
        abort(404)
    with tenant_session(OPERATE) as (session, who):
        campaigns.get(session, campaign_id)  # another tenant's id: 404 before anything
        tenant_id = who.tenant.tenant_id
        try:
            if action == "start":
                campaigns.start(session, campaign_id, _now(), agents_now(tenant_id), actor=who.username)
            elif action == "resume":
                campaigns.resume(session, campaign_id, _now(), agents_now(tenant_id), actor=who.username)
            elif action == "pause":
                campaigns.pause(session, campaign_id, actor=who.username)
            else:
                form = StopForm()
                campaigns.stop(session, campaign_id, _now(), actor=who.username,
                               reason=(form.reason.data or "") if form.validate() else "")
        except CampaignRefused as exc:
            locale = current_locale()
            for problem in exc.problems:
                flash(problem.render(lambda text: translate(text, locale)), "error")
        else:
            flash({"text": f"action.{action}.done"})
    return redirect(url_for("campaigns.campaign_detail", campaign_id=campaign_id))


def campaign_events(campaign_id: int) -> ResponseReturnValue:
    with tenant_session(OPERATE) as (session, who):
        campaigns.get(session, campaign_id)  # 404 for another tenant's campaign, before the stream opens
        tenant_id = who.tenant.tenant_id
    last: dict[str, Any] = {}

    def poll() -> list[tuple[str, Any]]:
        _campaign, figures = _figures(campaign_id, tenant_id)
        comparable = {k: v for k, v in figures.items() if k != "generated_at"}
        if comparable == last.get("figures"):
            return []
        last["figures"] = comparable
        return [("progress", figures)]

    config = current_app.config
    return sse.stream(poll, interval=config.get("HOTLINE_CAMPAIGN_STREAM_INTERVAL", STREAM_INTERVAL),
                      max_seconds=config.get("HOTLINE_CAMPAIGN_STREAM_SECONDS", STREAM_SECONDS))


def campaign_export(campaign_id: int) -> ResponseReturnValue:
    fmt = request.args.get("format", "csv")
    if fmt not in results.FORMATS:
        raise BadRequest(f"format is one of {', '.join(results.FORMATS)}")
    locale = current_locale()
    with tenant_session(OPERATE) as (session, who):
        campaign = campaigns.get(session, campaign_id)
        quotas.enforce("export", who.tenant.tenant_id)
        content = results.export(session, campaign, fmt, lambda text: translate(text, locale), say_now)
    return Response(content, content_type=results.FORMATS[fmt],
                    headers={"Content-Disposition": f"attachment; filename=campaign-{campaign_id}.{fmt}"})
