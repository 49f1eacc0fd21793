"""A tenant's own settings: queues, skills, shared agents' skills, directories, prompts, articles, members.

Every view derives from `TenantModelView` (base.py), which does all the tenant scoping; a view here only
says which columns to show and how to edit them. Choices offered in forms (directories, skills, members)
come from `tenant_query`, so another tenant's rows are never offered.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask import has_request_context
from flask_admin.contrib.sqla.filters import EnumEqualFilter, IntEqualFilter
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from ...platform import prompt_storage
from ...platform.models import (
    AgentSkill,
    Article,
    Directory,
    DirectoryEntry,
    Membership,
    Prompt,
    Queue,
    Role,
    Skill,
    User,
)
from ...platform.services import audit
from ...platform.services.users import TENANT_ROLES
from .. import auth
from .acd_fields import acd_form_fields, check_overflow, strategy_label
from .base import Label, Labelled, ListField, TenantModelView, current_tenant_id, list_formatter


def tenant_views(session: Any, _: Label) -> list[TenantModelView]:
    """The tenant views, labelled with `_`, all working through the tenant-scoped request `session`."""
    category = _("Tenant")
    made: list[TenantModelView] = []
    for view, model, name, endpoint in (
        (QueueView, Queue, "Queues", "queue"),
        (SkillView, Skill, "Skills", "skill"),
        (AgentSkillView, AgentSkill, "Agent skills", "agent_skill"),
        (DirectoryView, Directory, "Directories", "directory"),
        (DirectoryEntryView, DirectoryEntry, "Directory entries", "directory_entry"),
        (PromptView, Prompt, "Prompts", "prompt"),
        (ArticleView, Article, "Articles", "article"),
        (MembershipView, Membership, "Memberships", "membership"),
    ):
        made.append(view(model, session, _, name=_(name), category=category, endpoint=endpoint))
    return made


class LabelledView(Labelled, TenantModelView):
    """A tenant view with labels (see Labelled)."""


class QueueView(LabelledView):
    column_list = ("name", "label", "skills", "priority", "service_level_seconds", "max_wait_seconds",
                   "strategy", "ageing_seconds", "wrap_up_seconds", "overflow_after_seconds", "overflow_queue")
    form_columns = column_list
    column_searchable_list = ("name", "label")
    form_overrides: ClassVar[dict[str, Any]] = {"skills": ListField}
    labels: ClassVar[dict[str, Any]] = {
        "name": "Name", "label": "Label", "skills": "Skills", "priority": "Priority",
        "service_level_seconds": "Service level (seconds)", "max_wait_seconds": "Longest wait (seconds)",
        "strategy": "Strategy", "ageing_seconds": "Ageing (seconds per priority level)",
        "wrap_up_seconds": "Wrap-up (seconds)", "overflow_after_seconds": "Overflow after (seconds)",
        "overflow_queue": "Overflow queue",
    }

    def configure(self, _: Label) -> None:
        seconds = _("Enter a whole number of seconds from %(min)s to %(max)s.")
        # Bounded waits and known skills (QA of issue 11, item 9: -1, 0 and no_such_skill were saved).
        self.form_args = {"skills": {"description": _("Separate with commas or 、"),
                                     "validators": [self._known_skills]},
                          "name": {"validators": [DataRequired(), Length(max=64)]},
                          "service_level_seconds": {"validators": [InputRequired(), NumberRange(1, 3600, seconds)]},
                          "max_wait_seconds": {"validators": [InputRequired(), NumberRange(1, 86_400, seconds)]},
                          "priority": {"validators": [InputRequired(), NumberRange(0, 100, _(
                              "Enter a whole number from %(min)s to %(max)s."))]}}
        self._unknown_skills = _("Unknown skills (add them under Skills first)")
        # The ACD settings (acd_fields.py): strategies by label, bounded numbers, an overflow chain of own queues.
        self.form_extra_fields = acd_form_fields(_, self._queue_labels)
        self.column_formatters = {"skills": self._skill_labels,
                                  "strategy": lambda _v, _c, model, _n: strategy_label(model.strategy, _),
                                  "overflow_queue": self._overflow_label}
        self.column_formatters_detail = self.column_formatters

    def _known_skills(self, _form: Any, field: Any) -> None:
        """Every skill a queue asks for is one of the tenant's skills: an unknown one would match no agent."""
        wanted = [str(name) for name in (field.data or [])]
        if not wanted or not has_request_context():
            return
        known = {row.name for row in self.tenant_query(Skill)}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValidationError(f"{self._unknown_skills}: {', '.join(unknown)}")

    def _skill_labels(self, _view: Any, _context: Any, model: Queue, _name: str) -> str:
        """The queue's skills by their labels (QA of issue 11, item 6: pm_general, pm_repair were shown)."""
        labels = {row.name: row.label for row in self.tenant_query(Skill)} if has_request_context() else {}
        return "、".join(labels.get(str(name)) or str(name) for name in model.skills or [])

    def _queue_labels(self) -> dict[str, str]:
        if not has_request_context():
            return {}
        return {row.name: row.label for row in self.tenant_query(Queue).order_by(Queue.name)}

    def _queue_names(self) -> list[str]:
        return list(self._queue_labels())

    def _overflow_label(self, _view: Any, _context: Any, model: Queue, _name: str) -> str:
        return self._queue_labels().get(model.overflow_queue or "", model.overflow_queue or "")

    def validate_form(self, form: Any) -> bool:
        valid = super().validate_form(form)
        if valid and hasattr(form, "overflow_queue"):
            try:
                check_overflow(form, form.name.data, self._queue_names(), self._)
            except ValidationError as exc:
                form.overflow_queue.errors = [*form.overflow_queue.errors, str(exc)]
                return False
        return valid

    def on_model_change(self, form: Any, model: Queue, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        model.overflow_queue = model.overflow_queue or None  # "none" in the form is no overflow
        if model.ageing_seconds is None:  # a form without the field keeps the default
            model.ageing_seconds = 60


class SkillView(LabelledView):
    column_list = ("name", "label")
    form_columns = column_list
    column_searchable_list = ("name", "label")
    labels: ClassVar[dict[str, Any]] = {"name": "Name", "label": "Label"}


class AgentSkillView(LabelledView):
    """A shared agent's skill in this tenant; the agent is chosen among this tenant's members."""

    column_list = ("user_id", "skill", "level")
    form_columns = ("user_id", "skill", "level")
    column_filters = ("skill", "level")
    labels: ClassVar[dict[str, Any]] = {"user_id": "User", "skill": "Skill", "level": "Level"}

    def configure(self, _: Label) -> None:
        self.form_extra_fields = {"user_id": SelectField(_("User"), coerce=int, choices=self._member_choices,
                                                         validators=[InputRequired()])}
        self.form_overrides = {"skill": SelectField}
        self.form_args = {"skill": {"choices": self._skill_choices, "validators": [DataRequired()]},
                          "level": {"validators": [InputRequired()]}}
        self.column_formatters = {"user_id": self._username}
        self.column_formatters_detail = self.column_formatters

    def _member_choices(self) -> list[tuple[int, str]]:
        members = select(Membership.user_id).where(Membership.tenant_id == current_tenant_id())
        rows = self.session.query(User).filter(User.id.in_(members)).order_by(User.username)
        return [(user.id, user.username) for user in rows]

    def _skill_choices(self) -> list[tuple[str, str]]:
        return [(skill.name, f"{skill.label} ({skill.name})")
                for skill in self.tenant_query(Skill).order_by(Skill.name)]

    def _username(self, _view: Any, _context: Any, model: AgentSkill, _name: str) -> str:
        user = self.session.get(User, model.user_id)
        return user.username if user is not None else str(model.user_id)


def label_with_name(label: str | None, name: str) -> Markup:
    """A tenant's label, its stored name in grey beside it (escaped: both are tenant data)."""
    if not label:
        return Markup("{}").format(name)
    return Markup('{} <small class="text-muted">{}</small>').format(label, name)


class DirectoryView(LabelledView):
    # One column: the label with the name in grey (fix-navs item 3: the Chinese list led with `couriers`).
    column_list = ("label", "kind")
    column_details_list = ("name", "label", "kind")
    form_columns = column_details_list
    column_searchable_list = ("name", "label")
    column_filters = ("kind",)
    labels: ClassVar[dict[str, Any]] = {"name": "Name", "label": "Label", "kind": "Kind"}

    def configure(self, _: Label) -> None:
        # A kind by its label (快递员, 维修技师, 网点), never its code (QA of issue 11, item 6).
        self.column_formatters = {"kind": lambda _v, _c, model, _n: _(model.kind) if model.kind else ""}
        self.column_formatters_detail = dict(self.column_formatters)
        self.column_formatters["label"] = lambda _v, _c, model, _n: label_with_name(model.label, model.name)


class DirectoryEntryView(LabelledView):
    column_list = ("directory.label", "name", "phone", "branch", "areas", "active")
    column_details_list = ("directory.label", "name", "phone", "branch", "areas", "data", "active")
    form_columns = ("directory", "name", "phone", "branch", "areas", "active")
    column_searchable_list = ("name", "phone", "branch")
    column_formatters: ClassVar[dict[str, Any]] = {"areas": list_formatter}
    column_formatters_detail = column_formatters
    form_overrides: ClassVar[dict[str, Any]] = {"areas": ListField}
    labels: ClassVar[dict[str, Any]] = {
        "directory": "Directory", "directory.label": "Directory", "name": "Name", "phone": "Phone",
        "branch": "Branch", "areas": "Coverage areas", "active": "Active", "data": "Settings",
    }

    def configure(self, _: Label) -> None:
        self.form_args = {
            "directory": {"query_factory": lambda: self.tenant_query(Directory).order_by(Directory.name),
                          "get_label": "label", "validators": [DataRequired()]},
            "areas": {"description": _("Separate with commas or 、")},
        }
        self.column_filters = [
            IntEqualFilter(DirectoryEntry.directory_id, _("Directory"),
                        options=lambda: self.tenant_options(Directory)),
            "active",
        ]


class PromptView(LabelledView):
    """Prompt names and texts. The recording is never edited here: it is uploaded through the prompt API,
    which stores it in the tenant's own folder by content (platform.prompt_storage), so no path is ever
    typed by a user. Deleting a prompt removes its file when no other prompt of the tenant shares it."""

    column_list = ("name", "text", "audio_path")
    column_details_list = column_list
    form_columns = ("name", "text")
    column_searchable_list = ("name", "text")
    labels: ClassVar[dict[str, Any]] = {"name": "Name", "text": "Text", "audio_path": "Audio file"}

    def configure(self, _: Label) -> None:
        def recording(_view: Any, _context: Any, model: Any, _name: str) -> str:
            return _("Recorded") if model.audio_path else _("No recording (read by TTS)")

        self.column_formatters = {"audio_path": recording}
        self.column_formatters_detail = self.column_formatters

    def after_model_delete(self, model: Any) -> None:
        from ..api.prompts import prompt_dir

        tenant_id = current_tenant_id()
        still_used = {ref for (ref,) in self.session.query(Prompt.audio_path).filter(
            Prompt.tenant_id == tenant_id, Prompt.audio_path.is_not(None))}
        prompt_storage.release(prompt_dir(), tenant_id, model.audio_path, still_used)


class ArticleView(LabelledView):
    column_list = ("title", "tags", "updated_at")
    column_details_list = ("title", "body", "tags", "updated_at")
    form_columns = ("title", "body", "tags")
    column_searchable_list = ("title", "body")
    column_formatters: ClassVar[dict[str, Any]] = {"tags": list_formatter}
    column_formatters_detail = column_formatters
    form_overrides: ClassVar[dict[str, Any]] = {"tags": ListField}
    labels: ClassVar[dict[str, Any]] = {"title": "Title", "body": "Body", "tags": "Tags", "updated_at": "Updated at"}

    def configure(self, _: Label) -> None:
        self.form_args = {"tags": {"description": _("Separate with commas or 、")}}


class MembershipView(LabelledView):
    """Roles of users in this tenant, revoked by deleting them; a granted role is not edited in place.

    Granting one directly (by username) is for the platform operator only: a tenant admin invites instead
    (/tenant/invite, services/invitations.py), so they can neither attach another tenant's user nor learn
    from this form's answers which usernames exist."""

    can_edit = False

    @property  # type: ignore[override]
    def can_create(self) -> bool:
        who = auth.principal()
        return bool(who and who.is_platform_operator)
    column_list = ("user.username", "user.display_name", "role")
    # The details page showed the relationship as "<…User object at 0x…>" under the untranslated label "User".
    column_details_list = column_list
    column_searchable_list = ("user.username",)
    form_columns = ("username", "role")
    labels: ClassVar[dict[str, Any]] = {
        "user.username": "Username", "user.display_name": "Display name", "role": "Role",
    }

    def configure(self, _: Label) -> None:
        self.form_extra_fields = {
            "username": StringField(_("Username"), validators=[DataRequired(), Length(max=64), self._known_user]),
        }
        self.form_overrides = {"role": SelectField}
        self.form_args = {"role": {"choices": [(r.value, _(r.value)) for r in TENANT_ROLES], "coerce": Role,
                                   "validators": [DataRequired(), self._not_held]}}
        self.column_formatters = {"role": lambda _v, _c, m, _n: _(Role(m.role).value)}
        # The filter offers the roles of a tenant by their labels: Flask-Admin's enum filter listed every
        # member of Role by its code, PLATFORM_OPERATOR included (QA of issue 11, item 4).
        self.column_filters = (EnumEqualFilter(Membership.role, _("Role"),
                                               options=[(r.name, _(r.value)) for r in TENANT_ROLES]),)

    def _user_named(self, username: str) -> User | None:
        return self.session.query(User).filter(User.username == username).one_or_none()

    def _known_user(self, _form: Any, field: Any) -> None:
        if self._user_named(field.data or "") is None:
            raise ValidationError(self._("No user with this username."))

    def _not_held(self, form: Any, field: Any) -> None:
        user = self._user_named(form.username.data or "")
        if user is not None and self.tenant_query(Membership).filter(
                Membership.user_id == user.id, Membership.role == Role(field.data)).first() is not None:
            raise ValidationError(self._("The user already holds this role in this tenant."))

    def on_model_change(self, form: Any, model: Membership, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        with self.session.no_autoflush:  # the new row has no user yet: must not be flushed by this lookup
            user = self._user_named(form.username.data)
        model.user_id = user.id
        who = auth.principal()
        audit.record(self.session.current(), who.username if who else "admin", "user.grant", "user",
                     user.username, {"role": Role(model.role).value}, tenant_id=model.tenant_id)

    def on_model_delete(self, model: Membership) -> None:
        who = auth.principal()
        audit.record(self.session.current(), who.username if who else "admin", "user.revoke", "user",
                     model.user.username, {"role": Role(model.role).value}, tenant_id=model.tenant_id)
