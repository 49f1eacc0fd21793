"""Tenant isolation, generated from app.url_map: every route × every tenant role × the other tenant's ids.

Tenant B holds one row of each kind a URL can name (customer, ticket, KB article, directory and entry,
document, prompt, data table, saved filter, import job, call-back task), each carrying a unique marker.
Users of tenant A in each role then request every route of the app with B's identifiers in it: the answer
is 404 or 403 (or a refusal before any lookup: 400/405), never a server error, never B's marker; routes
without identifiers must not show B's marker either. Routes that need special handling are listed in
SKIPPED with the reason. On PostgreSQL, where the production queries run (issue 10).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import (
    Article,
    CalibrationSession,
    CallRecord,
    CallTask,
    Campaign,
    Contact,
    ContactList,
    Customer,
    DataTable,
    DialAttempt,
    Directory,
    DirectoryEntry,
    DncEntry,
    Evaluation,
    ImportJob,
    Invitation,
    Prompt,
    Role,
    SavedFilter,
    SavedReport,
    ScoreSheet,
    Shift,
    Ticket,
    Vendor,
    VendorContract,
)
from hotline.platform.services import users
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.tenants import get_tenant
from tests.designer.conftest import PASSWORD, World

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

#: endpoint → why the matrix does not request it.
SKIPPED = {
    "auth.logout": "ends the session the matrix uses",
    "api.session.delete_session": "ends the session the matrix uses",
    "api.session.create_session": "signs in (no tenant data)",
    "auth.login": "the sign-in form (no tenant data)",
    "desk.events": "server-sent event stream (never ends); covered by tests/designer/desk",
    "wallboard.events": "server-sent event stream (never ends); covered by tests/designer/wallboard",
    "campaigns.campaign_events": "server-sent event stream; covered by tests/designer/campaigns",
    "static": "files",
    "assets.file": "files",
}
#: Arguments that are not tenant data: the same for every tenant (kinds, industry templates, exports).
SHARED_ARGUMENTS = {"kind", "export_type", "filename", "answer", "mode", "fmt", "root"}
#: Allowed answers to a request naming B's row (400/405: refused before any lookup).
REFUSED = {400, 403, 404, 405}


@pytest.fixture(scope="module")
def db(postgres_database: Database) -> Database:
    return postgres_database


@pytest.fixture(scope="module")
def foreign(db: Database, world: World) -> dict[str, Any]:
    """Rows of tenant B, one per kind a URL names; `marker` is in each of them."""
    tag = uuid.uuid4().hex[:10]
    marker = f"FOREIGN{tag}"
    with db.platform() as session:
        b_id = get_tenant(session, world.tenant_b).id
        b_user = users.get_user(session, world.analyst_b).id
    due = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a fixed instant: nothing here depends on "now"
    with db.tenant(b_id) as session:
        customer = Customer(name=marker, address=marker, note=marker)
        directory = Directory(name=f"d{tag}", label=marker, kind="courier")
        entry = DirectoryEntry(directory=directory, name=marker, phone="13900000000", areas=[marker])
        ticket = Ticket(number=f"Z{tag}", form_name="complaint", form_version=1, data={"content": marker},
                        status="pending")
        article = Article(title=marker, body=marker)
        prompt = Prompt(name=f"p{tag}", text=marker)
        table = DataTable(name=f"t{tag}", label=marker)
        saved = SavedFilter(user_id=b_user, name=marker, query={})
        job = ImportJob(filename=f"{marker}.csv", format="csv")
        session.add_all([customer, directory, entry, ticket, article, prompt, table, saved, job])
        session.flush()
        task = CallTask(kind="callback", ticket_id=ticket.id, ticket_number=ticket.number, phone="13900000000",
                        note=marker, due_at=due)
        # An invitation of B's, addressed to B's analyst: no user of A may answer it.
        invitation = Invitation(user_id=b_user, role=Role.AGENT, invited_by="test")
        contact_list = ContactList(name=marker, created_by="test")
        dnc_entry = DncEntry(phone_e164="+8613900000000", source="operator", note=marker, created_by="test")
        session.add_all([task, invitation, contact_list, dnc_entry])
        session.flush()
        campaign = Campaign(name=marker, script="return_visit", script_version=1, contact_list_id=contact_list.id)
        session.add(campaign)
        # A recorded call, a score sheet, a calibration session and a score of B's (the /quality routes).
        call = CallRecord(uuid=f"c{tag}", did=marker, caller="13900000000", recording=f"calls/{marker}.wav")
        sheet = ScoreSheet(name=f"s{tag}", title=marker, body={"sections": []}, published=True)
        session.add_all([call, sheet])
        session.flush()
        calibration = CalibrationSession(call_uuid=call.uuid, sheet_id=sheet.id, title=marker, created_by="test")
        session.add(calibration)
        session.flush()
        evaluation = Evaluation(call_uuid=call.uuid, reviewer=marker, sheet_name=sheet.name, sheet={"title": marker},
                                answers={}, remarks=[{"at_seconds": 1, "item": None, "text": marker}],
                                appeal_status="open", appeal_reason=marker)
        session.add(evaluation)
        report = SavedReport(name=marker, params={"kind": "calls"}, schedule="", recipients="")
        # A dial attempt of B's campaign, with B's contact and answers (the desk's script runner route).
        contact = Contact(list_id=contact_list.id, name=marker, phone_e164="+8613900000001", fields={"x": marker})
        session.add_all([report, contact])
        session.flush()
        attempt = DialAttempt(campaign_id=campaign.id, contact_id=contact.id, phone_e164=contact.phone_e164,
                              outcome="answered", answers={"q": marker})
        session.add(attempt)
        # A vendor of B's with a contract (the /settlement routes).
        vendor = Vendor(name=f"v{tag}", title=marker)
        session.add(vendor)
        session.flush()
        contract = VendorContract(vendor_id=vendor.id, title=marker, valid_from=date(2026, 1, 1), terms={})
        session.add(contract)
        # A shift of B's (the /schedules routes).
        shift = Shift(user_id=b_user, seat_type="agent", starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC),
                      ends_at=datetime(2026, 3, 2, 9, tzinfo=UTC), note=marker[:200])
        session.add(shift)
        documents = DocumentService(session, "test")
        documents.create("form", f"f{tag}", {"title": marker})
        # A form only B has, published, so /desk/tickets/new/<form> names something of B's alone.
        form = dict(documents.get("form", "complaint").draft, title=marker)
        documents.create("form", f"g{tag}", form)
        documents.publish("form", f"g{tag}")
        session.flush()
        ids = {"customer_id": customer.id, "entry_id": entry.id, "article_id": article.id, "job_id": job.id,
               "filter_id": saved.id, "task_id": task.id, "row_id": ticket.id,
               "invitation_id": invitation.id, "campaign_id": campaign.id, "list_id": contact_list.id,
               "dnc_id": dnc_entry.id, "evaluation_id": evaluation.id, "calibration_id": calibration.id,
               "report_id": report.id, "attempt_id": attempt.id, "vendor_id": vendor.id,
               "shift_id": shift.id}
    names = {"action": "start", "answer": "accept", "table": f"t{tag}", "number": f"Z{tag}", "slug": world.tenant_b,
             "call_id": f"{tag}", "key": marker, "form_name": f"g{tag}", "doc": f"f{tag}", "uuid": f"c{tag}",
             "agent": f"a{tag}", "mode": "listen", "fmt": "csv", "root": "designer", "which": str(contract.id)}
    return {"marker": marker, "ids": ids, "names": names, "tag": tag, "b_id": b_id,
            "by_path": {"/api/prompts/": f"p{tag}", "/api/data-tables/": f"t{tag}",
                        "/records/directory/": f"d{tag}", "/api/documents/": f"f{tag}",
                        "/studio/": f"f{tag}", "/api/documents/form/": f"f{tag}",
                        "/quality/sheets/": f"s{tag}", "/quality/api/sheets/": f"s{tag}"}}


def _sign_in(app: Flask, username: str, tenant: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = client.get("/api/session").get_json()["csrf_token"]
    response = client.post("/api/session", json={"username": username, "password": PASSWORD, "tenant": tenant},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_json()
    return client, response.get_json()["csrf_token"]


def _value(rule: Any, name: str, foreign: dict[str, Any]) -> str | int:
    if name in foreign["ids"]:
        return foreign["ids"][name]
    if name == "name":
        for prefix, value in foreign["by_path"].items():
            if rule.rule.startswith(prefix):
                return value
        return f"f{foreign['tag']}"
    if name == "number" and "versions" in rule.rule:
        return 1
    if name in foreign["names"]:
        return foreign["names"][name]
    raise AssertionError(f"{rule.rule}: no foreign value for argument {name!r}: add it to the matrix")


def _url(rule: Any, foreign: dict[str, Any]) -> str:
    values = {}
    for name in rule.arguments:
        if name == "kind":
            values[name] = "form"
        elif name == "export_type":
            values[name] = "csv"
        else:
            values[name] = _value(rule, name, foreign)
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value))
        for converter in ("int", "path", "string", "any(accept, decline)"):
            url = url.replace(f"<{converter}:{name}>", str(value))
    return url


def _requests(app: Flask, foreign: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(endpoint, method, url, names B's row) of every route."""
    made = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED or rule.endpoint.endswith(".static") or "filename" in rule.arguments:
            continue  # static files and schema files are the same for every tenant
        names_foreign = bool(rule.arguments - SHARED_ARGUMENTS)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if method != "GET" and not names_foreign:
                continue  # a write without B's identifier cannot touch B's rows
            made.append((rule.endpoint, method, _url(rule, foreign), names_foreign))
    return made


ROLES = ("agent_a", "supervisor_a", "analyst_a", "admin_a")


def _readable(response: Any) -> str:
    """The response's text; an Excel export (a zip) is read through its sheets' XML, so a marker in a cell shows."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist()
                           if name.endswith(".xml"))
    return data.decode("utf-8", "replace")


def test_every_route_refuses_the_other_tenants_rows_for_every_role(app: Flask, db: Database, world: World,
                                                                   foreign: dict[str, Any]) -> None:
    requests = _requests(app, foreign)
    assert len(requests) > 150  # the whole app, not a sample
    marker = foreign["marker"]
    # The control: B's own analyst does see the marker, so its absence below means something.
    own, _token = _sign_in(app, world.analyst_b, world.tenant_b)
    assert marker in own.get("/api/documents").get_data(as_text=True)
    problems = []
    for role in ROLES:
        client, token = _sign_in(app, getattr(world, role), world.tenant_a)
        for _endpoint, method, url, names_foreign in requests:
            kwargs: dict[str, Any] = {"headers": {"X-CSRFToken": token}}
            if method in ("POST", "PUT", "PATCH"):
                kwargs["data"] = {"csrf_token": token}
            response = client.open(url, method=method, **kwargs)
            body = _readable(response)
            if response.status_code >= 500:
                problems.append(f"{role} {method} {url}: {response.status_code}")
            elif marker in body:
                problems.append(f"{role} {method} {url}: shows tenant B's data")
            elif names_foreign and response.status_code not in REFUSED:
                problems.append(f"{role} {method} {url}: {response.status_code}, expected 403/404")
    assert not problems, "\n".join(problems)
    with db.tenant(foreign["b_id"]) as session:  # B's rows are all still there, unchanged
        assert session.get(Customer, foreign["ids"]["customer_id"]).name == marker
        assert session.get(Article, foreign["ids"]["article_id"]).title == marker
        assert session.get(Ticket, foreign["ids"]["row_id"]).data == {"content": marker}
        assert session.get(CallTask, foreign["ids"]["task_id"]).status == "pending"
        assert session.scalar(select(SavedFilter.name).where(SavedFilter.id == foreign["ids"]["filter_id"]))
        assert session.get(Invitation, foreign["ids"]["invitation_id"]) is not None
        assert session.get(Campaign, foreign["ids"]["campaign_id"]).status == "draft"
        assert session.get(DncEntry, foreign["ids"]["dnc_id"]) is not None
        assert session.get(SavedReport, foreign["ids"]["report_id"]).name == marker
        assert session.get(DialAttempt, foreign["ids"]["attempt_id"]).answers == {"q": marker}
        assert session.get(Vendor, foreign["ids"]["vendor_id"]).title == marker
        assert session.get(Shift, foreign["ids"]["shift_id"]).note == marker[:200]
