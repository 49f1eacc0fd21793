"""The OpenAPI 3.1 description of the JSON API, written by hand.

Hand-written because the views are plain Flask; tests/designer/test_openapi.py walks the URL map and fails
when a route or method is missing here, so the two cannot drift apart silently.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ...platform.services.documents import NOTE_MAX

KINDS = ["ivr", "form", "dispatch", "outbound"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


#: A document's layout: node id → place; `pinned` nodes were placed by the analyst and automatic layout keeps them.
LAYOUT: dict[str, Any] = {"type": "object", "required": ["positions"], "properties": {"positions": {
    "type": "object", "maxProperties": 5000, "additionalProperties": {
        "type": "object", "required": ["x", "y"], "properties": {
            "x": {"type": "number"}, "y": {"type": "number"}, "pinned": {"type": "boolean", "default": False}}}}}}


def _op(summary: str, ok: dict[str, Any], *errors: str, write: bool = False, body: dict[str, Any] | None = None,
        status: str = "200", params: list[dict[str, Any]] | None = None, public: bool = False) -> dict[str, Any]:
    """One operation; every one may answer with the shared errors its access rules imply."""
    responses: dict[str, Any] = {status: ok}
    common = {
        "400": "Malformed request, or (on writes) a missing or wrong CSRF token.",
        "401": "Not signed in.",
        "403": "No tenant chosen, or your role in it does not allow this.",
        "404": "No such document or version in the current tenant (also for another tenant's).",
    }
    # 429: every signed-in tenant request counts against the tenant's API quota (designer/quotas.py).
    for code in (["400"] if public else ["400", "401", "403", "404", "429"]) + list(errors):
        responses[code] = _error(common.get(code, ERRORS.get(code, "")))
    operation: dict[str, Any] = {"summary": summary, "responses": responses}
    if write:
        operation["parameters"] = [{"$ref": "#/components/parameters/CSRF"}]
    if params:
        operation.setdefault("parameters", []).extend(params)
    if body is not None:
        operation["requestBody"] = body
    if public:
        operation["security"] = []
    return operation


ERRORS = {
    "409": "Conflict: a stale base_revision (with current_revision and the server's draft), or a duplicate name.",
    "413": "The upload is too large (a prompt recording: at most 5 MB).",
    "422": "The document is invalid; every finding is listed.",
    "429": ("Too many: the tenant's quota (API requests, test calls) is used up, too many test calls are running, "
            "or sign-in is backing off after failed attempts; the message and Retry-After say how long to wait."),
}

DOC = "/api/documents/{kind}/{name}"

SCHEMAS: dict[str, Any] = {
    "Finding": {"type": "object", "required": ["pointer", "severity", "message", "code"], "properties": {
        "pointer": {"type": "string", "description": "JSON Pointer into the document body"},
        "severity": {"enum": ["error", "warning"]},
        "message": {"type": "string"},
        "code": {"type": "string"},
        "fixes": {"type": "array", "description": "one-click repairs (IVR): connect, remove, pick or create a queue",
                  "items": {"type": "object", "required": ["action", "pointer"], "properties": {
                      "action": {"enum": ["connect", "remove", "pick", "create"]}, "pointer": {"type": "string"},
                      "resource": {"type": "string"}, "name": {"type": "string"}}}},
    }},
    "Error": {"type": "object", "required": ["error", "findings"], "properties": {
        "error": {"type": "string"},
        "findings": {"type": "array", "items": _ref("Finding")},
        "current_revision": {"type": "integer", "description": "on 409 for a stale revision"},
        "draft": {"type": "object", "description": "on 409 for a stale revision: the server's draft"},
    }},
    "DocumentSummary": {"type": "object", "properties": {
        "kind": {"enum": KINDS}, "name": {"type": "string"}, "title": {"type": "string"},
        "draft_revision": {"type": "integer"}, "published_version": {"type": ["integer", "null"]},
        "draft_updated_at": {"type": ["string", "null"], "format": "date-time"},
        "draft_updated_by": {"type": "string"}, "template_ref": {"type": ["string", "null"]},
    }},
    "Document": {"allOf": [_ref("DocumentSummary"), {"type": "object", "properties": {"draft": {"type": "object"}}}]},
    "VersionSummary": {"type": "object", "properties": {
        "number": {"type": "integer"}, "author": {"type": "string"}, "note": {"type": "string"},
        "published_at": {"type": "string", "format": "date-time"}, "rollback_of": {"type": ["integer", "null"]},
        "current": {"type": "boolean", "description": "the version the runtime runs"},
    }},
    "Version": {"allOf": [_ref("VersionSummary"), {"type": "object", "properties": {"body": {"type": "object"}}}]},
    "Change": {"type": "object", "properties": {
        "op": {"enum": ["added", "removed", "changed"]}, "pointer": {"type": "string"}, "old": {}, "new": {}}},
    "FieldRef": {"type": "object", "required": ["path", "label", "type", "source"], "properties": {
        "path": {"type": "string", "description": "ticket.<field>, var.<name>, customer.<field> or call.<field>"},
        "label": {"type": "string"}, "type": {"type": "string"},
        "options": {"type": "array", "items": {"type": "string"}},
        "source": {"enum": ["form", "ticket", "ivr", "customer", "call"]},
        "forms": {"type": "array", "items": {"type": "string"}, "description": "forms that have this field"},
        "set_by": {"type": "array", "items": {"type": "string"}, "description": "<ivr>/<node> setting it"},
    }},
    "Named": {"type": "object", "required": ["name", "title"], "properties": {
        "name": {"type": "string"}, "title": {"type": "string"}}},
    "TableImport": {"type": "object", "required": ["id", "table", "status", "status_label", "progress"],
                    "properties": {
        "id": {"type": "integer"}, "table": {"type": "string"}, "filename": {"type": "string"},
        "status": {"enum": ["queued", "running", "done", "done_with_errors", "failed"]},
        "status_label": {"type": "string"}, "progress": {"type": "string"}, "percent": {"type": "integer"},
        "total": {"type": "integer"}, "created": {"type": "integer"}, "updated": {"type": "integer"},
        "skipped": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "line": {"type": "integer"}, "reason": {"type": "string"}}}},
        "failure": {"type": ["string", "null"]}}},
    "Prompt": {"type": "object", "required": ["name", "text", "audio_url"], "properties": {
        "name": {"type": "string"}, "text": {"type": "string"}, "audio_url": {"type": ["string", "null"]}}},
    "DesignerContext": {"type": "object", "properties": {
        "fields": {"type": "array", "items": _ref("FieldRef")},
        "queues": {"type": "array", "items": _ref("Named")},
        "skills": {"type": "array", "items": _ref("Named")},
        "directory_groups": {"type": "array", "items": _ref("Named")},
        "forms": {"type": "array", "items": {"allOf": [_ref("Named"), {"type": "object", "properties": {
            "statuses": {"type": "array", "items": {"type": "string"}}}}]}},
        "prompts": {"type": "array", "items": _ref("Prompt")},
        "data_tables": {"type": "array", "items": {"allOf": [_ref("Named"), {"type": "object", "properties": {
            "key_label": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}}}}]}},
        "calendar": {"type": ["object", "null"], "description": "the tenant's business calendar (settings)"},
        "notification_channels": {"type": "array", "items": {"type": "string"}},
        "dispatch_events": {"type": "array", "items": {"type": "string"}},
        "dispatch_actions": {"type": "array", "items": {"type": "object", "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
            "schema": {"type": "object", "description": "standalone JSON Schema of the action's parameters"}}}},
    }},
    "TestCall": {"type": "object", "required": ["id", "status", "current_node", "prompts", "path", "variables",
                                                 "outcome", "events"], "properties": {
        "id": {"type": "string"}, "status": {"enum": ["waiting_input", "running", "ended"]},
        "clock": {"type": "object", "description": "on start: when the call pretends to start, in the tenant's zone",
                  "properties": {"at": {"type": "string"}, "zone": {"type": "string"}, "offset": {"type": "string"}}},
        "ivr": {"type": "string"}, "version": {"type": ["integer", "string"]},
        "caller": {"type": "string"}, "did": {"type": "string"},
        "current_node": {"type": ["string", "null"]},
        "prompts": {"type": "array", "items": {"type": "object", "properties": {
            "node": {"type": ["string", "null"]}, "text": {"type": "string"},
            "audio_url": {"type": ["string", "null"]}}}},
        "path": {"type": "array", "items": {"type": "string"}},
        "steps": {"type": "array", "description": "per step of the path: which way it went", "items": {
            "type": "object", "properties": {
                "node": {"type": ["string", "null"]}, "next": {"type": ["string", "null"]},
                "key": {"type": ["string", "null"], "description": "the last key pressed; null: a time-out"},
                "facts": {"type": "object", "description": "open, found, branch, retries_exhausted"}}}},
        "variables": {"type": "object"}, "outcome": {"type": ["string", "null"]},
        "events": {"type": "array", "items": {"type": "object", "description": "queues, and the tickets and "
                                                                               "SMS a test call only pretends"}},
        "errors": {"type": "array", "items": {"type": "object"}},
        "failure": {"type": ["string", "null"], "description": "why the test call itself broke, if it did"},
    }},
    "TemplateChanges": {"type": "object", "properties": {
        "template": {"type": "string"}, "template_title": {"type": "string"}, "kind": {"enum": KINDS},
        "name": {"type": "string"}, "compared": {"enum": ["published", "draft"]},
        "status": {"enum": ["changed", "unchanged", "added", "removed"]},
        "changes": {"type": "array", "items": {"allOf": [_ref("Change"), {"type": "object", "properties": {
            "text": {"type": "string", "description": "the change in words"}}}]}},
        "draft_differs": {"type": "boolean", "description": "the draft differs from the template"},
    }},
    "Session": {"type": "object", "properties": {
        "authenticated": {"type": "boolean"}, "csrf_token": {"type": "string"},
        "user": {"type": ["object", "null"]},
    }},
}

PATHS: dict[str, Any] = {
    "/api/health": {"get": _op("Liveness and database dialect", _json({"type": "object"}, "OK"), public=True)},
    "/api/openapi.json": {"get": _op("This document", _json({"type": "object"}, "OpenAPI 3.1"), public=True)},
    "/api/session": {
        "get": _op("Who is signed in, their tenants and roles, and the CSRF token", _json(_ref("Session"), "OK"),
                   public=True),
        "post": _op("Sign in (optionally choosing the tenant)", _json(_ref("Session"), "Signed in"),
                    "401", "404", "429",
                    write=True, public=True, body=_body({"type": "object", "required": ["username", "password"],
                                                         "properties": {"username": {"type": "string"},
                                                                        "password": {"type": "string"},
                                                                        "tenant": {"type": "string"}}})),
        "delete": _op("Sign out", {"description": "Signed out"}, write=True, status="204", public=True),
    },
    "/api/session/tenant": {"put": _op(
        "Work in another tenant (one you hold a role in; the platform operator: any)", _json(_ref("Session"), "OK"),
        write=True, body=_body({"type": "object", "required": ["tenant"],
                                "properties": {"tenant": {"type": "string"}}}))},
    "/api/documents": {
        "get": _op("Documents of the current tenant", _json({"type": "object", "properties": {
            "documents": {"type": "array", "items": _ref("DocumentSummary")}}}, "OK"),
            params=[{"name": "kind", "in": "query", "schema": {"enum": KINDS}}]),
        "post": _op("Create a document with a draft (analyst, tenant admin)", _json(_ref("Document"), "Created"),
                    "409", "422", write=True, status="201", body=_body({
                        "type": "object", "required": ["kind", "name"], "properties": {
                            "kind": {"enum": KINDS}, "name": {"type": "string"}, "body": {"type": "object"}}})),
    },
    DOC: {"get": _op("A document with its draft and revision", _json(_ref("Document"), "OK"))},
    DOC + "/draft": {"put": _op(
        "Save the draft made from base_revision (analyst, tenant admin)", _json(_ref("Document"), "Saved"), "409",
        write=True, body=_body({"type": "object", "required": ["body", "base_revision"], "properties": {
            "body": {"type": "object"}, "base_revision": {"type": "integer"}}}))},
    DOC + "/validate": {"post": _op(
        "Schema and lint findings for a body (default: the saved draft)", _json({"type": "object", "properties": {
            "valid": {"type": "boolean"}, "findings": {"type": "array", "items": _ref("Finding")}}}, "Findings"),
        write=True, body=_body({"type": "object", "properties": {"body": {"type": "object"}}}, required=False))},
    DOC + "/publish": {"post": _op(
        "Publish the draft as a new version (analyst, tenant admin)", _json(_ref("VersionSummary"), "Published"),
        "409", "422", write=True, status="201", body=_body({"type": "object", "properties": {
            "note": {"type": "string", "maxLength": NOTE_MAX}, "base_revision": {"type": "integer"}}}))},
    DOC + "/versions": {"get": _op("Published versions", _json({"type": "object", "properties": {
        "versions": {"type": "array", "items": _ref("VersionSummary")}}}, "OK"))},
    DOC + "/versions/{number}": {"get": _op("One published version with its body", _json(_ref("Version"), "OK"),
                                            params=[{"name": "number", "in": "path", "required": True,
                                                     "schema": {"type": "integer", "minimum": 1}}])},
    DOC + "/diff": {"get": _op("Changes between two versions ('draft' names the draft)", _json({
        "type": "object", "properties": {"old": {}, "new": {}, "changes": {"type": "array", "items": _ref("Change")}}},
        "OK"), params=[{"name": "old", "in": "query", "required": True, "schema": {"type": "string"}},
                       {"name": "new", "in": "query", "schema": {"type": "string", "default": "draft"}}])},
    DOC + "/rollback": {"post": _op(
        "Publish a copy of an older version and make it the draft (analyst, tenant admin)",
        _json(_ref("VersionSummary"), "Published"), "422", write=True, status="201",
        body=_body({"type": "object", "required": ["version"], "properties": {
            "version": {"type": "integer"}, "note": {"type": "string", "maxLength": NOTE_MAX}}}))},
    DOC + "/layout": {
        "get": _op("Where the designer draws each node (kept apart from the body: moves are no revision and no "
                   "diff line)", _json(LAYOUT, "OK")),
        "put": _op("Replace the layout (analyst, tenant admin); a bad entry is refused naming it (400)",
                   _json(LAYOUT, "Saved"), write=True, body=_body(LAYOUT))},
    DOC + "/template-changes": {"get": _op(
        "What the tenant changed in this document against its industry template (readable list)",
        _json(_ref("TemplateChanges"), "OK"))},
    DOC + "/reimport-template": {"post": _op(
        "Replace the draft with the template's version (a new draft revision; the published version is "
        "untouched; analyst, tenant admin)", _json(_ref("Document"), "Re-imported"), "409", write=True,
        body=_body({"type": "object", "properties": {"base_revision": {"type": "integer"}}}, required=False))},
    "/api/documents/form/{name}/preview": {
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
        "post": _op("The form exactly as an agent gets it (server-rendered WTForms), from the given draft or "
                    "the stored one, with its findings", _json({"type": "object", "properties": {
                        "html": {"type": "string"}, "findings": {"type": "array", "items": _ref("Finding")},
                        "valid": {"type": "boolean"}}}, "Preview"), write=True,
                    body=_body({"type": "object", "properties": {"draft": {"type": "object"}}}, required=False))},
    "/api/kinds/{kind}/schema": {
        "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"enum": KINDS}}],
        "get": _op("The kind's JSON Schema, self-contained (shared definitions bundled as common_*); IVR node "
                   "types and dispatch action types under $defs with title and description, listed in "
                   "x-node-types / x-action-types", _json({"type": "object"}, "JSON Schema 2020-12"))},
    "/api/designer/context": {"get": _op(
        "Pickers for the editors: fields (ticket., var., customer., call.), queues, skills, directories, forms "
        "and statuses, prompts, notification channels, dispatch events and actions",
        _json(_ref("DesignerContext"), "OK"))},
    "/api/prompts": {"post": _op(
        "Create or update a prompt: text (TTS and transcript) and an optional recording, WAV/MP3/Ogg checked "
        "by content, at most 5 MB (analyst, tenant admin); 201 created, 200 updated",
        _json(_ref("Prompt"), "Created"), "413", write=True, status="201",
        body={"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"}, "text": {"type": "string"},
                "audio": {"type": "string", "format": "binary"}}}}}})},
    "/api/queues": {"post": _op(
        "Create a queue by name and label, its ACD settings at their defaults (analyst, tenant admin): the fix of a "
        "queue node naming a queue the tenant lacks; 409 when the name is taken",
        _json({"type": "object", "properties": {"name": {"type": "string"}, "title": {"type": "string"}}}, "Created"),
        "409", write=True, status="201", body=_body({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "label": {"type": "string", "maxLength": 200}}}))},
    "/api/dispatch/trial": {"post": _op(
        "Dry run of a dispatch draft (unsaved edits included) on a ticket or a recent call by the real engine: per "
        "rule whether its condition held, the failing parts, what its actions would do; nothing is written or "
        "sent (analyst, tenant admin); at most 512 KB and 200 rules",
        _json({"type": "object", "properties": {"event": {"type": "string"}, "ticket": {"type": "object"},
                                                "call": {"type": "object"}, "rules": {"type": "array"}}}, "OK"),
        "413", write=True, body=_body({"type": "object", "required": ["draft", "event"], "properties": {
            "draft": {"type": "object"}, "event": {"type": "string"}, "ticket": {"type": "string", "maxLength": 64},
            "call": {"type": "string", "maxLength": 64}}}))},
    "/api/dispatch/trial/tickets": {"get": _op(
        "Recent tickets to try the rules on (or those whose number contains q), with form title and a summary by "
        "labels (analyst, tenant admin)", _json({"type": "object", "properties": {"tickets": {"type": "array"}}}, "OK"),
        params=[{"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 64}}])},
    "/api/dispatch/trial/calls": {"get": _op(
        "Recent inbound calls to try call-event rules on, times in the tenant's zone (analyst, tenant admin)",
        _json({"type": "object", "properties": {"zone": {"type": "string"}, "calls": {"type": "array"}}}, "OK"))},
    "/api/dispatch/firings": {"get": _op(
        "The latest firings of the tenant's published dispatch rules, newest first, worded, times in the "
        "tenant's zone (analyst, tenant admin)",
        _json({"type": "object", "properties": {"zone": {"type": "string"}, "firings": {"type": "array"}}}, "OK"),
        params=[{"name": "after", "in": "query", "required": False, "schema": {"type": "string",
                                                                              "pattern": "^[0-9]{1,18}$"}}])},
    "/api/prompts/preview": {"post": _op(
        "A prompt text spoken by the deployment's TTS engine (the publish-time engine and cache): at most 300 "
        "characters after stage directions are dropped, 30 previews per tenant per minute; 409 when no engine "
        "is configured, 502 when it fails",
        {"description": "WAV audio", "content": {"audio/wav": {}}}, "409", "502", write=True,
        body={"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 2000}}}}}})},
    "/api/prompts/{name}/audio": {
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": _op("The prompt's recording", {"description": "Audio", "content": {
            "audio/wav": {}, "audio/mpeg": {}, "audio/ogg": {}}})},
    "/api/test-calls": {"post": _op(
        "Start a test call of an IVR (the draft or a published version) through the real flow engine against "
        "the ESL simulator; answers when the call waits for a key, ends, or waits in a queue",
        _json(_ref("TestCall"), "Started"), "422", "429", write=True, status="201", body=_body({
            "type": "object", "required": ["name"], "properties": {
                "name": {"type": "string", "description": "the IVR document"},
                "version": {"oneOf": [{"const": "draft"}, {"type": "integer", "minimum": 1}], "default": "draft"},
                "caller": {"type": "string", "default": "13800138000"}, "did": {"type": "string"},
                "at": {"type": "string", "description": "pretend the call starts at this time (business hours): "
                       "'2026-11-23 10:00' in the tenant's zone, or ISO 8601 with its offset"}}}))},
    "/api/test-calls/{call_id}": {
        "parameters": [{"name": "call_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "get": _op("A test call's state", _json(_ref("TestCall"), "OK")),
        "delete": _op("Hang up (the caller puts the phone down)", _json(_ref("TestCall"), "Ended"), write=True),
    },
    "/api/test-calls/{call_id}/no-input": {
        "parameters": [{"name": "call_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "post": _op("The caller presses nothing: the waiting node's time-out passes now (retry, then fallback)",
                    _json(_ref("TestCall"), "OK"), "409", write=True)},
    "/api/test-calls/{call_id}/digits": {
        "parameters": [{"name": "call_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "post": _op("Press keys; answers when the call waits for the next key, ends, or waits in a queue",
                    _json(_ref("TestCall"), "OK"), "409", write=True, body=_body({
                        "type": "object", "required": ["digits"], "properties": {
                            "digits": {"type": "string", "pattern": "^[0-9*#]{1,64}$"}}}))},
}

#: Data tables (the IVR lookup node's built-in tables): api/data_tables.py.
_TABLE = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}]
_ROW_KEY = [*_TABLE, {"name": "key", "in": "path", "required": True,
                      "schema": {"type": "string", "minLength": 1, "maxLength": 200}}]
_ROW = {"type": "object", "required": ["key", "data"], "properties": {
    "key": {"type": "string"}, "data": {"type": "object", "additionalProperties": {
        "type": ["string", "number", "boolean", "null"]}}}}
PATHS.update({
    "/api/data-tables": {"get": _op("The tenant's data tables with their row counts", _json({
        "type": "object", "properties": {"tables": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "label": {"type": "string"}, "key_label": {"type": "string"},
            "rows": {"type": "integer"}}}}}}, "OK"))},
    "/api/data-tables/{name}/rows": {
        "parameters": _TABLE,
        "get": _op("A page of rows by key (optionally those whose key starts with prefix)", _json({
            "type": "object", "properties": {"rows": {"type": "array", "items": _ROW}, "total": {"type": "integer"}}},
            "OK"), params=[{"name": "prefix", "in": "query", "schema": {"type": "string"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                       "maximum": 500, "default": 100}},
                           {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}])},
    "/api/data-tables/{name}/rows/{key}": {
        "parameters": _ROW_KEY,
        "get": _op("One row", _json(_ROW, "OK")),
        "put": _op("Create or replace the row (analyst, tenant admin); 201 created, 200 replaced",
                   _json(_ROW, "Replaced"), "422", write=True, body=_body({
                       "type": "object", "required": ["data"], "properties": {"data": _ROW["properties"]["data"]}})),
        "delete": _op("Delete the row (analyst, tenant admin)", {"description": "Deleted"}, write=True,
                      status="204"),
    },
    "/api/data-tables/{name}/import": {
        "parameters": _TABLE,
        "post": _op("Queue a CSV (UTF-8, GBK, UTF-16) or .xlsx file for loading: first column the key, the others "
                    "fields; each line creates or replaces its row, a bad line is reported with its number and "
                    "reason and skipped. Answers 202 with the job; poll its `progress` URL (analyst, tenant admin)",
                    _json(_ref("TableImport"), "Queued"), "413", "422", write=True, status="202",
                    body={"required": True, "content": {"multipart/form-data": {"schema": {
                        "type": "object", "required": ["file"], "properties": {
                            "file": {"type": "string", "format": "binary"}}}}}})},
    "/api/data-tables/imports/{job_id}": {
        "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "get": _op("A data-table import: status (queued, running, done, done_with_errors, failed) with its label, "
                   "counts and every line not loaded with its reason", _json(_ref("TableImport"), "The import"))},
    "/api/data-tables/{name}/export": {
        "parameters": _TABLE,
        "get": _op("The table as CSV (UTF-8 with BOM)", {"description": "CSV", "content": {"text/csv": {}}})},
})

# Saving a prompt that exists answers 200 with the same body (schemathesis found it undocumented).
PATHS["/api/prompts"]["post"]["responses"]["200"] = _json(_ref("Prompt"), "Updated")


def document() -> dict[str, Any]:
    """The OpenAPI document; path parameters kind and name are declared once per document path."""
    paths: dict[str, Any] = {}
    for path, item in PATHS.items():
        item = dict(item)
        if path.startswith(DOC):
            item["parameters"] = [{"name": "kind", "in": "path", "required": True, "schema": {"enum": KINDS}},
                                  {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}]
        paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hotline designer API", "version": "1",
                 "description": "Documents of the signed-in user's current tenant. Writes need the CSRF token "
                                "from GET /api/session in the X-CSRFToken header."},
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "parameters": {"CSRF": {"name": "X-CSRFToken", "in": "header", "required": True,
                                    "schema": {"type": "string"}}},
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
        "security": [{"session": []}],
    }


def blueprint() -> Blueprint:
    bp = Blueprint("openapi", __name__)

    @bp.get("/openapi.json")
    def openapi() -> ResponseReturnValue:
        return jsonify(document())

    return bp
