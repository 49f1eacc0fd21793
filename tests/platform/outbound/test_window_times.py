"""Issue 13 leftovers: a call window's times are times of the day — "23:60" passed the service's check (only the
HH:MM shape and start < end as text were checked). Hours 00-24, minutes 00-59, 24:00 only as an end."""

from __future__ import annotations

import pytest

from hotline.platform.models import Campaign
from hotline.platform.outbound.campaigns import set_windows
from hotline.platform.services.errors import InvalidDocument


@pytest.mark.parametrize(("start", "end"), [("09:00", "23:60"), ("24:00", "24:00"), ("25:00", "26:00"),
                                            ("09:60", "10:00"), ("18:00", "24:30")])
def test_a_window_time_that_is_no_time_of_the_day_is_refused(start: str, end: str) -> None:
    campaign = Campaign(windows={})
    with pytest.raises(InvalidDocument) as refused:
        set_windows(None, campaign,  # type: ignore[arg-type]
                    {"timezone": "Asia/Shanghai", "windows": [{"days": ["mon"], "start": start, "end": end}]})
    assert [f.pointer for f in refused.value.findings] == ["/windows/windows/0"]
    assert campaign.windows == {}


def test_a_window_to_the_end_of_the_day_is_taken() -> None:
    campaign = Campaign(windows={})
    set_windows(None, campaign,  # type: ignore[arg-type]
                {"timezone": "Asia/Shanghai", "windows": [{"days": ["mon"], "start": "18:00", "end": "24:00"}]})
    assert campaign.windows["windows"][0]["end"] == "24:00"
