"""Schedules and attendance (issue 15, 排班/考勤): shifts, their hours, imports, attendance from presence.

`hours.scheduled_hours` is the query the outsourcing settlement builds on (docs/schedules.md).
"""
