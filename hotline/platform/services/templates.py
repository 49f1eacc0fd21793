"""Industry templates: loading them from tenant_templates/, cloning one into a new tenant, and showing
what a tenant changed against the template it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .. import phones, scoping
from ..diff import Change, diff
from ..files import iter_document_files, read_json
from ..kinds.context import LintContext
from ..models import (
    Article,
    Customer,
    CustomerPhone,
    DataRow,
    DataTable,
    Directory,
    DirectoryEntry,
    KbSynonym,
    Prompt,
    Queue,
    Skill,
    Tenant,
)
from . import audit, lint_context
from .documents import DocumentService
from .errors import InvalidDocument, NotFound
from .layouts import without_positions
from .tenants import assign_did, create_tenant

TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "tenant_templates"
#: Publish order: a document is published after everything it refers to.
PUBLISH_ORDER = ("form", "outbound", "dispatch", "ivr")
MANIFEST_KEYS = ("name", "title", "description", "settings", "documents")


@dataclass
class Template:
    name: str
    path: Path
    manifest: dict[str, Any]
    documents: dict[tuple[str, str], dict[str, Any]]

    @property
    def title(self) -> str:
        return self.manifest.get("title", self.name)

    def lint_context(self) -> LintContext:
        """The context a tenant cloned from this template will have: lint a template file against it."""
        forms = {name: lint_context.form_info(body) for (kind, name), body in self.documents.items()
                 if kind == "form"}
        m = self.manifest
        return LintContext(
            forms=forms,
            scripts={name for kind, name in self.documents if kind == "outbound"},
            queues={q["name"] for q in m.get("queues", [])},
            skills={s["name"] for s in m.get("skills", [])},
            directories={d["name"] for d in m.get("directories", [])},
            prompts={p["name"] for p in m.get("prompts", [])},
            tables={t["name"] for t in m.get("tables", [])},
            **lint_context.context_from_settings(m.get("settings", {})),
        )


def available(root: Path = TEMPLATES_DIR) -> list[str]:
    return sorted(p.parent.name for p in root.glob("*/template.json"))


def load(name: str, root: Path = TEMPLATES_DIR) -> Template:
    """Loads a template by name; an unknown name lists the ones that exist."""
    path = root / name
    if not name or "/" in name or not (path / "template.json").is_file():
        raise NotFound(f"unknown template {name!r}; available: {', '.join(available(root)) or 'none'}")
    manifest, _ = read_json(path / "template.json")
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing:
        raise InvalidDocument(f"{path / 'template.json'}: missing {', '.join(missing)}", [])
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, doc_name, file in iter_document_files(path):
        documents[(kind, doc_name)], _ = read_json(file)
    return Template(name=name, path=path, manifest=manifest, documents=documents)


def clone(session: Session, template: Template, slug: str, title: str | None, actor: str,
          dids: list[str] | None = None) -> Tenant:
    """Creates a tenant from a template: its data, its documents as drafts, each then published.

    Runs in the caller's transaction: a template that fails to publish leaves no half-made tenant.
    """
    tenant = create_tenant(session, slug, title or template.title, actor,
                           settings=dict(template.manifest.get("settings", {})), template=template.name)
    scoping.scope(session, tenant.id)
    _load_data(session, template.manifest)
    service = DocumentService(session, actor)
    for kind in PUBLISH_ORDER:
        for (doc_kind, name), body in sorted(template.documents.items()):
            if doc_kind == kind:
                service.create(kind, name, body, template_ref=f"{template.name}/{kind}/{name}")
                service.publish(kind, name, note=f"cloned from template {template.name}")
    for number in dids or []:
        assign_did(session, tenant, number, actor)
    audit.record(session, actor, "template.clone", "tenant", slug, {"template": template.name})
    return tenant


def _load_data(session: Session, manifest: dict[str, Any]) -> None:
    for skill in manifest.get("skills", []):
        session.add(Skill(name=skill["name"], label=skill.get("label", skill["name"])))
    for queue in manifest.get("queues", []):
        session.add(Queue(name=queue["name"], label=queue.get("label", queue["name"]),
                          skills=queue.get("skills", []), priority=queue.get("priority", 5),
                          service_level_seconds=queue.get("service_level_seconds", 20),
                          max_wait_seconds=queue.get("max_wait_seconds", 180)))
    for prompt in manifest.get("prompts", []):
        session.add(Prompt(name=prompt["name"], text=prompt.get("text", ""), audio_path=prompt.get("audio")))
    for spec in manifest.get("directories", []):
        directory = Directory(name=spec["name"], label=spec.get("label", spec["name"]), kind=spec.get("kind", ""))
        directory.entries = [
            DirectoryEntry(name=e["name"], phone=phones.normalize(e["phone"]), branch=e.get("branch", ""),
                           areas=e.get("areas", []), data=e.get("data", {}), kind=e.get("kind", ""),
                           channels=e.get("channels") or phones.channels_for(e["phone"]),
                           skills=e.get("skills") or (e.get("data") or {}).get("skills", []))
            for e in spec.get("entries", [])
        ]
        session.add(directory)
    for spec in manifest.get("tables", []):
        table = DataTable(name=spec["name"], label=spec.get("label", spec["name"]), key_label=spec.get("key", "key"))
        table.rows = [DataRow(key=str(r["key"]), data=r.get("data", {})) for r in spec.get("rows", [])]
        session.add(table)
    for spec in manifest.get("customers", []):
        customer = Customer(name=spec["name"], address=spec.get("address", ""), vip=bool(spec.get("vip")),
                            flags=spec.get("flags", []), note=spec.get("note", ""), data=spec.get("data", {}))
        customer.phones = [CustomerPhone(phone=phones.normalize(p)) for p in spec.get("phones", [])]
        session.add(customer)
    for spec in manifest.get("articles", []):
        session.add(Article(title=spec["title"], body=spec["body"], tags=spec.get("tags", [])))
    for spec in manifest.get("kb_synonyms", []):  # what callers say → what the articles say (kb_synonyms.py)
        session.add(KbSynonym(term=spec["term"], alternatives=list(spec["alternatives"])))
    session.flush()


def changes_against_template(session: Session, template: Template) -> list[dict[str, Any]]:
    """Per document: unchanged, changed (with the changes), added by the tenant, or removed."""
    service = DocumentService(session, actor="system")
    tenant_docs = {(d.kind, d.name): d for d in service.list()}
    report: list[dict[str, Any]] = []
    for key in sorted(tenant_docs.keys() | template.documents.keys()):
        kind, name = key
        doc = tenant_docs.get(key)
        if doc is None:
            report.append({"kind": kind, "name": name, "status": "removed", "changes": []})
            continue
        current = service.published(kind, name).body if doc.published_version else doc.draft
        if key not in template.documents:
            report.append({"kind": kind, "name": name, "status": "added", "changes": []})
            continue
        changes: list[Change] = diff(without_positions(template.documents[key]), without_positions(current))
        report.append({"kind": kind, "name": name, "status": "changed" if changes else "unchanged",
                       "changes": changes})
    return report


def template_of(session: Session) -> Template:
    tenant = session.get(Tenant, scoping.tenant_of(session))
    if tenant is None or not tenant.template:
        raise NotFound("this tenant was not created from a template")
    return load(tenant.template)
