"""The template gallery: industry templates with a preview, tenant creation and re-import into drafts."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("gallery", __name__, url_prefix="/templates")
