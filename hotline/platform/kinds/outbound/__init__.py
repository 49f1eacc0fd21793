"""The outbound script kind: its schema (schema.json) and its semantic lint (lint.py)."""
