/** Findings → rjsf's ErrorSchema, so each message shows on the field its JSON Pointer names. */
import type { Finding } from "./types";
import { pointerParts } from "./schema";

export function errorSchema(findings: Finding[], strip: string[] = []): any {
  const root: any = {};
  for (const finding of findings) {
    const parts = pointerParts(finding.pointer);
    if (strip.some((p, i) => parts[i] !== p)) continue;
    const path = parts.slice(strip.length);
    // "missing required property 'x'" points at the object; the user looks for it on the field x.
    const missing = /required property '([^']+)'/.exec(finding.message);
    if (missing) path.push(missing[1]);
    let node = root;
    for (const part of path) node = node[part] ??= {};
    (node.__errors ??= []).push(finding.message);
  }
  return root;
}

/** The DOM id rjsf gives the field at `parts` (its ids join the path with "_" under "root"). */
export function rjsfId(parts: string[], prefix = "root"): string {
  return [prefix, ...parts].join("_");
}

/** Scrolls to and briefly highlights the element for a field, if it is on the page. */
export function flash(id: string): boolean {
  const element = document.getElementById(id);
  if (!element) return false;
  element.scrollIntoView({ block: "center", behavior: "smooth" });
  const box = (element.closest(".form-group, .field") as HTMLElement | null) ?? element;
  box.classList.add("focused");
  window.setTimeout(() => box.classList.remove("focused"), 2500);
  if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) {
    element.focus({ preventScroll: true });
  }
  return true;
}
