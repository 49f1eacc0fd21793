/** Readable renderings of pointers and values for people who never see JSON: diffs, findings, conflicts. */
import type { ReactNode } from "react";
import { pointerParts } from "./schema";

/**
 * "/nodes/main_menu/options/9" → "主菜单 (main_menu) › 按键选项 › 9"; "/rules/0/actions/1" → "rules 1 (name) ›
 * actions 2": a node by its label, fields through `t`, list items counted from 1 as the cards count them.
 */
export function readablePointer(pointer: string, body?: any, t: (s: string) => string = (s) => s): string {
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
    out.push(t(part));
  });
  return out.join(" › ");
}

/** A node's position (where the designer draws it) is layout, not flow: diffs count those changes instead. */
const LAYOUT = /^\/nodes\/[^/]+\/position(\/|$)/;

/** Flattens nested values into "a › b: value" lines; a position reads "x, y". */
function lines(value: any, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [`${prefix}${prefix ? ": " : ""}${String(value)}`];
  if (!Array.isArray(value) && typeof value.x === "number" && typeof value.y === "number" && Object.keys(value).length === 2) {
    return [`${prefix}${prefix ? ": " : ""}${value.x}, ${value.y}`];
  }
  const entries: [string, any][] = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v])
    : Object.entries(value).filter(([key]) => key !== "position");
  if (!entries.length) return [`${prefix}${prefix ? ": " : ""}${Array.isArray(value) ? "[]" : "{}"}`];
  return entries.flatMap(([key, v]) => lines(v, prefix ? `${prefix} › ${key}` : key));
}

/** A value as short lines of text: strings bare, objects as "key: value" lines (nested keys joined with ›). */
export function readableValue(value: any): ReactNode {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  if (typeof value !== "object") return String(value);
  return <pre className="value">{lines(value).join("\n")}</pre>;
}

export interface Change { op: "added" | "removed" | "changed"; pointer: string; old?: any; new?: any }

/** Side-by-side table of changes: where, before, after. */
export function ChangeTable({ changes, t, body, testid }: {
  changes: Change[]; t: (s: string) => string; body?: any; testid?: string;
}) {
  // Moves of boxes on the canvas are summed up in one line, not listed one coordinate at a time.
  const moved = new Set(changes.filter((c) => LAYOUT.test(c.pointer)).map((c) => pointerParts(c.pointer)[1]));
  const flow = changes.filter((c) => !LAYOUT.test(c.pointer));
  if (!flow.length && !moved.size) return <p data-testid={testid} className="muted">{t("No differences")}</p>;
  return (
    <table className="diff" data-testid={testid}>
      <thead><tr><th>{t("Where")}</th><th>{t("Before")}</th><th>{t("After")}</th></tr></thead>
      <tbody>
        {moved.size ? (
          <tr className="change-layout" data-testid="layout-change">
            <td colSpan={3}>{t("Layout: {n} nodes moved").replace("{n}", String(moved.size))}</td>
          </tr>
        ) : null}
        {flow.map((change, i) => (
          <tr key={i} className={`change-${change.op}`}>
            <td><span className={`op op-${change.op}`}>{t(change.op)}</span> {readablePointer(change.pointer, body, t)}</td>
            <td className="old">{change.op === "added" ? "" : readableValue(change.old)}</td>
            <td className="new">{change.op === "removed" ? "" : readableValue(change.new)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
