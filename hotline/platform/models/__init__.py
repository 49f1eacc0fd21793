"""The data model. Import from here so every table is registered on the metadata."""

from .audit import AuditEntry
from .base import Base, TenantScoped, utcnow
from .calls import CallRecord
from .content import Article, DataRow, DataTable, Prompt
from .customers import Customer, CustomerPhone
from .directory import Directory, DirectoryEntry
from .documents import Document, DocumentVersion
from .notifications import Notification
from .tenancy import DID, AgentSkill, Membership, Queue, Role, Skill, Tenant, User
from .tickets import Ticket, TicketHistory, TicketSearchKey

__all__ = [
    "DID", "AgentSkill", "Article", "AuditEntry", "Base", "CallRecord", "Customer", "CustomerPhone",
    "DataRow", "DataTable", "Directory", "DirectoryEntry", "Document", "DocumentVersion", "Membership", "Notification",
    "Prompt", "Queue", "Role", "Skill", "Tenant", "TenantScoped", "Ticket", "TicketHistory",
    "TicketSearchKey", "User", "utcnow",
]
