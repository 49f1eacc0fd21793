/** Readable renderings of pointers and values for people who never see JSON: diffs, findings, conflicts. */
import type { ReactNode } from "react";
import { pointerParts } from "./schema";

/** "/nodes/main_menu/options/9" → "main_menu (主菜单) › options › 9". */
export function readablePointer(pointer: string, body?: any): string {
  const parts = pointerParts(pointer);
  if (!parts.length) return "/";
  const out: string[] = [];
  let node: any = body;
  parts.forEach((part, index) => {
    const parent = node;
    node = node && typeof node === "object" ? node[part] : undefined;
    const label = parent && index > 0 && parts[index - 1] === "nodes" && node && typeof node === "object" && node.label;
    out.push(label ? `${part} (${label})` : part);
  });
  return out.join(" › ");
}

/** Flattens nested values into "a › b: value" lines; a position reads "x, y". */
function lines(value: any, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [`${prefix}${prefix ? ": " : ""}${String(value)}`];
  if (!Array.isArray(value) && typeof value.x === "number" && typeof value.y === "number" && Object.keys(value).length === 2) {
    return [`${prefix}${prefix ? ": " : ""}${value.x}, ${value.y}`];
  }
  const entries: [string, any][] = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v]) : Object.entries(value);
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
  if (!changes.length) return <p data-testid={testid} className="muted">{t("No differences")}</p>;
  return (
    <table className="diff" data-testid={testid}>
      <thead><tr><th>{t("Where")}</th><th>{t("Before")}</th><th>{t("After")}</th></tr></thead>
      <tbody>
        {changes.map((change, i) => (
          <tr key={i} className={`change-${change.op}`}>
            <td><span className={`op op-${change.op}`}>{t(change.op)}</span> {readablePointer(change.pointer, body)}</td>
            <td className="old">{change.op === "added" ? "" : readableValue(change.old)}</td>
            <td className="new">{change.op === "removed" ? "" : readableValue(change.new)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
