"""`tenant.settings_changed`: every commit that changes a tenant's settings says so (tenant-creation QA, item 5).

The runtime caches each DID's route with the tenant's settings (its calendar, its time zone); only an IVR
publish dropped it, so a zone change reached calls only after the cache's revalidation (a call at 10:05 New
York time took the "closed" branch for up to a minute). The event is raised here, on the ORM flush, so every
writer (the admin's JSON editor, the tenant's settings page, a script) is covered, and it leaves only after
the outermost commit (notifier.queue_event), so a runtime never reloads settings that were rolled back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from .models import Tenant
from .notifier import queue_event

SETTINGS_CHANGED = "tenant.settings_changed"


@event.listens_for(Session, "before_flush")
def _settings_changed(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, Tenant) and obj.id is not None and inspect(obj).attrs.settings.history.has_changes():
            queue_event(session, {"type": SETTINGS_CHANGED, "tenant_id": obj.id})
