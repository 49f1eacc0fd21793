"""What the gallery's "create tenant" form adds to the clone: DIDs and the first tenant admin (QA item 1).

A new tenant went straight to the designer with no number to call and nobody to run it. The form now takes
the numbers to route to the template's main IVR and the first tenant admin's login; both are optional, and
both are made in the clone's transaction, so a refused number or login leaves no half tenant.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform import phones
from ...platform.models import DID, Role, Tenant, User
from ...platform.services import users

#: At most this many numbers in one creation (a typed field is bounded).
MAX_DIDS = 20
_SPLIT = re.compile(r"[,;，；\s]+")


class Refused(ValueError):
    """A refusal worded for the operator: an English template and its values (the page translates it)."""

    def __init__(self, template: str, status: int = 400, **values: str) -> None:
        super().__init__(template)
        self.template, self.status, self.values = template, status, values


def count_typed(text: str) -> int:
    """How many numbers were typed (separated as parse_dids does), for the counter under the box."""
    return len([part for part in _SPLIT.split(text or "") if part])


def parse_dids(text: str) -> list[str]:
    """The typed numbers, normalised and de-duplicated; Refused names the first one that is not a number."""
    numbers: list[str] = []
    for raw in [part for part in _SPLIT.split(text or "") if part]:
        try:
            number = phones.normalize(raw)
        except ValueError:
            raise Refused("{number} is not a phone number: 3 to 20 digits, an optional leading +.",
                          number=raw[:40]) from None
        if number not in numbers:
            numbers.append(number)
    if len(numbers) > MAX_DIDS:
        raise Refused("At most {count} numbers at once.", count=str(MAX_DIDS))
    return numbers


def check_free(session: Session, numbers: list[str]) -> None:
    """Refuses (409) a number another tenant holds, naming it and its holder (the operator sees every tenant)."""
    if not numbers:
        return
    held = session.execute(select(DID.number, Tenant.title, Tenant.slug).join(Tenant, Tenant.id == DID.tenant_id)
                           .where(DID.number.in_(numbers))).first()
    if held is not None:
        raise Refused("The number {number} is already assigned to the tenant “{title}” ({slug}).", status=409,
                      number=held.number, title=held.title, slug=held.slug)


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    #: The one-time password of an account made here; None when an existing account got the role.
    password: str | None


def first_admin(session: Session, tenant: Tenant, username: str, actor: str) -> FirstAdmin | None:
    """Makes `username` the tenant's admin: an existing account gets the role, a new one is created with a
    one-time password that is shown once (the product keeps no e-mail address to send a link to)."""
    username = (username or "").strip()
    if not username:
        return None
    if not users.USERNAME.fullmatch(username):
        raise Refused("The login {username} may use 2–64 letters, digits, '_', '.', '@' or '-', starting with a "
                      "letter or digit.", username=username[:64])
    user = session.scalar(select(User).where(User.username == username))
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = users.create_user(session, username, password, actor)
    elif not user.active:
        raise Refused("The account {username} is deactivated.", username=username)
    users.grant(session, user, tenant, Role.TENANT_ADMIN, actor)
    return FirstAdmin(username, password)
