/**
 * Copy and paste of a group of nodes, within one IVR and between IVRs: the copied nodes go to this browser's
 * storage (shared by every designer tab of the origin), and a paste adds them with ids renamed where the
 * destination already uses them. Links inside the group follow the renames; a link to a node the destination
 * does not have is cleared, so the pasted node shows a finding ("connect it") instead of pointing nowhere.
 */
import { deleteIn, setIn, type PortSpec, portsOf } from "./graph";

const STORAGE_KEY = "hotline.ivr.clipboard";
/** A clipboard is bounded: more nodes than this are refused at copy time, with a message. */
export const CLIPBOARD_MAX_NODES = 500;
/** Pasted boxes land this far down-right of the originals, so both stay visible. */
const OFFSET = 40;

export interface Clip { nodes: Record<string, any> }

export function copyNodes(doc: any, ids: string[]): Clip | null {
  const nodes: Record<string, any> = {};
  for (const id of ids) if (doc?.nodes?.[id]) nodes[id] = doc.nodes[id];
  if (!Object.keys(nodes).length || Object.keys(nodes).length > CLIPBOARD_MAX_NODES) return null;
  const clip = { nodes };
  try { window.localStorage.setItem(STORAGE_KEY, JSON.stringify(clip)); } catch { /* storage full or off: memory only */ }
  memory = clip;
  return clip;
}

let memory: Clip | null = null;

/** Bounds of what a paste accepts: the clipboard is browser storage any page script or a user can write. */
export const CLIPBOARD_MAX_CHARS = 1_000_000;
/** A node id as the schema's `name` (common.schema.json), and never a name that reaches an object's prototype. */
const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const RESERVED_IDS = new Set(["__proto__", "constructor", "prototype"]);

/** Why a clipboard was refused, with what the message names (English key: `ivr/strings.ts` has the Chinese). */
export interface ClipProblem { text: string; values: Record<string, string | number> }

/** What a paste reads: the nodes, nothing copied yet, or a clipboard refused before it could touch the draft. */
export type ClipRead = { clip: Clip } | { empty: true } | { refused: ClipProblem };

function problem(text: string, values: Record<string, string | number> = {}): { refused: ClipProblem } {
  return { refused: { text, values } };
}

/**
 * Checks a clipboard before any of it enters the draft: its size, that it holds nodes at all, each node id as
 * the schema allows, each node an object of a known type with a text label and a numeric place. One bad node
 * refuses the whole paste, so a paste is all or nothing and the draft never holds half of a broken clipboard.
 */
export function checkClip(raw: string, knownTypes: Set<string>): ClipRead {
  if (raw.length > CLIPBOARD_MAX_CHARS) {
    return problem("The clipboard holds {kb} KB; at most {max} KB can be pasted", {
      kb: Math.ceil(raw.length / 1000), max: CLIPBOARD_MAX_CHARS / 1000 });
  }
  let parsed: any;
  try { parsed = JSON.parse(raw); } catch { return problem("The clipboard does not hold copied nodes, so nothing was pasted"); }
  const nodes = parsed?.nodes;
  if (!nodes || typeof nodes !== "object" || Array.isArray(nodes)) {
    return problem("The clipboard does not hold copied nodes, so nothing was pasted");
  }
  const ids = Object.keys(nodes);
  if (!ids.length) return problem("The clipboard does not hold copied nodes, so nothing was pasted");
  if (ids.length > CLIPBOARD_MAX_NODES) {
    return problem("The clipboard holds {n} nodes; at most {max} can be pasted at once", { n: ids.length, max: CLIPBOARD_MAX_NODES });
  }
  for (const id of ids) {
    const shown = id.length > 40 ? `${id.slice(0, 39)}…` : id;
    if (!NODE_ID.test(id) || RESERVED_IDS.has(id)) return problem("The clipboard holds a node with the id \u201c{id}\u201d, which a node cannot have, so nothing was pasted", { id: shown });
    const node = nodes[id];
    if (!node || typeof node !== "object" || Array.isArray(node)) return problem("Node {id} in the clipboard is not a node, so nothing was pasted", { id: shown });
    if (typeof node.type !== "string" || !knownTypes.has(node.type)) {
      const type = typeof node.type === "string" ? (node.type.length > 40 ? `${node.type.slice(0, 39)}…` : node.type) : "";
      return problem("Node {id} in the clipboard has the unknown type \u201c{type}\u201d, so nothing was pasted", { id: shown, type });
    }
    if (node.label !== undefined && typeof node.label !== "string") return problem("Node {id} in the clipboard is not a node, so nothing was pasted", { id: shown });
    const at = node.position;
    if (at !== undefined && !(at && Number.isFinite(at.x) && Number.isFinite(at.y))) {
      return problem("Node {id} in the clipboard is not a node, so nothing was pasted", { id: shown });
    }
  }
  return { clip: { nodes } };
}

/** What was copied last, in this tab or another designer tab, checked (`checkClip`) before it is offered. */
export function readClip(knownTypes: Set<string>): ClipRead {
  let stored: string | null = null;
  try { stored = window.localStorage.getItem(STORAGE_KEY); } catch { /* storage off: this tab's copy */ }
  // What is in storage wins, even when it is refused: falling back to an older copy would paste what the user
  // did not copy last.
  if (stored !== null) return checkClip(stored, knownTypes);
  return memory ? { clip: memory } : { empty: true };
}

/** A free id for a pasted node: the same one when free, else `<id>_2`, `<id>_3`, … */
function freeId(id: string, taken: Set<string>): string {
  if (!taken.has(id)) return id;
  const stem = id.replace(/_\d+$/, "");
  for (let n = 2; ; n++) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

export interface Pasted { doc: any; ids: string[]; renamed: Record<string, string> }

export function pasteNodes(doc: any, clip: Clip, specs: Map<string, PortSpec[]>): Pasted {
  const taken = new Set(Object.keys(doc?.nodes || {}));
  const renamed: Record<string, string> = {};
  for (const id of Object.keys(clip.nodes)) {
    const to = freeId(id, taken);
    taken.add(to);
    renamed[id] = to;
  }
  let next = doc;
  for (const [id, original] of Object.entries(clip.nodes)) {
    let node = original;
    for (const port of portsOf(specs.get(node?.type) || [], node)) {
      if (!port.target) continue;
      if (port.target in renamed) node = setIn(node, port.path, renamed[port.target]);
      else if (!(port.target in (doc?.nodes || {}))) {
        node = port.path.length === 1 ? deleteIn(node, port.path) : setIn(node, port.path, "");
      }
    }
    const at = node?.position;
    if (at && typeof at.x === "number" && typeof at.y === "number") node = { ...node, position: { x: at.x + OFFSET, y: at.y + OFFSET } };
    next = setIn(next, ["nodes", renamed[id]], node);
  }
  return { doc: next, ids: Object.values(renamed), renamed: Object.fromEntries(Object.entries(renamed).filter(([a, b]) => a !== b)) };
}
