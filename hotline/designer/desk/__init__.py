"""The agent desk: presence, live call state, screen pop and the ticket forms an agent works in."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("desk", __name__, url_prefix="/desk")
