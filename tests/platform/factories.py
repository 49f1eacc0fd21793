"""Data factories: one row of every tenant-scoped table for a tenant, built through the models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from hotline.platform import models as m
from hotline.platform.services.tenants import create_tenant

_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def tenant(session: Session, prefix: str = "t") -> m.Tenant:
    return create_tenant(session, f"{prefix}{uuid.uuid4().hex[:8]}", "Test tenant", actor="test")


def user(session: Session) -> m.User:
    row = m.User(username=f"u{uuid.uuid4().hex[:8]}", display_name="Agent")
    session.add(row)
    session.flush()
    return row


def every_scoped_row(session: Session, tenant_id: int, marker: str) -> dict[type, Any]:
    """Creates one row per tenant-scoped table (with the marker in a text column), returns them by model."""
    agent = user(session)
    customer = m.Customer(tenant_id=tenant_id, name=marker)
    doc = m.Document(tenant_id=tenant_id, kind="form", name=marker, draft={"title": marker})
    directory = m.Directory(tenant_id=tenant_id, name=marker, label=marker, kind="courier")
    table = m.DataTable(tenant_id=tenant_id, name=marker, label=marker)
    call = m.CallRecord(tenant_id=tenant_id, uuid=uuid.uuid4().hex, did=marker, caller="13800000000")
    contact_list = m.ContactList(tenant_id=tenant_id, name=marker, purpose="service", created_by=marker)
    session.add_all([customer, doc, directory, table, call, contact_list])
    session.flush()
    ticket = m.Ticket(tenant_id=tenant_id, number=marker, form_name=marker, form_version=1, status="pending",
                      customer_id=customer.id, call_id=call.id, data={"marker": marker})
    session.add(ticket)
    sheet = m.ScoreSheet(tenant_id=tenant_id, name=marker[:64], title=marker, body={"sections": []})
    session.add(sheet)
    session.flush()
    calibration = m.CalibrationSession(tenant_id=tenant_id, call_uuid=call.uuid, sheet_id=sheet.id, title=marker,
                                       created_by=marker)
    campaign = m.Campaign(tenant_id=tenant_id, name=marker, script="return_visit", script_version=1,
                          contact_list_id=contact_list.id, created_by=marker)
    vendor = m.Vendor(tenant_id=tenant_id, name=marker[:64], title=marker)
    session.add_all([calibration, campaign, vendor])
    session.flush()
    rows: dict[type, Any] = {
        m.Membership: m.Membership(tenant_id=tenant_id, user_id=agent.id, role=m.Role.AGENT),
        m.Skill: m.Skill(tenant_id=tenant_id, name=marker, label=marker),
        m.AgentSkill: m.AgentSkill(tenant_id=tenant_id, user_id=agent.id, skill=marker),
        m.Queue: m.Queue(tenant_id=tenant_id, name=marker, label=marker),
        m.DID: m.DID(tenant_id=tenant_id, number=str(uuid.uuid4().int)[:11]),
        m.DocumentVersion: m.DocumentVersion(tenant_id=tenant_id, document_id=doc.id, number=1, body={},
                                             author=marker),
        m.CustomerPhone: m.CustomerPhone(tenant_id=tenant_id, customer_id=customer.id, phone=marker[:20]),
        m.TicketSearchKey: m.TicketSearchKey(tenant_id=tenant_id, ticket_id=ticket.id, field="marker",
                                             value=marker),
        m.TicketCall: m.TicketCall(tenant_id=tenant_id, ticket_id=ticket.id, call_uuid=marker),
        m.TicketHistory: m.TicketHistory(tenant_id=tenant_id, ticket_id=ticket.id, actor=marker, action="create",
                                         at=datetime.now(UTC)),
        m.DirectoryEntry: m.DirectoryEntry(tenant_id=tenant_id, directory_id=directory.id, name=marker,
                                           phone="13900000000", areas=[marker]),
        m.Prompt: m.Prompt(tenant_id=tenant_id, name=marker, text=marker),
        m.DataRow: m.DataRow(tenant_id=tenant_id, table_id=table.id, key=marker, data={}),
        m.Article: m.Article(tenant_id=tenant_id, title=marker, body=marker),
        m.Notification: m.Notification(tenant_id=tenant_id, channel="sms", to="13900000000", body=marker),
        m.AuditEntry: m.AuditEntry(tenant_id=tenant_id, actor=marker, action="test", object_type="x",
                                   object_id=marker),
        m.SavedFilter: m.SavedFilter(tenant_id=tenant_id, user_id=agent.id, name=marker, query={"q": marker}),
        m.ImportJob: m.ImportJob(tenant_id=tenant_id, filename=marker, format="csv", content=b"name,phones"),
        m.WallboardThreshold: m.WallboardThreshold(tenant_id=tenant_id, queue=marker, metric="waiting", red=9),
        m.RuleFiring: m.RuleFiring(tenant_id=tenant_id, event="ticket.created", document=marker, version=1,
                                   rule=marker, outcome="fired", ticket_number=marker),
        m.SlaEvent: m.SlaEvent(tenant_id=tenant_id, ticket_id=ticket.id, clock="resolution", kind="breach",
                               due_at=datetime.now(UTC), fired_by=marker),
        m.CallTask: m.CallTask(tenant_id=tenant_id, kind="callback", ticket_id=ticket.id, ticket_number=marker,
                               due_at=datetime.now(UTC), note=marker),
        m.TicketUrge: m.TicketUrge(tenant_id=tenant_id, ticket_id=ticket.id, actor=marker, note=marker),
        m.KbSynonym: m.KbSynonym(tenant_id=tenant_id, term=marker[:50], alternatives=[marker]),
        m.MessageProvider: m.MessageProvider(tenant_id=tenant_id, name=marker[:32], channel="sms", kind="http",
                                             settings={"url": "http://gw.example/"}, secret=marker),
        m.ManualDispatch: m.ManualDispatch(tenant_id=tenant_id, ticket_id=ticket.id, reason=marker),
        m.Invitation: m.Invitation(tenant_id=tenant_id, user_id=agent.id, role=m.Role.QA, invited_by=marker),
        m.Contact: m.Contact(tenant_id=tenant_id, list_id=contact_list.id, name=marker, phone_e164="+8613800000000"),
        m.DncEntry: m.DncEntry(tenant_id=tenant_id, phone_e164="+8613800000000", source="test", note=marker,
                               created_by=marker),
        m.DialAttempt: m.DialAttempt(tenant_id=tenant_id, phone_e164="+8613800000000", outcome="busy",
                                     disposition=marker[:64]),
        # report rows of a long-gone interval, which no commit of this test refreshes
        m.ReportInterval: m.ReportInterval(tenant_id=tenant_id, interval_start=_LONG_AGO, queue=marker[:64],
                                           did=marker[:32]),
        m.ReportTicketInterval: m.ReportTicketInterval(tenant_id=tenant_id, interval_start=_LONG_AGO,
                                                       form_name=marker[:64]),
        m.ReportIvrNode: m.ReportIvrNode(tenant_id=tenant_id, interval_start=_LONG_AGO, ivr_document=marker[:64],
                                         ivr_version=1, node=marker[:64]),
        m.ReportIvrEdge: m.ReportIvrEdge(tenant_id=tenant_id, interval_start=_LONG_AGO, ivr_document=marker[:64],
                                         ivr_version=1, node=marker[:64], next_node=marker[:64]),
        m.SavedReport: m.SavedReport(tenant_id=tenant_id, name=marker, params={"group": "day"}),
        m.RecordingPolicy: m.RecordingPolicy(tenant_id=tenant_id, queue=marker[:64], mode="all", percent=100),
        m.CampaignEntry: m.CampaignEntry(tenant_id=tenant_id, campaign_id=campaign.id, phone_e164="+8613800000000",
                                         closed_reason=marker[:200]),
        m.Shift: m.Shift(tenant_id=tenant_id, user_id=agent.id, seat_type="agent", starts_at=_LONG_AGO,
                         ends_at=_LONG_AGO.replace(hour=8), note=marker[:200]),
        m.AgentStateChange: m.AgentStateChange(tenant_id=tenant_id, agent=marker[:32], user_id=agent.id,
                                               state="available", at=_LONG_AGO, stream_id=marker[:32]),
        m.Evaluation: m.Evaluation(tenant_id=tenant_id, call_uuid=call.uuid, reviewer=marker, sheet_name=marker[:64],
                                   calibration_id=calibration.id),
        m.VendorAgent: m.VendorAgent(tenant_id=tenant_id, vendor_id=vendor.id, user_id=agent.id,
                                     joined_on=_LONG_AGO.date()),
        m.VendorContract: m.VendorContract(tenant_id=tenant_id, vendor_id=vendor.id, title=marker,
                                           valid_from=_LONG_AGO.date(), terms={}),
        m.VendorMonth: m.VendorMonth(tenant_id=tenant_id, vendor_id=vendor.id, month="2000-01", note=marker),
        m.SettlementStatement: m.SettlementStatement(tenant_id=tenant_id, vendor_id=vendor.id, month="2000-01",
                                                     version=1, total=0, signed_by=marker[:64]),
        m.VendorThreshold: m.VendorThreshold(tenant_id=tenant_id, metric="qa_score", minimum=80),
        m.AgentMonthOvertime: m.AgentMonthOvertime(tenant_id=tenant_id, user_id=agent.id, month="2000-01",
                                                   scheduled_hours=1, standard_hours=1, overtime_hours=0),
        m.VendorAlert: m.VendorAlert(tenant_id=tenant_id, vendor_id=vendor.id, month="2000-01", metric="qa_score",
                                     value=1, limit=80),
        m.DocumentLayout: m.DocumentLayout(tenant_id=tenant_id, document_id=doc.id, positions={},
                                           updated_by=marker[:64]),
    }
    session.add_all(rows.values())
    session.flush()
    rows.update({m.Customer: customer, m.Document: doc, m.Directory: directory, m.DataTable: table,
                 m.CallRecord: call, m.Ticket: ticket, m.ContactList: contact_list, m.ScoreSheet: sheet,
                 m.CalibrationSession: calibration, m.Campaign: campaign, m.Vendor: vendor})
    return rows
