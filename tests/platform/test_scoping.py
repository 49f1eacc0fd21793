"""Nothing of tenant B is reachable through tenant A's scope: by query, by id, by relationship, by write."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from hotline.platform import models as m
from hotline.platform.db import Database
from hotline.platform.scoping import CrossTenantError, scope

from . import factories

SCOPED_MODELS = sorted((mapper.class_ for mapper in m.Base.registry.mappers
                        if issubclass(mapper.class_, m.base.TenantOwned)), key=lambda cls: cls.__name__)


@pytest.fixture(scope="module")
def two_tenants(db: Database) -> dict:
    with db.platform() as session:
        a, b = factories.tenant(session, "a"), factories.tenant(session, "b")
        rows_a = factories.every_scoped_row(session, a.id, "marker-a")
        rows_b = factories.every_scoped_row(session, b.id, "marker-b")
        return {"a": a.id, "b": b.id, "rows_a": {k: v.id for k, v in rows_a.items()},
                "rows_b": {k: v.id for k, v in rows_b.items()}}


def test_factories_cover_every_tenant_scoped_table(two_tenants: dict) -> None:
    assert set(two_tenants["rows_b"]) == set(SCOPED_MODELS)


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda cls: cls.__name__)
def test_queries_in_tenant_scope_see_only_that_tenant(db: Database, two_tenants: dict, model: type) -> None:
    with db.tenant(two_tenants["a"]) as session:
        tenants = set(session.scalars(select(model.tenant_id)))
        assert tenants == {two_tenants["a"]}
        assert session.scalar(select(func.count()).select_from(model).where(
            model.id == two_tenants["rows_b"][model])) == 0


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda cls: cls.__name__)
def test_get_by_id_of_another_tenant_finds_nothing(db: Database, two_tenants: dict, model: type) -> None:
    with db.tenant(two_tenants["a"]) as session:
        assert session.get(model, two_tenants["rows_b"][model]) is None
        assert session.get(model, two_tenants["rows_a"][model]) is not None


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda cls: cls.__name__)
def test_bulk_update_and_delete_cannot_touch_another_tenant(db: Database, two_tenants: dict, model: type) -> None:
    victim = two_tenants["rows_b"][model]
    with db.tenant(two_tenants["a"]) as session:
        assert session.execute(update(model).where(model.id == victim).values(tenant_id=two_tenants["a"])
                               .execution_options(synchronize_session=False)).rowcount == 0
        assert session.execute(delete(model).where(model.id == victim)
                               .execution_options(synchronize_session=False)).rowcount == 0
    with db.platform() as session:
        assert session.get(model, victim).tenant_id == two_tenants["b"]


def test_relationships_are_scoped_too(db: Database, two_tenants: dict) -> None:
    with db.tenant(two_tenants["a"]) as session:
        doc = session.get(m.Document, two_tenants["rows_a"][m.Document])
        assert [v.tenant_id for v in doc.versions] == [two_tenants["a"]]
        joined = session.scalars(select(m.Ticket).join(m.Customer, m.Ticket.customer_id == m.Customer.id)).all()
        assert {t.tenant_id for t in joined} == {two_tenants["a"]}


def test_writing_a_row_of_another_tenant_is_refused(db: Database, two_tenants: dict) -> None:
    with pytest.raises(CrossTenantError), db.tenant(two_tenants["a"]) as session:
        session.add(m.Prompt(tenant_id=two_tenants["b"], name="sneaky", text="x"))
        session.flush()
    with db.platform() as session:
        assert session.scalar(select(m.Prompt).where(m.Prompt.name == "sneaky")) is None


def test_new_rows_take_the_scope_tenant(db: Database, two_tenants: dict, unique) -> None:
    name = unique("p")
    with db.tenant(two_tenants["a"]) as session:
        session.add(m.Prompt(name=name, text="x"))
    with db.platform() as session:
        assert session.scalar(select(m.Prompt.tenant_id).where(m.Prompt.name == name)) == two_tenants["a"]


def test_moving_a_row_to_another_tenant_is_refused(db: Database, two_tenants: dict) -> None:
    with pytest.raises(CrossTenantError), db.tenant(two_tenants["a"]) as session:
        row = session.get(m.Article, two_tenants["rows_a"][m.Article])
        row.tenant_id = two_tenants["b"]
        session.flush()


def test_a_session_cannot_be_rebound_to_another_tenant(db: Database, two_tenants: dict) -> None:
    with db.tenant(two_tenants["a"]) as session, pytest.raises(CrossTenantError):
        scope(session, two_tenants["b"])
    assert isinstance(session, Session)
