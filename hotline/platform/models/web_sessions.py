"""Server-side web sessions, and the rule that ends them when what they were granted on changes.

The session cookie carries only a random token; this row (keyed by the token's SHA-256, so a copy of the
table does not hand out live sessions) says whose session it is and holds its data. Ending a session is
deleting its row, so a password change, a deactivation or a removed role takes every session of the user
with it — in the same transaction as the change, whichever code path made it (services, the admin, the CLI).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, delete, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from .base import Base, utcnow
from .tenancy import Membership, User


class WebSession(Base):
    __tablename__ = "web_session"

    #: hex SHA-256 of the token in the cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


#: User attributes whose change ends the user's sessions (a new password, a disabled account, a lost flag).
_USER_CREDENTIALS = ("password_hash", "active", "is_platform_operator")


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def users_losing_access(session: Session) -> set[int]:
    """Users whose sessions this flush must end: roles removed or changed, credentials changed."""
    ended: set[int] = set()
    for obj in session.deleted:
        if isinstance(obj, Membership) and obj.user_id is not None:
            ended.add(obj.user_id)
    for obj in session.dirty:
        if isinstance(obj, User) and obj.id is not None and _changed(obj, *_USER_CREDENTIALS):
            ended.add(obj.id)
        elif isinstance(obj, Membership) and _changed(obj, "role", "user_id", "tenant_id"):
            ended.update(i for i in inspect(obj).attrs.user_id.history.sum() if i is not None)
    return ended


@event.listens_for(Session, "before_flush")
def _end_sessions_on_lost_access(session: Session, _context: Any, _instances: Any) -> None:
    ended = users_losing_access(session)
    if ended:
        # Core statement on the flush's connection: an ORM delete here would autoflush inside the flush.
        session.connection().execute(delete(WebSession.__table__).where(WebSession.user_id.in_(ended)))
