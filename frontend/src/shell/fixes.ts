/**
 * One-click fixes of findings (issue 16, item 4): the server says which repair a finding has
 * (hotline/platform/kinds/fixes.py); this applies it to the draft body. Pure: a new body, the old one untouched,
 * so the shell saves it like any edit and re-validates.
 */
import { pointerParts } from "./schema";
import type { FindingFix } from "./types";

function copyPath(body: any, parts: string[]): { root: any; parent: any } {
  const root = Array.isArray(body) ? [...body] : { ...body };
  let parent = root;
  for (const part of parts.slice(0, -1)) {
    const child = parent[part];
    parent[part] = Array.isArray(child) ? [...child] : { ...(child && typeof child === "object" ? child : {}) };
    parent = parent[part];
  }
  return { root, parent };
}

/** The body with the fix applied: `value` is the node or resource the analyst chose (connect, pick, create). */
export function applyFix(body: any, fix: FindingFix, value?: string): any {
  const parts = pointerParts(fix.pointer);
  if (!parts.length || !body || typeof body !== "object") return body;
  const { root, parent } = copyPath(body, parts);
  const last = parts[parts.length - 1];
  if (fix.action === "remove") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last];
  } else {
    parent[last] = fix.action === "create" ? fix.name ?? value : value;
  }
  return root;
}

/**
 * Where a fixed body goes. An editor with its own undo history (the IVR designer) registers its `edit` here so a
 * one-click fix is one undo step like any other edit (issue 16 tester, item 7); without one the shell's plain
 * change is used. Returns the unregister function (for a React effect's clean-up).
 */
let fixEditor: ((next: any) => void) | null = null;

export function routeFixesThrough(edit: (next: any) => void): () => void {
  fixEditor = edit;
  return () => { if (fixEditor === edit) fixEditor = null; };
}

/** Hand a fixed body to the registered editor's history, or to `fallback` (the shell's change). */
export function commitFix(next: any, fallback: (next: any) => void): void {
  (fixEditor ?? fallback)(next);
}
