"""Records an agent searches and keeps: tickets lists, customers, directory and coverage, knowledge base."""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("records", __name__, url_prefix="/records")
