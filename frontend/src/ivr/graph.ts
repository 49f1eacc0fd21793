/**
 * The IVR document seen as a graph, derived from the kind's JSON Schema rather than from a list of node types:
 * every property whose schema is a "next" reference is an outgoing port, every map of "next" (a menu's digit →
 * node) gives one port per key, every array of objects holding a "next" gives one port per item. A new node
 * type in the schema therefore gets its boxes, ports and edges without UI code.
 */
import { deref, pointerParts, refName } from "../shell/schema";
import type { Finding } from "../shell/types";

export type Path = (string | number)[];
/** `required`: the schema requires the port (an unconnected one is an error); an optional one (a lookup's 出错时,
 * a queue's 通话结束后) may stay open and is drawn neutral. */
export interface Port { path: Path; handle: string; label: string; target: string | null; required: boolean }
export interface NodeType { type: string; title: string; description: string; schema: any }

/** Node types in schema order: from the `node` definition's if/then chain, else the `type` enum. */
export function nodeTypes(root: any): NodeType[] {
  const defs = root?.$defs || {};
  const types: string[] = Array.isArray(root?.["x-node-types"]) ? [...root["x-node-types"]] : [];
  if (!types.length) for (const branch of defs.node?.allOf || []) {
    const type = branch?.if?.properties?.type?.const;
    if (typeof type === "string") types.push(type);
  }
  if (!types.length) types.push(...(deref(root, defs.base)?.properties?.type?.enum || []));
  return types.map((type) => {
    const branch = (defs.node?.allOf || []).find((b: any) => b?.if?.properties?.type?.const === type);
    const schema = deref(root, branch?.then ?? defs[type] ?? {});
    return { type, title: schema.title || type, description: schema.description || "", schema };
  });
}

export const isNext = (schema: any): boolean => refName(schema) === "next";

/** What kind of port each property of a node type is: a single target, a map of targets, a list of targets. */
export interface PortSpec {
  prop: string; shape: "single" | "map" | "list"; itemProps?: string[]; title: string;
  /** Whether the schema requires the property (a map's entries and a list's required item props always are). */
  required: boolean; requiredItemProps?: string[];
}

export function portSpecs(root: any, typeSchema: any): PortSpec[] {
  const specs: PortSpec[] = [];
  const required = new Set<string>(Array.isArray(typeSchema?.required) ? typeSchema.required : []);
  for (const [prop, raw] of Object.entries<any>(typeSchema?.properties || {})) {
    if (isNext(raw)) { specs.push({ prop, shape: "single", title: raw.title || prop, required: required.has(prop) }); continue; }
    const schema = deref(root, raw);
    if (schema?.type === "object" && isNext(schema.additionalProperties)) {
      specs.push({ prop, shape: "map", title: schema.title || prop, required: required.has(prop) });
    } else if (schema?.type === "array") {
      const items = deref(root, schema.items);
      const itemProps = Object.entries<any>(items?.properties || {}).filter(([, s]) => isNext(s)).map(([k]) => k);
      const requiredItemProps = itemProps.filter((k) => Array.isArray(items?.required) && items.required.includes(k));
      if (itemProps.length) specs.push({ prop, shape: "list", itemProps, title: schema.title || prop, required: required.has(prop), requiredItemProps });
    }
  }
  return specs;
}

export const handleOf = (path: Path): string => path.join("/");
export const pathOfHandle = (handle: string): Path => handle.split("/").map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** The ports of one node, in a stable order (map keys sorted like a phone keypad). */
export function portsOf(specs: PortSpec[], node: any): Port[] {
  const ports: Port[] = [];
  for (const spec of specs) {
    const value = node?.[spec.prop];
    if (spec.shape === "single") {
      ports.push({ path: [spec.prop], handle: spec.prop, label: spec.prop, target: typeof value === "string" ? value : null,
        required: spec.required });
    } else if (spec.shape === "map" && value && typeof value === "object") {
      for (const key of Object.keys(value).sort(keypadOrder)) {
        const path = [spec.prop, key];
        // A digit that is there must lead somewhere (the schema's `next` is a non-empty name).
        ports.push({ path, handle: handleOf(path), label: key, target: typeof value[key] === "string" && value[key] ? value[key] : null,
          required: true });
      }
    } else if (spec.shape === "list" && Array.isArray(value)) {
      value.forEach((item: any, index: number) => {
        for (const itemProp of spec.itemProps || []) {
          const path = [spec.prop, index, itemProp];
          ports.push({ path, handle: handleOf(path), label: `${spec.prop} ${index + 1}`, target: typeof item?.[itemProp] === "string" ? item[itemProp] : null,
            required: !!spec.requiredItemProps?.includes(itemProp) });
        }
      });
    }
  }
  return ports;
}

/** Ports in English words, by the property holding them (a single target) or the list of them (a condition's
 * branches, numbered). The shell's dictionary is keyed by the property code, and English fell back to the code
 * itself ("not_found", "after", "branches 1"); strings.ts gives the Chinese of these words. */
export const PORT_WORDS: Record<string, string> = {
  next: "Next", open: "Open", closed: "Closed", fallback: "Fallback", found: "Found", not_found: "Not found",
  error: "On error", else: "Else", branches: "Branch", overflow: "Overflow", after: "After the call",
  failed: "If it fails", accepted: "Accepted", declined: "Declined", no_handler: "No handler", refused: "Refused",
  target: "Target",
};

/** A port property with no word of its own ("no_answer" → "No answer"), never its code. */
const readable = (code: string): string => code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** The word for a port property, in the reader's language. */
export const portWord = (prop: string, t: (s: string) => string): string => t(PORT_WORDS[prop] ?? readable(prop));

/** What a port is called on the canvas, in the reader's language: 下一步, 兜底, 找到, a menu's digit, 分支 2. */
export function portText(port: Port, t: (s: string) => string): string {
  const [prop, index] = port.path;
  if (port.path.length === 1) return portWord(String(prop), t);
  if (typeof index === "number") return `${portWord(String(prop), t)} ${index + 1}`;
  return port.label;
}

const KEYPAD = "1234567890*#";
export function keypadOrder(a: string, b: string): number {
  // A key of the keypad is one character: indexOf alone also found "12" and "23" in the keypad's string, so they
  // sorted beside 1 and 2. Past the twelve keys, numbers in numeric order (2 before 10), not as text (10, 100, 2).
  const ia = a.length === 1 ? KEYPAD.indexOf(a) : -1, ib = b.length === 1 ? KEYPAD.indexOf(b) : -1;
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b, undefined, { numeric: true });
}

/** The next digit a menu does not use yet, or null when all twelve keys are taken. */
export function freeDigit(options: Record<string, unknown> | undefined): string | null {
  for (const digit of KEYPAD) if (!options || !(digit in options)) return digit;
  return null;
}

/** Immutable set at a path (creates objects on the way). */
export function setIn(value: any, path: Path, next: any): any {
  if (!path.length) return next;
  const [head, ...rest] = path;
  const copy = Array.isArray(value) ? [...value] : { ...(value || {}) };
  (copy as any)[head] = setIn((value || {})[head], rest, next);
  return copy;
}

/** The value at a path, or undefined. */
export function getIn(value: any, path: Path): any {
  let here = value;
  for (const part of path) { if (here == null) return undefined; here = here[part]; }
  return here;
}

/** Immutable delete at a path. */
export function deleteIn(value: any, path: Path): any {
  if (!path.length || value == null) return value;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  if (rest.length) copy[head] = deleteIn(value[head], rest);
  else if (Array.isArray(copy)) copy.splice(Number(head), 1);
  else delete copy[head];
  return copy;
}

/** Findings grouped by the node they point into ("/nodes/<id>/..."); document-level ones under "". */
export function findingsByNode(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const finding of findings) {
    const parts = pointerParts(finding.pointer);
    const id = parts[0] === "nodes" && parts[1] ? parts[1] : "";
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(finding);
  }
  return out;
}

/** A node id not used yet: "<type>_<n>". */
export function freshId(nodes: Record<string, unknown>, type: string): string {
  for (let n = 1; ; n++) if (!(`${type}_${n}` in nodes)) return `${type}_${n}`;
}

/** The tenant's resources by name, for showing their labels where a node stores their code (issue 16: a box
 * read `queue: general` where the analyst picked 综合服务). */
export interface ResourceNames {
  queues: Map<string, string>; skills: Map<string, string>; tables: Map<string, string>; forms: Map<string, string>;
  prompts: Map<string, string>;
}

/** Names → titles from the designer context (a resource without a title keeps its name). */
export function resourceNames(context: any): ResourceNames {
  const titles = (list: any, title = "title") => new Map<string, string>(
    (Array.isArray(list) ? list : []).filter((r: any) => r && typeof r.name === "string")
      .map((r: any) => [r.name, String(r[title] || r.name)]));
  return {
    queues: titles(context?.queues), skills: titles(context?.skills), tables: titles(context?.data_tables),
    forms: titles(context?.forms), prompts: titles(context?.prompts, "text"),
  };
}

/** A short summary for the box: the prompt's text, else the first field that says something, with the tenant's
 * resources (queue, skills, data table, form, recorded prompt) by their label and the field by its title. */
export function summary(node: any, names?: ResourceNames, fieldName: (key: string) => string = (key) => key): string {
  const prompt = node?.prompt;
  if (prompt?.text) return prompt.text;
  if (prompt?.audio) return `♪ ${names?.prompts.get(prompt.audio) ?? prompt.audio}`;
  const label = (map: keyof ResourceNames, value: string) => names?.[map].get(value) ?? value;
  if (typeof node?.queue === "string") {
    const skills = Array.isArray(node.skills) ? node.skills.filter((s: unknown) => typeof s === "string") : [];
    const queue = `${fieldName("queue")}: ${label("queues", node.queue)}`;
    return skills.length ? `${queue} · ${fieldName("skills")}: ${skills.map((s: string) => label("skills", s)).join("、")}` : queue;
  }
  if (typeof node?.source?.table === "string") return `${fieldName("table")}: ${label("tables", node.source.table)}`;
  if (typeof node?.form === "string") return `${fieldName("form")}: ${label("forms", node.form)}`;
  for (const key of ["number", "text", "key", "variable"]) if (typeof node?.[key] === "string") return `${fieldName(key)}: ${node[key]}`;
  return "";
}

/** The node a search means: the id typed exactly, else a label typed exactly, else the first id or label
 * containing it (case-insensitive), in the document's order. */
export function findNodeId(nodes: Record<string, any>, query: string): string | null {
  const q = query.trim();
  if (!q) return null;
  if (q in nodes) return q;
  const picked = /\(([^()]+)\)$/.exec(q);  // a suggestion picked from the list: "label (id)"
  if (picked && picked[1] in nodes) return picked[1];
  const ids = Object.keys(nodes);
  const exact = ids.find((id) => nodes[id]?.label === q);
  if (exact) return exact;
  const lower = q.toLowerCase();
  return ids.find((id) => id.toLowerCase().includes(lower) || String(nodes[id]?.label ?? "").toLowerCase().includes(lower)) ?? null;
}

/** The handle of a map's "new entry" port (a menu's ＋). */
export const ADD_SUFFIX = "/+";
export const addHandles = (specs: PortSpec[]): string[] => specs.filter((s) => s.shape === "map").map((s) => `${s.prop}${ADD_SUFFIX}`);

/** The path a connection from `handle` sets on `node`: for a "new entry" port, the map's next free digit (null
 * when the keypad is full). */
export function connectPath(node: any, handle: string): Path | null {
  if (!handle.endsWith(ADD_SUFFIX)) return pathOfHandle(handle);
  const prop = handle.slice(0, -ADD_SUFFIX.length);
  const digit = freeDigit(node?.[prop]);
  return digit === null ? null : [prop, digit];
}
