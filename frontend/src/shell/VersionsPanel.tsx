/** Version history, a side-by-side diff of any two versions (or the draft), rollback, changes against template. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, type Api } from "./api";
import { ChangeTable, type Change } from "./readable";
import { inZone } from "./zoneTime";

export interface VersionInfo {
  number: number; author: string; note: string; published_at: string | null; rollback_of: number | null; current: boolean;
}

export function VersionsPanel({ api, path, canWrite, refreshKey, draftRevision, onRolledBack, t, body, hasTemplate, isAdmin, schema, zone }: {
  api: Api; path: string; canWrite: boolean; refreshKey: number; draftRevision: number; onRolledBack: () => void;
  t: (s: string, p?: Record<string, string | number>) => string; body: any; hasTemplate: boolean; isAdmin: boolean;
  /** The kind's schema: node types are named by its titles in diffs. */
  schema?: any;
  /** The tenant's time zone: publish times are shown in it, named. */
  zone?: string | null;
}) {
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("draft");
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [templateChanges, setTemplateChanges] = useState<any>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const result = await api<{ versions: VersionInfo[] }>("GET", `${path}/versions`);
    const sorted = [...result.versions].sort((a, b) => b.number - a.number);
    setVersions(sorted);
    setFrom((current) => current || (sorted[0] ? String(sorted[0].number) : ""));
  }, [api, path]);

  useEffect(() => { reload().catch(() => undefined); }, [reload, refreshKey]);

  useEffect(() => {
    if (!from || !to || from === to) { setChanges(from && from === to ? [] : null); return; }
    let live = true;
    api<{ changes: Change[] }>("GET", `${path}/diff?old=${from}&new=${to}`)
      .then((result) => { if (live) setChanges(result.changes); })
      .catch((exc) => { if (live) setMessage(exc instanceof ApiError ? exc.message : String(exc)); });
    return () => { live = false; };
  }, [api, path, from, to, refreshKey, draftRevision]);

  const rollback = async (number: number) => {
    if (!window.confirm(t("Roll back to version {n}? It is published again as a new version and becomes the draft.", { n: number }))) return;
    try {
      const result = await api<VersionInfo>("POST", `${path}/rollback`, { version: number, note: "" });
      setMessage(t("Rolled back: version {n} published", { n: result.number }));
      await reload();
      onRolledBack();
    } catch (exc) {
      setMessage(exc instanceof ApiError ? `${exc.message}${exc.findings.length ? ": " + exc.findings.map((f) => f.message).join("; ") : ""}` : String(exc));
    }
  };

  const showTemplateChanges = async () => {
    try {
      setTemplateChanges(await api<any>("GET", `${path}/template-changes`));
    } catch (exc) {
      setTemplateChanges({ error: exc instanceof ApiError ? exc.message : String(exc) });
    }
  };

  const reimport = async () => {
    if (!window.confirm(t("Replace the draft with the template's version? The published version is not touched."))) return;
    try {
      await api("POST", `${path}/reimport-template`, {});
      onRolledBack();
    } catch (exc) {
      setMessage(exc instanceof ApiError ? exc.message : String(exc));
    }
  };

  // A rollback without a note of its own says so in the reader's language (older rollbacks stored the
  // English "rollback to version N", shown the same way).
  // Notes and authors the platform writes itself are shown in words, never as stored (QA of issue 11, item 5:
  // "作者 system", "cloned from template express_delivery").
  const noteOf = (v: VersionInfo) => v.rollback_of && (!v.note || v.note === `rollback to version ${v.rollback_of}`)
    ? t("Rollback to version {n}", { n: v.rollback_of })
    : /^cloned from template \S+$/.test(v.note || "") ? t("Created from an industry template") : v.note;
  const authorOf = (v: VersionInfo) => (v.author === "system" ? t("System") : v.author);
  const option = (v: VersionInfo) => <option key={v.number} value={String(v.number)}>{t("Version")} {v.number}</option>;
  const templateList: Change[] | null = Array.isArray(templateChanges?.changes) ? templateChanges.changes
    : Array.isArray(templateChanges) ? templateChanges : null;

  return (
    <section className="panel" data-testid="versions">
      <h3>{t("Versions")}</h3>
      {message && <p className="message" data-testid="versions-message">{message}</p>}
      <ul className="versions">
        {versions.map((v) => (
          <li key={v.number} data-testid={`version-${v.number}`} className={v.current ? "current" : ""}>
            <strong>{t("Version")} {v.number}</strong>{v.current ? <span className="badge ok"> {t("current")}</span> : null}
            <div className="muted"><span data-testid={`version-time-${v.number}`}>{v.published_at ? inZone(v.published_at, zone) : ""}</span> · {t("by")} {authorOf(v)}</div>
            {noteOf(v) ? <div className="note">{noteOf(v)}</div> : null}
            {canWrite && !v.current ? (
              <button className="small" data-testid={`rollback-${v.number}`} onClick={() => rollback(v.number)}>
                {t("Roll back")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <h4>{t("Compare")}</h4>
      <div className="diff-pickers">
        <label>{t("From")}{" "}
          <select data-testid="diff-from" value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="draft">{t("Draft")}</option>{versions.map(option)}
          </select>
        </label>{" "}
        <label>{t("To")}{" "}
          <select data-testid="diff-to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="draft">{t("Draft")}</option>{versions.map(option)}
          </select>
        </label>
      </div>
      <div data-testid="diff" className="diff-box">
        {changes ? <ChangeTable changes={changes} t={t} body={body} schema={schema} /> : null}
      </div>
      <h4>{t("Changes against template")}</h4>
      {hasTemplate ? (
        <>
          <button className="small" data-testid="template-changes" onClick={showTemplateChanges}>{t("Changes against template")}</button>{" "}
          {canWrite && isAdmin ? <button className="small" data-testid="reimport-template" onClick={reimport}>
            {t("Re-import the template's version into the draft")}</button> : null}
          {templateChanges?.error ? <p className="error">{templateChanges.error}</p> : null}
          {templateChanges?.template ? (
            <p className="muted">{templateChanges.template_title || templateChanges.template} ·{" "}
              {t(templateChanges.compared === "draft" ? "Draft" : "Published version")}
              {templateChanges.draft_differs ? ` · ${t("the draft differs from the published version")}` : ""}</p>
          ) : null}
          {templateList ? <ChangeTable changes={templateList} t={t} body={body} testid="template-diff" schema={schema} /> : null}
        </>
      ) : <p className="muted">{t("Not created from a template")}</p>}
    </section>
  );
}
