/**
 * Edits of a node that touch more than its own fields: renaming its id (every reference follows) and
 * changing its type (what fits the new type is kept). Pure functions over the document body.
 */
import { portsOf, setIn, type PortSpec } from "./graph";

/** The schema's machine-name rule (common.schema.json `name`). */
export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** The schema's variable-name rule (ivr schema `$defs/variable`): no "-", since templates read {{name}} and
 * conditions var.name. The same rule as the server's, so the panel and the findings never disagree. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Why `id` cannot become a node id of `nodes`, or null when it can (messages are English UI keys). */
export function idProblem(id: string, nodes: Record<string, unknown>, current?: string): string | null {
  if (!NODE_ID.test(id)) return "A node id uses letters, digits, _ and - only, and starts with a letter or _";
  if (id !== current && id in nodes) return "This node id is already used";
  return null;
}

/** The body with node `from` renamed `to`: the nodes keep their order, and every target, the start and the
 * fallback that named `from` name `to`. */
export function renameNode(body: any, from: string, to: string, specs: Map<string, PortSpec[]>): any {
  if (from === to || !body?.nodes || !(from in body.nodes)) return body;
  const nodes: Record<string, any> = {};
  for (const [id, node] of Object.entries<any>(body.nodes)) {
    let next = node;
    for (const port of portsOf(specs.get(node?.type) || [], node)) {
      if (port.target === from) next = setIn(next, port.path, to);
    }
    nodes[id === from ? to : id] = next;
  }
  return {
    ...body, nodes,
    ...(body.start === from ? { start: to } : {}),
    ...(body.fallback === from ? { fallback: to } : {}),
  };
}

/** Fields every node type has (the schema's `base`). */
const BASE_FIELDS = ["label", "note", "position"];

/** How a node's name is told to be its type's default, and the default of a type (the box's title). */
export interface DefaultNames { isDefault: (label: string, type: string) => boolean; title: (type: string) => string }

/** The node as type `type`: its note, position and every field the new type also has are kept. Its name is kept
 * when the user typed it; a name still the old type's default (放音, untouched) becomes the new type's (收号),
 * else the box, its findings (「放音」节点缺少「保存到变量」) and naming from the prompt went on as the old type. */
export function retypeNode(node: any, type: string, typeSchema: any, names?: DefaultNames): any {
  const allowed = new Set([...BASE_FIELDS, ...Object.keys(typeSchema?.properties || {})]);
  const out: any = { type };
  for (const [key, value] of Object.entries<any>(node || {})) if (key !== "type" && allowed.has(key)) out[key] = value;
  if (names && names.isDefault(String(node?.label ?? ""), node?.type)) out.label = names.title(type);
  return out;
}

/** The first words of a prompt, as a box's name: up to the first sentence end (or a comma once there are four
 * characters), at most 12 characters (English: whole words, at most 32 characters). Stage directions (（等待音乐）) are skipped. */
export function labelFromText(text: string): string {
  const clean = text.replace(/（[^）]*）|\([^)]*\)|【[^】]*】/g, "").replace(/\{\{[^}]*\}\}/g, "").trim();
  let out = "";
  const chars = [...clean];
  for (const [i, ch] of chars.entries()) {
    if ("。！？!?；;\n".includes(ch)) break;
    if (ch === "." && (i + 1 === chars.length || chars[i + 1] === " ")) break;  // an English sentence's end
    if ("，,、：:".includes(ch) && [...out].length >= 4) break;
    out += ch;
  }
  out = out.trim();
  if ([...out].length <= 12) return out;
  if (/^[\x20-\x7e]+$/.test(out)) {
    const words = out.split(/\s+/);
    let short = "";
    for (const word of words) { if ((short + " " + word).trim().length > 32) break; short = (short + " " + word).trim(); }
    return short || out.slice(0, 32);
  }
  return [...out].slice(0, 12).join("");
}

/** A node edited in the panel: while its name is still the default (empty, its type's title, or the name the
 * previous prompt gave it), typing the prompt names it after the prompt's first words — one step fewer per node. */
export function autoLabel(before: any, after: any, isDefault: (label: string, type: string) => boolean): any {
  const text = after?.prompt?.text;
  if (typeof text !== "string" || !text.trim() || text === before?.prompt?.text) return after;
  if ((after?.label ?? "") !== (before?.label ?? "")) return after;
  const label = String(before?.label ?? "");
  const previous = typeof before?.prompt?.text === "string" ? labelFromText(before.prompt.text) : "";
  if (!(isDefault(label, before?.type) || (previous && label === previous))) return after;
  const named = labelFromText(text);
  return named ? { ...after, label: named } : after;
}
