"""Every call-window and retry line a campaign would refuse, put on a form that failed on other fields too, so
the operator sees all problems at once, worded and counted from 1 like the form's own (QA 13f #5)."""

from __future__ import annotations

import re
from typing import Any

from ...platform.findings import Finding
from ...platform.outbound import campaigns
from ..i18n import current_locale
from . import finding_words
from .forms import lenient_retries, lenient_windows

_WINDOW = re.compile(r"/windows/windows/(\d+)")


def add(form: Any, dispositions: set[str] | None) -> None:
    """Adds the findings of the form's `windows` (and `retries`, when it has one) lines that read; `dispositions`
    are the chosen script's (None: unknown, outcomes not checked against them)."""
    numbered = lenient_windows(form.windows.data)
    retries = getattr(form, "retries", None)
    policy = lenient_retries(retries.data) if retries is not None else {}
    for finding in campaigns.settings_findings([w for _n, w in numbered], policy, dispositions):
        window = _WINDOW.match(finding.pointer)
        if window:  # the index among the lines that read: the form's own line number
            number = numbered[int(window.group(1))][0]
            finding = Finding(f"/windows/windows/{number - 1}{finding.pointer[window.end():]}", finding.severity,
                              finding.message, finding.code)
        field = getattr(form, finding_words.field_of(finding))
        text = finding_words.words(finding, retries.data if retries is not None else None, current_locale())
        if text not in field.errors:
            field.errors = [*field.errors, text]
