/**
 * With no node selected, the IVR's own settings: its title and description, the variables the flow uses
 * (name, default, what it holds), the start and fallback nodes, and the document-level findings.
 * antd form items and a searchable Select for the nodes (its list is virtual, so a thousand-node IVR costs no
 * more than a small one: the plain <select> it replaces needed a text box past 150 nodes).
 */
import { Button, Form, Input, Select, Typography } from "antd";
import { useMemo, useState } from "react";
import "./settings.css";
import { findingPlace } from "../shell/readable";
import type { Finding } from "../shell/types";
import { VARIABLE_NAME } from "./nodeEdits";

type T = (s: string) => string;

/** The nodes as a Select's options, "id — label", sorted by id; a value naming no node is offered as it is. */
export function nodeOptions(ids: string[], nodes: Record<string, any> | undefined, current?: string) {
  const options = [...ids].sort().map((id) => ({ value: id, label: nodes?.[id]?.label ? `${id} — ${nodes[id].label}` : id }));
  if (current && !ids.includes(current)) options.unshift({ value: current, label: `${current} ⚠` });
  return options;
}

export function DocumentSettings({ draft, ids, findings, t, writable, onChange }: {
  draft: any; ids: string[]; findings: Finding[]; t: T; writable: boolean;
  onChange: (key: string, value: unknown) => void;
}) {
  const byPointer = (pointer: string) => findings.filter((f) => f.pointer === pointer);
  const pick = (key: "start" | "fallback", label: string) => {
    const here = byPointer(`/${key}`);
    const missing = !!draft?.[key] && !ids.includes(draft[key]);
    return (
      <Form.Item label={label} htmlFor={`root_${key}`} validateStatus={here.length || missing ? "error" : undefined}
        help={here.length ? here.map((f) => f.message).join("; ") : undefined}>
        <Select id={`root_${key}`} data-testid={`doc-${key}`} value={draft?.[key] || undefined} disabled={!writable}
          showSearch optionFilterProp="label" options={nodeOptions(ids, draft?.nodes, draft?.[key])}
          onChange={(value: string) => onChange(key, value)} />
      </Form.Item>
    );
  };
  const elsewhere = findings.filter((f) => f.pointer !== "/start" && f.pointer !== "/fallback");
  return (
    <Form layout="vertical" size="small" component="div" className="doc-settings">
      <p className="muted">{t("Select a node to edit it")}</p>
      <Form.Item label={t("IVR title")} htmlFor="root_title">
        <Input id="root_title" data-testid="doc-title" value={draft?.title || ""} disabled={!writable}
          onChange={(e) => onChange("title", e.target.value || undefined)} />
      </Form.Item>
      <Form.Item label={t("Description")} htmlFor="root_description">
        <Input.TextArea id="root_description" data-testid="doc-description" autoSize={{ minRows: 2, maxRows: 6 }}
          value={draft?.description || ""} disabled={!writable} onChange={(e) => onChange("description", e.target.value || undefined)} />
      </Form.Item>
      {pick("start", t("Start node"))}
      {pick("fallback", t("Fallback node"))}
      <Variables value={draft?.variables || {}} t={t} writable={writable}
        onChange={(next) => onChange("variables", Object.keys(next).length ? next : undefined)} />
      {elsewhere.length ? <ul className="node-findings">{elsewhere.map((f, i) => <li key={i} className={f.severity}>{findingPlace(f, draft, t)}: {f.message}</li>)}</ul> : null}
    </Form>
  );
}

/** The flow's declared variables: one row each, renamed on leaving the name box (a bad name is refused). */
function Variables({ value, t, writable, onChange }: {
  value: Record<string, { default?: unknown; description?: string }>; t: T; writable: boolean;
  onChange: (next: Record<string, any>) => void;
}) {
  const [problem, setProblem] = useState<{ name: string; text: string } | null>(null);
  const entries = useMemo(() => Object.entries(value), [value]);
  const rename = (from: string, to: string) => {
    if (to === from) { setProblem(null); return; }
    if (!VARIABLE_NAME.test(to)) { setProblem({ name: from, text: t("A variable name uses letters, digits and _ only, and does not start with a digit") }); return; }
    if (to in value) { setProblem({ name: from, text: t("This variable already exists") }); return; }
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
        <div className="doc-variable-rows">
          <div className="doc-variable-head" aria-hidden><span>{t("Name")}</span><span>{t("Default")}</span><span>{t("What it holds")}</span><span /></div>
          {entries.map(([name, spec]) => (
            <div className="doc-variable" key={name}>
              <Input data-testid={`variable-name-${name}`} defaultValue={name} key={name} disabled={!writable} aria-label={t("Name")}
                status={problem?.name === name ? "error" : undefined} onBlur={(e) => rename(name, e.target.value.trim())} />
              <Input data-testid={`variable-default-${name}`} value={spec?.default === undefined ? "" : String(spec.default)}
                aria-label={t("Default")} disabled={!writable} onChange={(e) => set(name, "default", e.target.value)} />
              <Input value={spec?.description || ""} aria-label={t("What it holds")} disabled={!writable}
                onChange={(e) => set(name, "description", e.target.value)} />
              <Button danger type="text" size="small" disabled={!writable}
                onClick={() => onChange(Object.fromEntries(entries.filter(([k]) => k !== name)))}>{t("Remove")}</Button>
            </div>
          ))}
        </div>
      ) : <p className="muted">{t("No variables declared")}</p>}
      {problem && <Typography.Text type="danger" data-testid="variable-problem">{problem.text}</Typography.Text>}
      <div><Button size="small" data-testid="add-variable" onClick={add} disabled={!writable}>＋ {t("Add variable")}</Button></div>
    </fieldset>
  );
}
