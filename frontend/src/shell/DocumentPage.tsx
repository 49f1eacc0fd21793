/**
 * The document page: one document of one kind, its editor in the middle, findings and versions beside it.
 * The shell owns everything every kind shares (saving, conflicts, validation, publishing, versions); an editor
 * only turns user gestures into a new document body.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType, type MouseEvent } from "react";
import { dispatchFields } from "../editors/dispatch/conditionFields";
import { branchFields } from "../editors/outbound/model";
import { editors, type EditorLoader } from "../editors/registry";
import { labelledFields } from "../ivr/conditionFields";
import { prefetchLayout } from "../ivr/useLayout";
import { ApiError, idle, makeApi, pageCsrfToken } from "./api";
import type { Boot } from "./boot";
import { ConflictBanner } from "./ConflictBanner";
import { applyFix, commitFix } from "./fixes";
import { FindingsPanel, type FixSupport } from "./FindingsPanel";
import { translator } from "./i18n";
import { PanelToggles } from "./PanelToggles";
import { PublishBox, type PublishOutcome } from "./PublishBox";
import { loadKindSchema } from "./schema";
import type { DesignerContext, EditorContext, FieldRef, EditorProps, Finding, FindingFix } from "./types";
import { useDocument } from "./useDocument";
import { usePanels, type PanelName } from "./usePanels";
import { VersionsPanel } from "./VersionsPanel";

const EMPTY_CONTEXT: DesignerContext = {
  fields: [], queues: [], skills: [], directory_groups: [], forms: [], prompts: [], notification_channels: [],
  dispatch_events: [], dispatch_actions: [],
};

const loadIvr: EditorLoader = () => import("../ivr/IvrDesigner").then((m) => m.IvrDesigner as ComponentType<EditorProps>);
const loadGeneric: EditorLoader = () => import("./GenericEditor").then((m) => m.GenericEditor);
const editorCache = new Map<string, ComponentType<EditorProps>>();

/** The editor for a kind: the IVR canvas, an editor from the editors registry, or the generic form — each a
 * chunk of its own, loaded lazily. The download starts on the first call (the page's first render), in parallel
 * with the document's own requests, and the component is the same object on every later call. */
export function editorFor(kind: string): ComponentType<EditorProps> {
  let editor = editorCache.get(kind);
  if (!editor) {
    const load = kind === "ivr" ? loadIvr : (editors as Record<string, EditorLoader | undefined>)[kind] ?? loadGeneric;
    const loading = load().then((component) => ({ default: component }));
    editor = lazy(() => loading);
    editorCache.set(kind, editor);
  }
  return editor;
}

/** A document kind in words for the header (it showed the code: "(dispatch · default · 已发布版本 1)", QA of issue
 * 16, fixc18 item 7); the document's own title is beside it. */
const KIND_LABELS: Record<string, string> = {
  ivr: "Voice menu (IVR)", form: "Ticket form", dispatch: "Dispatch rules", outbound: "Outbound script",
};

const STATE_TEXT: Record<string, string> = {
  loading: "Loading…", saved: "Saved", dirty: "Unsaved changes", saving: "Saving…", conflict: "Conflict",
  "signed-out": "Signed out: your changes are kept in this browser", error: "Save failed",
};

export function DocumentPage({ boot }: { boot: Boot }) {
  // The page's language is the server's (the shell's one language switch reloads the page with ?lang=, so the
  // navigation and the designer change together).
  const locale = boot.locale;
  const t = useMemo(() => translator(locale), [locale]);
  const api = useMemo(() => makeApi(boot.api, () => pageCsrfToken(boot.csrf_token)), [boot]);
  const storageKey = `hotline:draft:${boot.tenant.slug}:${boot.kind}:${boot.name}`;
  const document_ = useDocument(api, storageKey, boot.kind, boot.name);
  const { doc, draft, state, conflict, rescue, findings } = document_;
  const [schema, setSchema] = useState<any>(null);
  const [context, setContext] = useState<DesignerContext>(EMPTY_CONTEXT);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [focusPointer, setFocusPointer] = useState<string | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const [rollbacks, setRollbacks] = useState(0);  // a rollback clears the last publish's "version N" result
  const canWrite = boot.user.can_write;
  // Condition fields by the label the condition editors show (ticket.branch → 网点), for version diffs.
  // Their option values by label too (attitude → 服务态度, sat → 周六), the code only where no label is known.
  const [fieldNames, optionLabels] = useMemo(() => {
    const body = draft && typeof draft === "object" ? draft as any : {};
    const fields = boot.kind === "outbound" ? [...branchFields(body, context.fields), ...context.fields]
      : labelledFields(context.fields, body.nodes ?? {}, locale);
    const named: Record<string, string> = {};
    const options: Record<string, Record<string, string>> = {};
    for (const f of dispatchFields(fields, locale, t)) {
      if (!(f.path in named) && f.label) named[f.path] = f.label;
      const labels = (f as FieldRef & { option_labels?: Record<string, string> }).option_labels;
      if (!(f.path in options) && labels) options[f.path] = labels;
    }
    return [named, options];
  }, [draft, context.fields, boot.kind, locale, t]);

  const reloadContext = useCallback(() => api<DesignerContext>("GET", "/designer/context")
    .then((c) => setContext({ ...EMPTY_CONTEXT, ...c }))
    .catch(() => undefined), [api]);

  useEffect(() => {
    // The canvas's layout is loaded with the document, not after the canvas mounted (see prefetchLayout).
    if (boot.kind === "ivr") prefetchLayout(api, boot.name);
    Promise.all([document_.load(), loadKindSchema(api, boot.kind).then(setSchema)])
      .catch((exc) => setLoadError(exc instanceof ApiError ? exc.message : String(exc)));
    reloadContext();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const isIvr = boot.kind === "ivr";
  const panels = usePanels(`hotline:panels:${boot.user.username}`);
  const panelNames: PanelName[] = isIvr ? ["palette", "properties", "checks"] : ["checks"];
  const { reveal } = panels;

  const focus = useCallback((pointer: string) => {
    // A finding is fixed where it points: the IVR's property panel, or the editor itself (a phone's drawer closes).
    reveal(isIvr ? "properties" : null);
    // Cleared first so a second click on the same finding focuses it again.
    setFocusPointer(null);
    window.setTimeout(() => setFocusPointer(pointer), 0);
  }, [reveal, isIvr]);

  // The shell's language switch reloads the page: the draft is saved first, so nothing typed is lost on the way,
  // and older requests settle first, so none of their responses brings the old language's session cookie back.
  const { flush } = document_;
  useEffect(() => {
    const switchLanguage = (event: globalThis.MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.(".hl-lang a") as HTMLAnchorElement | null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      flush().catch(() => undefined).then(idle).finally(() => window.location.assign(link.href));
    };
    document.addEventListener("click", switchLanguage);
    return () => document.removeEventListener("click", switchLanguage);
  }, [flush]);

  // Where a gesture's result is shown, that panel opens: on a phone a node added from the node-type drawer is shown
  // in the property drawer at once; the test call and the funnel are drawn in the property panel.
  const onWorkspaceClick = (event: MouseEvent) => {
    const target = event.target as Element;
    if (panels.narrow && target.closest(".palette-item")) reveal("properties");
    // the narrow toolbar's 更多 menu is a portal, but React bubbles its clicks here too
    if (target.closest("[data-testid=test-call], [data-testid=funnel], [data-testid=more-test-call], "
      + "[data-testid=more-funnel]")) reveal("properties");
  };

  const publish = async (note: string): Promise<PublishOutcome> => {
    await document_.flush();
    try {
      const version = await api<{ number: number }>("POST", `${document_.path}/publish`,
        { note, base_revision: document_.revision.current });
      setVersionsKey((k) => k + 1);
      document_.validate().catch(() => undefined);
      await document_.load();
      return { published: version.number };
    } catch (exc) {
      if (exc instanceof ApiError && exc.status === 422) {
        document_.setFindings(exc.findings);
        return { refused: exc.findings };
      }
      throw exc;
    }
  };

  const ctx: EditorContext | null = useMemo(() => schema && {
    tenant: boot.tenant, kind: boot.kind, name: boot.name, locale, t, schema, context, api, canWrite,
  }, [schema, boot, locale, t, context, api, canWrite]);

  // A finding's one-click fix: the draft changes like any edit (saved; undone with 撤销 where the editor keeps a history) and the findings
  // refresh from the fixed body at once; creating a queue also refreshes the pickers that list queues.
  const fixes: FixSupport | undefined = useMemo(() => (canWrite && draft && typeof draft === "object" ? {
    nodes: Object.entries<any>(draft.nodes || {}).map(([id, node]) => ({ id, label: node?.label || "" })),
    queues: context.queues,
    apply: async (fix: FindingFix, value?: string) => {
      if (fix.action === "create" && fix.resource === "queue" && fix.name) {
        await api("POST", "/queues", { name: fix.name, label: fix.name });
        await reloadContext();
      }
      const next = applyFix(document_.draft, fix, value);
      commitFix(next, document_.change);
      await document_.validate(next);
    },
  } : undefined), [canWrite, draft, context.queues, api, reloadContext, document_]);

  const Editor = editorFor(boot.kind) as ComponentType<EditorProps & { flush?: () => Promise<void>; reloadContext?: () => Promise<void> }>;
  const loginUrl = `${boot.login_url || "/login"}?next=${encodeURIComponent(window.location.pathname)}`;

  return (
    <div className="studio" data-locale={locale} data-kind={boot.kind} {...panels.rootProps}>
      <div className="toolbar">
        <a href="/studio/" className="crumb">{t("Documents")}</a> ›
        <strong className="doc-title"> {doc?.title || boot.name}</strong>
        <span className="muted" data-testid="doc-kind"> ({t(KIND_LABELS[boot.kind] ?? boot.kind)}{doc?.published_version ? ` · ${t("Published v{n}", { n: doc.published_version })}` : ""})</span>
        <span className={`save-state state-${state}`} data-testid="save-state" data-state={state}>{t(STATE_TEXT[state])}</span>
        <span className="spacer" />
        <button data-testid="validate" onClick={() => { document_.flush().then(() => document_.validate(document_.draft)).catch(() => undefined); }}>
          {t("Validate")}
        </button>
        <PublishBox key={rollbacks} onPublish={publish} onFocus={focus} canWrite={canWrite} t={t} body={draft} />
        <PanelToggles panels={panels} names={panelNames} t={t} />
      </div>
      {!canWrite && <div className="banner info">{t("Read only: your role may not change documents")}</div>}
      {loadError && <div className="banner error">{t("Could not load the document")}: {loadError}</div>}
      {rescue && (
        <div className="banner warning" data-testid="rescue">
          {t("Unsaved changes from an earlier session were kept in this browser.")}{" "}
          <button data-testid="restore" onClick={document_.restore}>{t("Restore them")}</button>{" "}
          <button onClick={document_.discard}>{t("Discard")}</button>
        </div>
      )}
      {state === "signed-out" && (
        <div className="banner warning" data-testid="signed-out">
          {t("Signed out: your changes are kept in this browser")} — <a href={loginUrl}>{t("Sign in again")}</a>
        </div>
      )}
      {state === "error" && document_.error && <div className="banner error">{t("Save failed")}: {document_.error}</div>}
      {conflict && (
        <ConflictBanner theirs={conflict.theirs} yours={draft} t={t}
          onKeepMine={() => { document_.keepMine().catch(() => undefined); }} onTakeTheirs={document_.takeTheirs} />
      )}
      <div className="workspace" onClickCapture={onWorkspaceClick}>
        <main className="editor-area">
          {ctx && draft !== null ? (
            <Suspense fallback={<p className="muted">{t("Loading…")}</p>}>
              <Editor draft={draft} onChange={canWrite ? document_.change : () => undefined}
                findings={findings as Finding[]} focusPointer={focusPointer} ctx={ctx}
                {...(boot.kind === "ivr" ? { flush: document_.flush, reloadContext } : {})} />
            </Suspense>
          ) : !loadError ? <p className="muted">{t("Loading…")}</p> : null}
        </main>
        <aside className="sidebar">
          <FindingsPanel findings={findings} onFocus={focus} t={t} body={draft} fixes={fixes} />
          {doc && (
            <VersionsPanel api={api} zone={context.timezone} locale={locale} fieldNames={fieldNames} optionLabels={optionLabels} path={document_.path} canWrite={canWrite} schema={schema} refreshKey={versionsKey} draftRevision={doc.draft_revision} t={t} body={draft}
              hasTemplate={!!doc.template_ref} isAdmin={boot.user.roles.includes("tenant_admin") || boot.user.roles.includes("platform_operator")}
              onRolledBack={() => { document_.load().catch(() => undefined); setVersionsKey((k) => k + 1); setRollbacks((k) => k + 1); }} />
          )}
        </aside>
      </div>
    </div>
  );
}
