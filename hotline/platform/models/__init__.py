"""The data model. Import from here so every table is registered on the metadata."""

from .audit import AuditEntry
from .base import Base, TenantScoped, utcnow
from .calls import CallRecord
from .campaigns import Campaign, CampaignEntry
from .content import Article, DataRow, DataTable, KbSynonym, Prompt
from .customers import Customer, CustomerPhone
from .desk import AgentExtension, TicketCall
from .directory import Directory, DirectoryEntry
from .dispatch import CallTask, ManualDispatch, RuleFiring, SlaEvent, TicketUrge
from .documents import Document, DocumentLayout, DocumentVersion
from .invitations import Invitation
from .notifications import MessageProvider, Notification
from .outbound import Contact, ContactList, DialAttempt, DncEntry, PlatformDncEntry
from .quality import CalibrationSession, Evaluation, RecordingPolicy, ScoreSheet
from .records import ImportJob, SavedFilter
from .reports import ReportInterval, ReportIvrEdge, ReportIvrNode, ReportTicketInterval, SavedReport
from .schedules import SEAT_TYPES, AgentMonthOvertime, AgentStateChange, Shift
from .tenancy import DID, AgentSkill, Membership, Queue, Role, Skill, Tenant, User
from .ticket_numbers import TicketNumberCounter
from .tickets import Ticket, TicketHistory, TicketSearchKey
from .vendors import (
    SettlementStatement,
    Vendor,
    VendorAgent,
    VendorAlert,
    VendorContract,
    VendorMonth,
    VendorThreshold,
)
from .wallboard import WallboardThreshold
from .web_sessions import WebSession

__all__ = [
    "DID",
    "SEAT_TYPES",
    "AgentExtension",
    "AgentMonthOvertime",
    "AgentSkill",
    "AgentStateChange",
    "Article",
    "AuditEntry",
    "Base",
    "CalibrationSession",
    "CallRecord",
    "CallTask",
    "Campaign",
    "CampaignEntry",
    "Contact",
    "ContactList",
    "Customer",
    "CustomerPhone",
    "DataRow",
    "DataTable",
    "DialAttempt",
    "Directory",
    "DirectoryEntry",
    "DncEntry",
    "Document",
    "DocumentLayout",
    "DocumentVersion",
    "Evaluation",
    "ImportJob",
    "Invitation",
    "KbSynonym",
    "ManualDispatch",
    "Membership",
    "MessageProvider",
    "Notification",
    "PlatformDncEntry",
    "Prompt",
    "Queue",
    "RecordingPolicy",
    "ReportInterval",
    "ReportIvrEdge",
    "ReportIvrNode",
    "ReportTicketInterval",
    "Role",
    "RuleFiring",
    "SavedFilter",
    "SavedReport",
    "ScoreSheet",
    "SettlementStatement",
    "Shift",
    "Skill",
    "SlaEvent",
    "Tenant",
    "TenantScoped",
    "Ticket",
    "TicketCall",
    "TicketHistory",
    "TicketNumberCounter",
    "TicketSearchKey",
    "TicketUrge",
    "User",
    "Vendor",
    "VendorAgent",
    "VendorAlert",
    "VendorContract",
    "VendorMonth",
    "VendorThreshold",
    "WallboardThreshold",
    "WebSession",
    "utcnow",
]
