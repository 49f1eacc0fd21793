"""Prompt recordings become per-tenant references (issue 10, item 5); no table changes.

`prompt.audio_path` used to hold an absolute path (`<prompt root>/<tenant id>/<name>-<hash>.<ext>`); it now
holds only the file's name inside the tenant's own folder (see platform/prompt_storage.py). A row whose
path lies in its own tenant's folder keeps its file under that name; any other value (a path typed in the
admin, another tenant's folder) is cleared, so the prompt is spoken by TTS until a recording is uploaded.

Revision ID: 0013
Revises: 0012
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,128}\.(wav|mp3|ogg)")


def _reference(tenant_id: int, stored: str) -> str | None:
    parts = stored.replace("\\", "/").split("/")
    if len(parts) == 1:
        return stored if _REFERENCE.fullmatch(stored) else None
    if len(parts) >= 2 and parts[-2] == str(tenant_id) and ".." not in parts and _REFERENCE.fullmatch(parts[-1]):
        return parts[-1]
    return None


def upgrade() -> None:
    bind = op.get_bind()
    prompt = sa.table("prompt", sa.column("id", sa.Integer), sa.column("tenant_id", sa.Integer),
                      sa.column("audio_path", sa.String))
    rows = bind.execute(sa.select(prompt.c.id, prompt.c.tenant_id, prompt.c.audio_path)
                        .where(prompt.c.audio_path.is_not(None))).all()
    for row_id, tenant_id, stored in rows:
        ref = _reference(tenant_id, stored)
        if ref != stored:
            bind.execute(sa.update(prompt).where(prompt.c.id == row_id).values(audio_path=ref))


def downgrade() -> None:
    pass  # references stay valid names; the old absolute paths cannot be rebuilt without the prompt root
