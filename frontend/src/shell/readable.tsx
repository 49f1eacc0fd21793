/** Readable renderings of pointers and values for people who never see JSON: diffs, findings, conflicts. */
import type { ReactNode } from "react";
import { pointerParts } from "./schema";

type T = (s: string) => string;

const human = (key: string): string => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** A field's name for people: its title in the reader's language ("超时（秒）", "Timeout seconds"), never the stored
 * property name; a word that is no property name (a digit, a variable the analyst named) is kept as typed. */
export function fieldLabel(part: string, t: T): string {
  const said = t(part);
  if (said !== part) return said;
  return /^[a-z][a-z0-9]*_[a-z0-9_]*$/.test(part) || /^[a-z]+$/.test(part) ? human(part) : part;
}

/**
 * "/nodes/main_menu/options/9" → "主菜单 (main_menu) › 按键选项 › 9"; "/rules/0/actions/1" → "rules 1 (name) ›
 * actions 2": a node by its label, fields by their label through `t`, list items counted from 1 as the cards count
 * them, map keys (a menu's digit, a variable) as typed.
 */
export function readablePointer(pointer: string, body?: any, t: T = (s) => s): string {
  const parts = pointerParts(pointer);
  if (!parts.length) return "/";
  const out: string[] = [];
  let node: any = body;
  parts.forEach((part, index) => {
    const parent = node;
    node = node && typeof node === "object" ? node[part] : undefined;
    if (index === 0 && part === "nodes" && parts.length > 1) return; // the node's own name says it
    if (index === 1 && parts[0] === "nodes") {
      out.push(node && typeof node === "object" && node.label ? `${node.label} (${part})` : part);
      return;
    }
    if (Array.isArray(parent) && /^\d+$/.test(part)) {
      const name = node && typeof node === "object" ? node.label || node.title || node.name : undefined;
      const counted = `${Number(part) + 1}${name ? ` (${name})` : ""}`;
      if (out.length) out[out.length - 1] = `${out[out.length - 1]} ${counted}`; else out.push(counted);
      return;
    }
    const key = index > 0 && ["options", "values", "assign", "fields", "headers", "variables"].includes(parts[index - 1]);
    out.push(key ? part : fieldLabel(part, t));
  });
  return out.join(" › ");
}

/** A node's position (where the designer draws it) is layout, not flow: it never shows in a diff (layout is stored
 * apart from the flow since 5ddd0f2; older versions still carry positions). */
const LAYOUT = /^\/nodes\/[^/]+\/position(\/|$)/;
const NODE = /^\/nodes\/([^/]+)$/;

/** Flattens nested values into "a › b: value" lines, keys by their label; positions are left out. */
function lines(value: any, prefix = "", t: T = (s) => s): string[] {
  if (value === null || typeof value !== "object") return [`${prefix}${prefix ? ": " : ""}${String(value)}`];
  const entries: [string, any][] = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v])
    : Object.entries(value).filter(([key]) => key !== "position");
  if (!entries.length) return [`${prefix}${prefix ? ": " : ""}${Array.isArray(value) ? "[]" : "{}"}`];
  return entries.flatMap(([key, v]) => {
    const name = Array.isArray(value) ? key : fieldLabel(key, t);
    return lines(v, prefix ? `${prefix} › ${name}` : name, t);
  });
}

/** A value as short lines of text: strings bare, objects as "field: value" lines (nested fields joined with ›). */
export function readableValue(value: any, t: T = (s) => s): ReactNode {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  if (typeof value !== "object") return String(value);
  return <pre className="value">{lines(value, "", t).join("\n")}</pre>;
}

export interface Change { op: "added" | "removed" | "changed"; pointer: string; old?: any; new?: any }

/** A node's content as the flow sees it (its position is layout). */
function content(node: any): string {
  if (!node || typeof node !== "object") return JSON.stringify(node);
  const { position: _position, ...rest } = node;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

const nodeName = (id: string, node: any): string => (node?.label ? `${node.label} (${id})` : id);

type Row = { kind: "change"; change: Change } | { kind: "node"; op: "added" | "removed"; id: string; node: any }
  | { kind: "renamed"; from: string; to: string; node: any };

/** Node-level additions and deletions paired into renames (same content, another id), the rest as they are. */
function rows(changes: Change[]): Row[] {
  const added = new Map<string, Change>(), removed = new Map<string, Change>();
  for (const c of changes) {
    const id = NODE.exec(c.pointer)?.[1];
    if (id && c.op === "added") added.set(id, c);
    if (id && c.op === "removed") removed.set(id, c);
  }
  const renamedTo = new Map<string, string>();
  const taken = new Set<string>();
  for (const [from, gone] of removed) {
    const same = content(gone.old);
    const to = [...added.keys()].find((id) => !taken.has(id) && content(added.get(id)!.new) === same);
    if (to) { renamedTo.set(from, to); taken.add(to); }
  }
  const out: Row[] = [];
  for (const change of changes) {
    if (LAYOUT.test(change.pointer)) continue;
    const id = NODE.exec(change.pointer)?.[1];
    if (id && change.op === "removed" && renamedTo.has(id)) {
      out.push({ kind: "renamed", from: id, to: renamedTo.get(id)!, node: change.old });
    } else if (id && change.op === "added" && taken.has(id)) {
      continue; // shown with its rename
    } else if (id && change.op !== "changed") {
      out.push({ kind: "node", op: change.op, id, node: change.op === "added" ? change.new : change.old });
    } else {
      out.push({ kind: "change", change });
    }
  }
  return out;
}

/** Side-by-side table of changes: where, before, after. `schema` (the kind's) names node types. */
export function ChangeTable({ changes, t, body, testid, schema }: {
  changes: Change[]; t: (s: string, p?: Record<string, string | number>) => string; body?: any; testid?: string; schema?: any;
}) {
  const shown = rows(changes);
  if (!shown.length) return <p data-testid={testid} className="muted">{t("No differences")}</p>;
  const typeName = (type: unknown) => t(schema?.$defs?.[String(type)]?.title || String(type ?? "?"));
  // A whole node is summed up by its name and type; its other fields by their labels, never as stored keys.
  const nodeFields = (node: any) => {
    if (!node || typeof node !== "object") return readableValue(node, t);
    const { type: _type, label: _label, position: _position, ...rest } = node;
    return Object.keys(rest).length ? readableValue(rest, t) : null;
  };
  return (
    <table className="diff" data-testid={testid}>
      <thead><tr><th>{t("Where")}</th><th>{t("Before")}</th><th>{t("After")}</th></tr></thead>
      <tbody>
        {shown.map((row, i) => {
          if (row.kind === "renamed") {
            return (
              <tr key={i} className="change-renamed node-change">
                <td colSpan={3}><span className="op op-renamed">{t("Renamed")}</span> {nodeName(row.from, row.node)} → {nodeName(row.to, row.node)}
                  {" "}<span className="muted">· {typeName(row.node?.type)}</span></td>
              </tr>
            );
          }
          if (row.kind === "node") {
            const what = <>{nodeName(row.id, row.node)} <span className="muted">· {typeName(row.node?.type)}</span></>;
            return (
              <tr key={i} className={`change-${row.op} node-change`}>
                <td><span className={`op op-${row.op}`}>{t(row.op === "added" ? "Node added" : "Node deleted")}</span> {what}</td>
                <td className="old">{row.op === "removed" ? nodeFields(row.node) : ""}</td>
                <td className="new">{row.op === "added" ? nodeFields(row.node) : ""}</td>
              </tr>
            );
          }
          const change = row.change;
          return (
            <tr key={i} className={`change-${change.op}`}>
              <td><span className={`op op-${change.op}`}>{t(change.op)}</span> {readablePointer(change.pointer, body, t)}</td>
              <td className="old">{change.op === "added" ? "" : readableValue(change.old, t)}</td>
              <td className="new">{change.op === "removed" ? "" : readableValue(change.new, t)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
