"""`GET /api/designer/context`: everything the editors offer in pickers, for the current tenant.

One request gives the condition builder its field list (ticket fields of the tenant's forms, IVR variables,
customer and call fields), the pickers their names (queues, skills, directories, forms and statuses,
prompts) and the dispatch editor its events and actions with each action's parameter schema. Forms and
IVRs are read as the analyst sees them: the published version where there is one (what the lint checks
references against), else the draft, so a form made a minute ago is already offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, jsonify, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...platform.kinds.context import CALL_BOUNDS, CALL_FIELDS, CUSTOMER_FIELDS, TICKET_FIELDS
from ...platform.models import (
    DataRow,
    DataTable,
    Directory,
    Document,
    DocumentVersion,
    Prompt,
    Queue,
    Skill,
    Tenant,
)
from ...platform.services.notifications import CHANNELS
from ...platform.tenant_zone import tenant_calendar, zone_name
from ...platform.ticket_form_fields import options as option_titles
from ..auth import READ_DOCUMENTS, database, require_tenant
from .kinds import bundled_schema, definition_schema

#: Types of the fields every record has; anything not listed is a string.
CUSTOMER_TYPES = {"id": "integer", "vip": "boolean", "monthly_settlement": "boolean", "flags": "array",
                  "phones": "array"}
CALL_TYPES = {"hour": "integer", "wait_seconds": "number", "attempt": "integer"}
TICKET_TYPES = {"id": "integer", "priority": "integer", "overdue": "boolean", "created_at": "date-time",
                "updated_at": "date-time", "first_response_due": "date-time", "resolution_due": "date-time",
                "customer_id": "integer"}
CALL_OPTIONS = {"weekday": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
#: IVR node properties that name a variable the node sets.
VARIABLE_KEYS = {"collect": ("variable",), "ticket": ("variable",), "survey": ("variable",), "urge": ("variable",),
                 "callback": ("variable",), "voicemail": ("variable",)}


def field_type(spec: dict[str, Any]) -> str:
    """The one word the condition builder needs: string, number, integer, boolean, array, date, date-time."""
    kind = spec.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "string" and spec.get("format") in ("date", "date-time", "time", "email"):
        return spec["format"]
    return kind if isinstance(kind, str) else "string"


def field_options(spec: dict[str, Any]) -> list[str] | None:
    """The values a field may take (enum, or the consts of oneOf/anyOf), as strings."""
    if "enum" in spec:
        return [str(v) for v in spec["enum"]]
    for key in ("oneOf", "anyOf"):
        if isinstance(spec.get(key), list) and all(isinstance(o, dict) and "const" in o for o in spec[key]):
            return [str(o["const"]) for o in spec[key]]
    items = spec.get("items")
    if spec.get("type") == "array" and isinstance(items, dict):
        return field_options(items)
    return None


def _current_bodies(session: Session, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, body) of each document of a kind: the published version, else the draft."""
    rows = session.execute(
        select(Document.name, Document.draft, DocumentVersion.body)
        .outerjoin(DocumentVersion, (DocumentVersion.document_id == Document.id)
                   & (DocumentVersion.number == Document.published_version))
        .where(Document.kind == kind).order_by(Document.name)
    ).all()
    return [(name, published if isinstance(published, dict) else draft) for name, draft, published in rows
            if isinstance(published if isinstance(published, dict) else draft, dict)]


def form_fields(forms: Iterable[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """`ticket.<field>` for every field of every form (one entry per field name, listing its forms)."""
    forms = list(forms)
    found: dict[str, dict[str, Any]] = {}
    for name, body in forms:
        properties = body.get("schema", {}).get("properties", {}) if isinstance(body.get("schema"), dict) else {}
        for field, spec in properties.items() if isinstance(properties, dict) else ():
            if not isinstance(spec, dict):
                continue
            path = f"ticket.{field}"
            entry = found.setdefault(path, {"path": path, "label": spec.get("title") or field,
                                            "type": field_type(spec), "source": "form", "forms": []})
            entry["forms"].append(name)
            options = field_options(spec)
            if options is not None and "options" not in entry:
                entry["options"] = options
                # the form's words for each value (服务态度 for attitude): the builder offers values by label
                # (QA of issue 16, fixc18 item 1); the stored value stays the code
                labels = {str(v): str(title) for v, title in option_titles(spec.get("items")
                          if spec.get("type") == "array" and isinstance(spec.get("items"), dict) else spec)}
                if labels:
                    entry["option_labels"] = labels
    statuses: dict[str, str] = {}
    for _name, body in forms:
        for status in body.get("statuses") or [] if isinstance(body.get("statuses"), list) else []:
            if isinstance(status, dict) and isinstance(status.get("name"), str):
                statuses.setdefault(status["name"], str(status.get("label") or status["name"]))
    for field in sorted(TICKET_FIELDS):
        path = f"ticket.{field}"
        if path not in found:
            found[path] = {"path": path, "label": field.replace("_", " "), "type": TICKET_TYPES.get(field, "string"),
                           "source": "ticket"}
            if field == "status" and statuses:  # statuses by their labels (待派单), stored by name
                found[path].update(options=list(statuses), option_labels=statuses)
    return sorted(found.values(), key=lambda f: (f["source"] != "form", f["path"]))


def ivr_variables(ivrs: Iterable[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """`var.<name>` for every variable an IVR declares or a collect/lookup/set/ticket/survey node sets."""
    found: dict[str, dict[str, Any]] = {}

    def add(name: Any, ivr: str, node: str | None, description: str = "") -> None:
        if not isinstance(name, str) or not name:
            return
        entry = found.setdefault(name, {"path": f"var.{name}", "label": description or name, "type": "string",
                                        "source": "ivr", "set_by": []})
        entry["set_by"].append(f"{ivr}/{node}" if node else ivr)

    for ivr, body in ivrs:
        declared = body.get("variables")
        for name, spec in declared.items() if isinstance(declared, dict) else ():
            add(name, ivr, None, spec.get("description", "") if isinstance(spec, dict) else "")
        nodes = body.get("nodes")
        for node_id, node in nodes.items() if isinstance(nodes, dict) else ():
            if not isinstance(node, dict):
                continue
            node_type = node.get("type")
            for key in VARIABLE_KEYS.get(node_type, ()):
                add(node.get(key), ivr, node_id)
            if node_type == "lookup" and isinstance(node.get("assign"), dict):
                for name in node["assign"]:
                    add(name, ivr, node_id)
            if node_type == "set" and isinstance(node.get("values"), dict):
                for name in node["values"]:
                    add(name, ivr, node_id)
    return sorted(found.values(), key=lambda f: f["path"])


def _bounds(path: str) -> dict[str, int]:
    bounds = CALL_BOUNDS.get(path)
    return {"minimum": bounds[0], "maximum": bounds[1]} if bounds else {}


def record_fields() -> list[dict[str, Any]]:
    customer = [{"path": f"customer.{f}", "label": f.replace("_", " "), "type": CUSTOMER_TYPES.get(f, "string"),
                 "source": "customer"} for f in sorted(CUSTOMER_FIELDS)]
    call = [{"path": f"call.{f}", "label": f.replace("_", " "), "type": CALL_TYPES.get(f, "string"),
             "source": "call", **({"options": CALL_OPTIONS[f]} if f in CALL_OPTIONS else {}),
             # the lint's bounds (value-out-of-bounds), so the builder says them as the value is typed
             **_bounds(f"call.{f}")}
            for f in sorted(CALL_FIELDS)]
    return customer + call


def prompt_entry(prompt: Prompt) -> dict[str, Any]:
    audio = url_for("api.prompts.prompt_audio", name=prompt.name) if prompt.audio_path else None
    return {"name": prompt.name, "text": prompt.text, "audio_url": audio}


#: How many rows of a data table are read to learn its columns, and how many columns are listed at most: the
#: rows' data is free-form JSON, so the columns are those the first rows use (bounded: the context is loaded
#: with every designer page).
COLUMN_SAMPLE_ROWS = 20
MAX_COLUMNS = 50


def data_table_entries(session: Session) -> list[dict[str, Any]]:
    """The tenant's data tables for the lookup node's pickers: name, label, key label and the columns."""
    out = []
    for table in session.scalars(select(DataTable).order_by(DataTable.name)):
        columns: dict[str, None] = {}
        sample = (select(DataRow.data).where(DataRow.table_id == table.id)
                  .order_by(DataRow.key).limit(COLUMN_SAMPLE_ROWS))
        for data in session.scalars(sample):
            for column in data or {}:
                if len(columns) < MAX_COLUMNS:
                    columns.setdefault(str(column), None)
        out.append({"name": table.name, "title": table.label, "key_label": table.key_label, "columns": list(columns)})
    return out


def dispatch_catalogue() -> tuple[list[str], list[dict[str, Any]]]:
    """The dispatch events and action types, each action with its standalone parameter schema."""
    schema = bundled_schema("dispatch")
    events = schema["$defs"]["rule"]["properties"]["event"]["enum"]
    actions = [{"type": t, "title": schema["$defs"][t].get("title", t),
                "description": schema["$defs"][t].get("description", ""),
                "schema": definition_schema("dispatch", t)} for t in schema["x-action-types"]]
    return list(events), actions


def build(session: Session, tenant_id: int | None = None) -> dict[str, Any]:
    """The DesignerContext of the session's tenant (see notes/contract-designer.md); with `tenant_id`, also the
    tenant's business calendar (what an hours node without its own calendar uses)."""
    tenant = session.get(Tenant, tenant_id) if tenant_id is not None else None
    calendar = tenant_calendar(tenant.settings) if tenant is not None else None
    forms = _current_bodies(session, "form")
    ivrs = _current_bodies(session, "ivr")
    events, actions = dispatch_catalogue()
    return {
        "fields": form_fields(forms) + ivr_variables(ivrs) + record_fields(),
        "queues": [{"name": q.name, "title": q.label} for q in session.scalars(select(Queue).order_by(Queue.name))],
        "skills": [{"name": s.name, "title": s.label} for s in session.scalars(select(Skill).order_by(Skill.name))],
        "directory_groups": [{"name": d.name, "title": d.label, "kind": d.kind}
                             for d in session.scalars(select(Directory).order_by(Directory.name))],
        "forms": [{"name": name, "title": body.get("title") or name,
                   "statuses": [s["name"] for s in body.get("statuses", []) if isinstance(s, dict) and "name" in s]}
                  for name, body in forms],
        "prompts": [prompt_entry(p) for p in session.scalars(select(Prompt).order_by(Prompt.name))],
        "data_tables": data_table_entries(session),
        "calendar": calendar if isinstance(calendar, dict) else None,
        # The test call's simulated time is typed and shown in it (issue 16): one zone per tenant.
        "timezone": zone_name(tenant.settings) if tenant is not None else None,
        "notification_channels": list(CHANNELS),
        "dispatch_events": events,
        "dispatch_actions": actions,
    }


def blueprint() -> Blueprint:
    bp = Blueprint("designer_context", __name__)

    @bp.get("/designer/context")
    def designer_context() -> ResponseReturnValue:
        who = require_tenant(READ_DOCUMENTS)
        assert who.tenant is not None
        with database().tenant(who.tenant.tenant_id) as session:
            return jsonify(build(session, who.tenant.tenant_id))

    return bp
