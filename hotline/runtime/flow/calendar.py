"""Business hours for the IVR's hours node: a re-export of hotline.platform.calendar, where the logic lives."""

from __future__ import annotations

from hotline.platform.calendar import WEEKDAYS, add_business_minutes, day_hours, is_open, local_time

__all__ = ["WEEKDAYS", "add_business_minutes", "day_hours", "is_open", "local_time"]
