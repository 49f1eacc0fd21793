"""The dispatch rules kind: its schema (schema.json) and its semantic lint (lint.py)."""
