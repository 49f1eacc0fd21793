"""The supervisor wallboard: live queue and agent figures per tenant."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("wallboard", __name__, url_prefix="/wallboard")
