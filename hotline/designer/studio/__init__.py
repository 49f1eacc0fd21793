"""The designer pages: visual editors for the four document kinds, versions, test call, template gallery."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("studio", __name__, url_prefix="/studio")
