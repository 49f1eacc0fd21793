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

/** What was copied last, in this tab or another designer tab. */
export function readClip(): Clip | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored) {
      const parsed = JSON.parse(stored);
      if (parsed && typeof parsed.nodes === "object" && parsed.nodes) return parsed as Clip;
    }
  } catch { /* unreadable: fall back to this tab's copy */ }
  return memory;
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
