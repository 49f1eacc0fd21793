"""Commands for documents: validate a file, publish, versions, diff, rollback, import and export."""

from __future__ import annotations

from pathlib import Path

import click

from ..platform.files import iter_document_files, kind_of, read_json, write_document
from ..platform.findings import Finding, Fix, has_errors
from ..platform.kinds import KINDS
from ..platform.kinds.fixes import with_fixes
from ..platform.kinds.lint import check
from ..platform.kinds.wording import in_words
from ..platform.services import templates
from ..platform.services.documents import DocumentService
from ..platform.services.errors import InvalidDocument, NotFound
from ..platform.services.lint_context import build as build_context
from .context import CliContext, user_errors

KIND = click.Choice(KINDS)


@click.command("validate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=KIND, help="Document kind (default: the file's folder name).")
@click.option("--tenant", help="Check references against this tenant.")
@click.option("--template", "template_name", help="Check references against this template.")
@click.option("--lang", type=click.Choice(["en", "zh", "zh_CN"]), default="en", show_default=True,
              help="Language of the findings, worded as the designer words them, with how to fix each "
                   "(zh is zh_CN).")
@click.pass_obj
def validate(obj: CliContext, path: Path, kind: str | None, tenant: str | None, template_name: str | None,
             lang: str) -> None:
    """Validate a document file: prints one finding per line; exit 1 on errors."""
    lang = "zh_CN" if lang == "zh" else lang  # the designer's locale names
    try:
        kind = kind_of(path, kind, lang)
    except InvalidDocument as exc:  # worded in the chosen language, like every other finding of this command
        click.echo(f"{'错误：' if lang == 'zh_CN' else 'error: '}{exc.args[0]}", err=True)
        for finding in exc.findings:
            click.echo(_line(finding, lang))
        raise SystemExit(1) from None
    with user_errors():
        body, source = read_json(path)
        if tenant:
            with obj.tenant_session(tenant) as session:
                context = build_context(session)
        else:
            name = template_name or _template_folder(path)
            if name is None:
                raise click.UsageError("name --tenant or --template to check the document's references")
            context = templates.load(name).lint_context()
        findings = in_words(with_fixes(check(kind, body, context, source=source), kind, body), kind, body, lang)
    for finding in findings:
        click.echo(_line(finding, lang))
        if finding.fixes:
            click.echo(_fix_line(finding.fixes, lang))
    if has_errors(findings):
        raise SystemExit(1)
    click.echo(f"ok: {path} is a valid {kind} document" + (f" ({len(findings)} warnings)" if findings else ""))


#: The designer's fix buttons, said in words under a finding: the CLI names the repair it cannot click.
_FIXES = {
    "en": {"connect": "connect it to a node", "remove": "remove this digit", "pick": "choose an existing {resource}",
           "create": "create the {resource} {name!r}", "label": "fix", "sep": "; or "},
    "zh_CN": {"connect": "连接到一个节点", "remove": "删除这个按键", "pick": "改用已有的队列",
              "create": "新建队列「{name}」", "label": "修复", "sep": "；或"},
}


def _line(finding: Finding, lang: str) -> str:
    """One finding: severity and message first (the message names the place in words, counted from 1 as the
    designer counts), the JSON Pointer after it as a detail (it counts from 0, which read as 规则 0 up front)."""
    at = finding.pointer or "/"
    if lang != "zh_CN":
        return f"{finding.severity}: {finding.message} (JSON pointer {at}) [{finding.code}]"
    return f"{'错误' if finding.severity == 'error' else '警告'}：{finding.message}（JSON 指针 {at}）"


def _fix_line(fixes: tuple[Fix, ...], lang: str) -> str:
    words = _FIXES.get(lang, _FIXES["en"])
    said = [words[f.action].format(resource=f.resource, name=f.name) for f in fixes]
    return f"    {words['label']}{'：' if lang == 'zh_CN' else ': '}{words['sep'].join(said)}"


def _template_folder(path: Path) -> str | None:
    folder = path.resolve().parent.parent
    return folder.name if (folder / "template.json").is_file() and folder.parent == templates.TEMPLATES_DIR else None


@click.command("publish")
@click.argument("tenant")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="Replace the draft with this file first (created if new).")
@click.option("--note", default="", help="Why this version.")
@click.pass_obj
def publish(obj: CliContext, tenant: str, kind: str, name: str, path: Path | None, note: str) -> None:
    """Publish a document's draft as a new version."""
    with user_errors():
        if path is not None:  # the draft is saved even if publishing it is then refused
            body, _ = read_json(path)
            with obj.tenant_session(tenant) as session:
                _put_draft(DocumentService(session, obj.actor), kind, name, body)
        with obj.tenant_session(tenant) as session:
            version = DocumentService(session, obj.actor).publish(kind, name, note=note)
            click.echo(f"published {kind}/{name} version {version.number}")


def _put_draft(service: DocumentService, kind: str, name: str, body: dict) -> None:
    try:
        doc = service.get(kind, name)
    except NotFound:
        service.create(kind, name, body)
    else:
        service.save_draft(kind, name, body, base_revision=doc.draft_revision)


@click.command("versions")
@click.argument("tenant")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.pass_obj
def versions(obj: CliContext, tenant: str, kind: str, name: str) -> None:
    """List the published versions of a document."""
    with user_errors(), obj.tenant_session(tenant) as session:
        service = DocumentService(session, obj.actor)
        current = service.get(kind, name).published_version
        for v in service.versions(kind, name):
            mark = "*" if v.number == current else " "
            extra = f" (rollback of {v.rollback_of})" if v.rollback_of else ""
            click.echo(f"{mark}{v.number}\t{v.published_at:%Y-%m-%d %H:%M:%S}\t{v.author}\t{v.note}{extra}")


@click.command("diff")
@click.argument("tenant")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.argument("old")
@click.argument("new", default="draft")
@click.pass_obj
def diff(obj: CliContext, tenant: str, kind: str, name: str, old: str, new: str) -> None:
    """Show the changes between two versions (numbers, or 'draft')."""
    with user_errors(), obj.tenant_session(tenant) as session:
        changes = DocumentService(session, obj.actor).diff(kind, name, old, new)
    for change in changes:
        click.echo(str(change))
    if not changes:
        click.echo("no changes")


@click.command("rollback")
@click.argument("tenant")
@click.argument("kind", type=KIND)
@click.argument("name")
@click.argument("version", type=int)
@click.option("--note", default="")
@click.pass_obj
def rollback(obj: CliContext, tenant: str, kind: str, name: str, version: int, note: str) -> None:
    """Publish a copy of an older version as the newest one."""
    with user_errors(), obj.tenant_session(tenant) as session:
        new = DocumentService(session, obj.actor).rollback(kind, name, version, note)
        click.echo(f"published {kind}/{name} version {new.number} (copy of version {version})")


@click.command("export")
@click.argument("tenant")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--drafts", is_flag=True, help="Export drafts instead of the published versions.")
@click.pass_obj
def export(obj: CliContext, tenant: str, folder: Path, drafts: bool) -> None:
    """Write a tenant's documents as <folder>/<kind>/<name>.json."""
    with user_errors(), obj.tenant_session(tenant) as session:
        service = DocumentService(session, obj.actor)
        count = 0
        for doc in service.list():
            published = not drafts and doc.published_version is not None
            body = service.published(doc.kind, doc.name).body if published else doc.draft
            write_document(folder, doc.kind, doc.name, body)
            count += 1
    click.echo(f"exported {count} documents to {folder}")


@click.command("import")
@click.argument("tenant")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--publish", "do_publish", is_flag=True, help="Publish every imported document.")
@click.option("--note", default="imported")
@click.pass_obj
def import_(obj: CliContext, tenant: str, folder: Path, do_publish: bool, note: str) -> None:
    """Import <folder>/<kind>/<name>.json files as drafts (all or nothing)."""
    files = iter_document_files(folder)
    if not files:
        raise click.ClickException(f"no document files under {folder} (expected <kind>/<name>.json)")
    with user_errors():
        bodies = [(kind, name, read_json(path)[0]) for kind, name, path in files]  # parse all first
        with obj.tenant_session(tenant) as session:
            service = DocumentService(session, obj.actor)
            for kind, name, body in bodies:
                _put_draft(service, kind, name, body)
            if do_publish:
                for kind in templates.PUBLISH_ORDER:
                    for doc_kind, name, _ in bodies:
                        if doc_kind == kind:
                            try:
                                service.publish(kind, name, note=note)
                            except InvalidDocument as exc:
                                raise InvalidDocument(f"{kind}/{name}: {exc.args[0]}; nothing was imported",
                                                      exc.findings) from None
    click.echo(f"imported {len(bodies)} documents into {tenant}" + (" and published them" if do_publish else ""))


documents_commands = (validate, publish, versions, diff, rollback, export, import_)
