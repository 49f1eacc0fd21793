"""Every stored code the campaign pages and exports show has words in both languages (QA 13 #3: the English UI and
exports showed `status.running`, `outcome.no_answer`, `rule.dnc`)."""

from __future__ import annotations

import re

from hotline.designer import i18n
from hotline.designer.campaigns import strings
from hotline.platform.models.campaigns import CAMPAIGN_MODES, CAMPAIGN_PURPOSES, CAMPAIGN_STATUSES
from hotline.platform.outbound import dialing, preview

KEY = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


def test_every_keyed_string_has_chinese_and_english_words() -> None:
    strings.register()
    keys = [key for key in strings.STRINGS if KEY.match(key)]
    assert len(keys) > 30
    missing = {key: (i18n.translate(key, "zh_CN"), i18n.translate(key, "en")) for key in keys
               if key in (i18n.translate(key, "zh_CN"), i18n.translate(key, "en"))}
    assert not missing, missing


def test_every_code_the_dialer_stores_has_a_key() -> None:
    codes = {f"outcome.{o}" for o in {*dialing.CAUSE_OUTCOMES.values(), "answered", "skipped", "dialing", "lost",
                                       "abandoned", "machine"}}
    codes |= {f"rule.{r}" for r in {*dialing.FINAL_REFUSALS, "outside_window", "abandoned_72h", "min_gap",
                                     *preview.SKIP_REASONS}}
    codes |= {f"status.{s}" for s in CAMPAIGN_STATUSES}
    codes |= {f"mode.{m}" for m in CAMPAIGN_MODES}
    codes |= {f"purpose.{p}" for p in CAMPAIGN_PURPOSES}
    assert codes <= set(strings.STRINGS) and codes <= set(strings.ENGLISH), codes - set(strings.ENGLISH)


def test_every_bad_line_of_windows_and_retries_is_reported() -> None:
    """QA 13 #6: only the first bad line was reported."""
    import pytest
    from wtforms.validators import ValidationError

    from hotline.designer.campaigns.forms import parse_retries, parse_windows

    with pytest.raises(ValidationError) as windows:
        parse_windows("mon 9-12\nmon 09:00-12:00\ntue 8-9\n")
    assert "line 1:" in str(windows.value) and "line 3:" in str(windows.value)
    assert "line 2:" not in str(windows.value)
    with pytest.raises(ValidationError) as retries:
        parse_retries("busy thirty 3\nno_answer 60 2\nmachine x\n")
    assert "line 1:" in str(retries.value) and "line 3:" in str(retries.value)
    assert parse_windows("mon 09:00-12:00") == [{"days": ["mon"], "start": "09:00", "end": "12:00"}]
