/** Version history, a side-by-side diff of any two versions (or the draft), rollback, changes against template. */
import { Input, Modal } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { zh as editorsZh } from "../editors/strings";
import { ApiError, type Api } from "./api";
import { NOTE_MAX } from "./PublishBox";
import { ChangeTable, type Change, type DiffWords } from "./readable";
import { ShortText } from "./ShortText";
import { inZone } from "./zoneTime";

/** Characters of a version's note kept in the list; the whole note is the hover title (older notes were not
 * bounded: QA saw a 3,015-character note listed whole). */
const NOTE_SHOWN = 120;

export interface VersionInfo {
  number: number; author: string; note: string; published_at: string | null; rollback_of: number | null; current: boolean;
}

export function VersionsPanel({ api, path, canWrite, refreshKey, draftRevision, onRolledBack, t, body, hasTemplate, isAdmin, schema, zone, locale, fieldNames, optionLabels }: {
  api: Api; path: string; canWrite: boolean; refreshKey: number; draftRevision: number; onRolledBack: () => void;
  t: (s: string, p?: Record<string, string | number>) => string; body: any; hasTemplate: boolean; isAdmin: boolean;
  /** The kind's schema: node types are named by its titles in diffs. */
  schema?: any;
  /** The tenant's time zone: publish times are shown in it, named. */
  zone?: string | null;
  /** The reader's language: diffs name fields and operators with the editors' own words in it. */
  locale?: "zh_CN" | "en";
  /** Condition fields by their label (ticket.branch → 网点), as the condition editors name them. */
  fieldNames?: Record<string, string>;
  /** Condition option labels by field (ticket.category → attitude → 服务态度): diffs say values as the builder does. */
  optionLabels?: Record<string, Record<string, string>>;
}) {
  // The editors' words (标题, 等于, 不为空) after the shell's: a diff names things as the editors do.
  const dt = useMemo(() => (s: string, p?: Record<string, string | number>) => {
    const own = t(s, p);
    return own === s && locale !== "en" && s in editorsZh ? editorsZh[s] : own;
  }, [t, locale]);
  const words: DiffWords = useMemo(() => ({ fieldNames, optionLabels }), [fieldNames, optionLabels]);
  /** The version a rollback would make live again, asked for in a dialog (a rollback publishes at once). */
  const [asked, setAsked] = useState<number | null>(null);
  const [rollbackNote, setRollbackNote] = useState("");
  const [busy, setBusy] = useState(false);
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
    setBusy(true);
    try {
      const result = await api<VersionInfo>("POST", `${path}/rollback`, { version: number, note: rollbackNote.trim() });
      setMessage(t("Rolled back: version {n} published", { n: result.number }));
      setAsked(null);
      setRollbackNote("");
      await reload();
      onRolledBack();
    } catch (exc) {
      setAsked(null);
      setMessage(exc instanceof ApiError ? `${exc.message}${exc.findings.length ? ": " + exc.findings.map((f) => f.message).join("; ") : ""}` : String(exc));
    } finally {
      setBusy(false);
    }
  };
  const latest = versions.length ? versions[0].number : 0;

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
            {noteOf(v) ? <div className="note" data-testid={`version-note-${v.number}`}><ShortText text={noteOf(v)} max={NOTE_SHOWN} /></div> : null}
            {canWrite && !v.current ? (
              <button className="small" data-testid={`rollback-${v.number}`} onClick={() => { setRollbackNote(""); setAsked(v.number); }}>
                {t("Roll back")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <Modal open={asked !== null} title={t("Roll back to version {n}?", { n: asked ?? 0 })} destroyOnClose
        okText={t("Roll back and publish")} cancelText={t("Cancel")} confirmLoading={busy}
        onOk={() => { if (asked !== null) rollback(asked); }} onCancel={() => setAsked(null)}
        okButtonProps={{ "data-testid": "rollback-confirm" } as any} cancelButtonProps={{ "data-testid": "rollback-cancel" } as any}>
        <div data-testid="rollback-dialog">
          <p>{t("Version {n} becomes live again: it is published as a new version {m}, and the draft is replaced by it.",
            { n: asked ?? 0, m: latest + 1 })}</p>
          <label>{t("Rollback note")}
            <Input.TextArea data-testid="rollback-note" value={rollbackNote} rows={3} maxLength={NOTE_MAX} showCount
              placeholder={t("Why roll back")} onChange={(e) => setRollbackNote(e.target.value)} />
          </label>
        </div>
      </Modal>
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
        {changes ? <ChangeTable changes={changes} t={dt} body={body} schema={schema} words={words} /> : null}
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
          {templateList ? <ChangeTable changes={templateList} t={dt} body={body} testid="template-diff" schema={schema} words={words} /> : null}
        </>
      ) : <p className="muted">{t("Not created from a template")}</p>}
    </section>
  );
}
