"""A dial attempt's disposition in words, for exports and reports: the label the agent chose it by, never its code.

An attempt stores the code of the disposition its wrap-up recorded. A campaign's labels are its script version's;
the always-on tasks campaign (call-back tasks) runs no script of its own, so its calls used the call task's script,
else the defaults every task call offers (runner_script.DEFAULT_DISPOSITIONS: 已完成 / 另约时间 / 要求不再来电 /
其他) — exports showed those codes (review leftover 4). Labels are found the way the desk found them
(runner_script.runner_script); a code no script or default knows (an old row, a script since changed) is shown as
the code with a note that it is unknown, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import CallTask, Campaign, CampaignEntry
from ..services.documents import DocumentService
from ..services.errors import ServiceError
from .campaigns import script_body
from .runner_script import DEFAULT_DISPOSITIONS

Translate = Callable[[str], str]


def _labels(body: Mapping[str, Any]) -> dict[str, str]:
    return {str(d["code"]): str(d.get("label") or d["code"]) for d in body.get("dispositions") or ()
            if isinstance(d, Mapping) and d.get("code")}


def defaults(translate: Translate) -> dict[str, str]:
    """The tasks campaign's default dispositions in the reader's language."""
    return {d["code"]: translate(d["label"]) for d in DEFAULT_DISPOSITIONS}


def unknown(code: str, translate: Translate) -> str:
    """A code no label is known for: the code, said to be unknown (an old row)."""
    return translate("disposition.unknown").replace("%(code)s", code)


class Dispositions:
    """code → label for one campaign's attempts; for the tasks campaign, per the call task's script."""

    def __init__(self, session: Session, campaign: Campaign, translate: Translate) -> None:
        self.session, self.translate, self.campaign_id = session, translate, campaign.id
        self.tasks = campaign.kind == "tasks"
        self.own = _labels(script_body(session, campaign))
        self._by_script: dict[str | None, dict[str, str]] = {}

    def _task_labels(self, script: str | None) -> dict[str, str]:
        """The labels a task call with `script` offered: the script's dispositions, else the defaults."""
        if script not in self._by_script:
            found: dict[str, str] = {}
            if script:
                try:
                    found = _labels(DocumentService(self.session, "system").published("outbound", script).body)
                except ServiceError:  # no such script, or never published: the call offered the defaults
                    found = {}
            self._by_script[script] = found or defaults(self.translate)
        return self._by_script[script]

    def labels(self, task_script: str | None = None) -> dict[str, str]:
        """The labels an attempt of the campaign was recorded with (`task_script`: its call task's script)."""
        if self.own or not self.tasks:
            return self.own
        return self._task_labels(task_script)

    def word(self, code: str, task_script: str | None = None) -> str:
        """The disposition `code` in words (an empty code is empty)."""
        if not code:
            return ""
        found = self.labels(task_script).get(code)
        return found if found is not None else unknown(code, self.translate)

    def all_labels(self) -> dict[str, str]:
        """Every label the campaign's attempts may carry (the tasks campaign: the defaults, then each script its
        tasks name, later ones winning), for a report keyed by campaign and code only."""
        if self.own or not self.tasks:
            return dict(self.own)
        merged = dict(self._task_labels(None))
        for script in self.session.scalars(
                select(CallTask.script).join(CampaignEntry, CampaignEntry.call_task_id == CallTask.id)
                .where(CampaignEntry.campaign_id == self.campaign_id, CallTask.script.is_not(None))
                .distinct().order_by(CallTask.script)):
            merged.update(self._task_labels(script))
        return merged


def campaign_labels_by_code(session: Session, campaigns: Iterable[Campaign],
                            translate: Translate) -> dict[tuple[int, str], str]:
    """(campaign id, code) → label, for every campaign given."""
    out: dict[tuple[int, str], str] = {}
    for campaign in campaigns:
        for code, label in Dispositions(session, campaign, translate).all_labels().items():
            out[(campaign.id, code)] = label
    return out
