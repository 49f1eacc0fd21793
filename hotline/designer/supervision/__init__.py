"""Supervision of tickets: overdue lists, urging (催办) and the log of dispatch rule firings."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("supervision", __name__, url_prefix="/supervision")
