/** Types shared by the designer shell and the per-kind editors (see notes/contract-designer.md). */
import type { ComponentType } from "react";

/** A one-click repair the server offers with a finding (hotline/platform/kinds/fixes.py). */
export interface FindingFix { action: "connect" | "remove" | "pick" | "create"; pointer: string; resource?: string; name?: string }
/** `place`: where it is in the reader's words, outermost first (the server's kinds/places.py), e.g.
 * ["「联系电话」字段", "格式"]; absent from a finding the server did not word. */
export interface Finding {
  pointer: string; severity: "error" | "warning"; message: string; code: string; fixes?: FindingFix[]; place?: string[];
}
export interface FieldRef {
  path: string; label: string; type: string; options?: string[]; source: string;
  /** The bounds the server lint holds a comparison to (value-out-of-bounds), e.g. call.hour 0–23. */
  minimum?: number; maximum?: number;
}
export interface EditorContext {
  tenant: { slug: string; title: string }; kind: string; name: string; locale: "zh_CN" | "en";
  t: (english: string) => string;            // UI string in the current locale
  schema: any;                               // the kind's JSON Schema (GET /api/kinds/<kind>/schema)
  context: DesignerContext;                  // GET /api/designer/context
  api: <T>(method: string, path: string, body?: unknown) => Promise<T>;  // adds CSRF, throws ApiError
  canWrite: boolean;
}
export interface DesignerContext {
  fields: FieldRef[]; queues: {name: string; title: string}[]; skills: {name: string; title: string}[];
  directory_groups: {name: string; title: string}[]; forms: {name: string; title: string;
  statuses: string[]}[]; prompts: {name: string; text: string; audio_url: string | null}[];
  data_tables?: {name: string; title: string; key_label?: string; columns?: string[]}[];
  /** The tenant's time zone (IANA name): the test call's simulated time is typed and shown in it. */
  timezone?: string | null;
  notification_channels: string[]; dispatch_events: string[]; dispatch_actions: {type: string; schema: any}[];
}
export interface EditorProps<D = any> {
  draft: D;                          // the document body
  onChange: (next: D) => void;       // every edit; the shell autosaves (debounced) with the revision
  findings: Finding[];               // from the last validate/save/publish; show each on its field/node
  focusPointer: string | null;       // set when the user clicks a finding: scroll to / highlight it
  ctx: EditorContext;
}

/** Convenience alias for an editor component. */
export type Editor<D = any> = ComponentType<EditorProps<D>>;
