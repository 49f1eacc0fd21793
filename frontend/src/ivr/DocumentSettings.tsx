/**
 * With no node selected, the IVR's own settings: its title and description, the variables the flow uses
 * (name, default, what it holds), the start and fallback nodes, and the document-level findings.
 */
import { useState } from "react";
import "./settings.css";
import type { Finding } from "../shell/types";
import { NODE_ID } from "./nodeEdits";

type T = (s: string) => string;

export function DocumentSettings({ draft, ids, findings, t, writable, onChange }: {
  draft: any; ids: string[]; findings: Finding[]; t: T; writable: boolean;
  onChange: (key: string, value: unknown) => void;
}) {
  const pick = (key: "start" | "fallback", label: string) => (
    <label className="field">{label}
      {ids.length > 150 ? (
        // A thousand-option select costs a layout pass on every edit: the toolbar's id suggestions instead.
        <input id={`root_${key}`} data-testid={`doc-${key}`} list="ivr-node-ids" defaultValue={draft?.[key] || ""}
          disabled={!writable} onBlur={(e) => { if (e.target.value !== draft?.[key]) onChange(key, e.target.value); }} />
      ) : (
        <select id={`root_${key}`} data-testid={`doc-${key}`} value={draft?.[key] || ""} disabled={!writable}
          onChange={(e) => onChange(key, e.target.value)}>
          {!ids.includes(draft?.[key]) && <option value={draft?.[key] || ""}>{draft?.[key] || "—"} ⚠</option>}
          {[...ids].sort().map((id) => <option key={id} value={id}>{id}{draft?.nodes?.[id]?.label ? ` — ${draft.nodes[id].label}` : ""}</option>)}
        </select>
      )}
    </label>
  );
  return (
    <div className="doc-settings">
      <p className="muted">{t("Select a node to edit it")}</p>
      <label className="field">{t("IVR title")}
        <input id="root_title" data-testid="doc-title" value={draft?.title || ""} disabled={!writable}
          onChange={(e) => onChange("title", e.target.value || undefined)} />
      </label>
      <label className="field">{t("Description")}
        <textarea id="root_description" data-testid="doc-description" rows={2} value={draft?.description || ""}
          disabled={!writable} onChange={(e) => onChange("description", e.target.value || undefined)} />
      </label>
      {pick("start", t("Start node"))}
      {pick("fallback", t("Fallback node"))}
      <Variables value={draft?.variables || {}} t={t} writable={writable}
        onChange={(next) => onChange("variables", Object.keys(next).length ? next : undefined)} />
      {findings.length ? <ul className="node-findings">{findings.map((f, i) => <li key={i} className={f.severity}>{f.pointer || "/"}: {f.message}</li>)}</ul> : null}
    </div>
  );
}

/** The flow's declared variables: one row each, renamed on leaving the name box (a bad name is refused). */
function Variables({ value, t, writable, onChange }: {
  value: Record<string, { default?: unknown; description?: string }>; t: T; writable: boolean;
  onChange: (next: Record<string, any>) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const entries = Object.entries(value);
  const rename = (from: string, to: string) => {
    if (to === from) return;
    if (!NODE_ID.test(to)) { setProblem(t("A variable name uses letters, digits and _ only, and does not start with a digit")); return; }
    if (to in value) { setProblem(t("This variable already exists")); return; }
    setProblem(null);
    onChange(Object.fromEntries(entries.map(([k, v]) => [k === from ? to : k, v])));
  };
  const set = (name: string, key: "default" | "description", text: string) => {
    const next = { ...value[name] } as any;
    if (text === "") delete next[key]; else next[key] = text;
    onChange({ ...value, [name]: next });
  };
  const add = () => {
    let n = 1;
    while (`var_${n}` in value) n++;
    onChange({ ...value, [`var_${n}`]: {} });
  };
  return (
    <fieldset className="doc-variables" data-testid="doc-variables">
      <legend>{t("Variables")}</legend>
      {entries.length ? (
        <table>
          <thead><tr><th>{t("Name")}</th><th>{t("Default")}</th><th>{t("What it holds")}</th><th /></tr></thead>
          <tbody>
            {entries.map(([name, spec]) => (
              <tr key={name}>
                <td><input data-testid={`variable-name-${name}`} defaultValue={name} key={name} size={10} disabled={!writable}
                  onBlur={(e) => rename(name, e.target.value.trim())} /></td>
                <td><input data-testid={`variable-default-${name}`} value={spec?.default === undefined ? "" : String(spec.default)}
                  size={8} disabled={!writable} onChange={(e) => set(name, "default", e.target.value)} /></td>
                <td><input value={spec?.description || ""} size={12} disabled={!writable}
                  onChange={(e) => set(name, "description", e.target.value)} /></td>
                <td><button type="button" className="danger" disabled={!writable}
                  onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== name)))}>{t("Remove")}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">{t("No variables declared")}</p>}
      {problem && <p className="error" data-testid="variable-problem">{problem}</p>}
      <button type="button" data-testid="add-variable" onClick={add} disabled={!writable}>＋ {t("Add variable")}</button>
    </fieldset>
  );
}
