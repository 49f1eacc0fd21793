/** Tree layout with dagre: top to bottom, menus fanning out to their digits. */
import { Graph, layout } from "@dagrejs/dagre";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 110;

/** Above this many nodes dagre takes seconds; a breadth-first layering is instant and still reads as a tree. */
const DAGRE_LIMIT = 300;

export function autoLayout(ids: string[], edges: { source: string; target: string }[], start?: string): Record<string, { x: number; y: number }> {
  return ids.length > DAGRE_LIMIT ? layered(ids, edges, start) : dagreLayout(ids, edges);
}

/** Ranks by breadth-first distance from the start (unreached nodes in a last rank), in discovery order. */
export function layered(ids: string[], edges: { source: string; target: string }[], start?: string): Record<string, { x: number; y: number }> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (!next.has(edge.source)) next.set(edge.source, []);
    next.get(edge.source)!.push(edge.target);
  }
  const rank = new Map<string, number>();
  const queue = [start && ids.includes(start) ? start : ids[0]].filter(Boolean) as string[];
  if (queue.length) rank.set(queue[0], 0);
  for (let i = 0; i < queue.length; i++) {
    for (const target of next.get(queue[i]) || []) {
      if (!rank.has(target)) { rank.set(target, rank.get(queue[i])! + 1); queue.push(target); }
    }
  }
  const last = Math.max(0, ...rank.values()) + 1;
  const rows = new Map<number, string[]>();
  for (const id of [...queue, ...ids.filter((id) => !rank.has(id))]) {
    const r = rank.get(id) ?? last;
    if (!rows.has(r)) rows.set(r, []);
    rows.get(r)!.push(id);
  }
  const out: Record<string, { x: number; y: number }> = {};
  for (const [r, row] of rows) {
    row.forEach((id, i) => { out[id] = { x: Math.round((i - row.length / 2) * (NODE_WIDTH + 40)), y: r * (NODE_HEIGHT + 90) }; });
  }
  return out;
}

function dagreLayout(ids: string[], edges: { source: string; target: string }[]): Record<string, { x: number; y: number }> {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  edges.forEach((edge, i) => {
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target, {}, `e${i}`);
  });
  layout(graph);
  const out: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const node = graph.node(id) as any;
    out[id] = { x: Math.round(node.x - NODE_WIDTH / 2), y: Math.round(node.y - NODE_HEIGHT / 2) };
  }
  return out;
}

/** Where a box dropped at `at` fits without covering another: the nearest free place, searched ring by ring
 * around the drop point (below and to the right first on a ring), clearing every other box by a margin. A dropped
 * node that hid another made both unreadable and unclickable; in a big IVR a search only downwards and rightwards
 * ran out of room and gave up on top of a box (issue 16). */
export function freeSpot(at: { x: number; y: number }, boxes: { x: number; y: number; width?: number; height?: number }[],
  size = { width: NODE_WIDTH, height: 130 }, margin = 16): { x: number; y: number } {
  const STEP = 30, RINGS = 60;
  const reach = RINGS * STEP + size.width + size.height;
  const near = boxes.filter((b) => Math.abs(b.x - at.x) < reach && Math.abs(b.y - at.y) < reach);
  const hits = (x: number, y: number) => near.some((b) => x < b.x + (b.width ?? NODE_WIDTH) + margin && b.x < x + size.width + margin
    && y < b.y + (b.height ?? 130) + margin && b.y < y + size.height + margin);
  if (!hits(at.x, at.y)) return at;
  for (let ring = 1; ring <= RINGS; ring++) {
    let best: { x: number; y: number; d: number } | null = null;
    for (let i = -ring; i <= ring; i++) {
      for (const [dx, dy] of [[i, ring], [ring, i], [i, -ring], [-ring, i]]) {
        const x = at.x + dx * STEP, y = at.y + dy * STEP;
        // Upwards and leftwards cost a little more: a tree grows down and to the right.
        const d = Math.hypot(dx, dy) + (dy < 0 ? 0.5 : 0) + (dx < 0 ? 0.25 : 0);
        if ((!best || d < best.d) && !hits(x, y)) best = { x, y, d };
      }
    }
    if (best) return { x: best.x, y: best.y };
  }
  return at;
}

type Placement = { x: number; y: number; pinned: boolean };
/** A box's drawn size (React Flow's measured width and height). */
export type Size = { width: number; height: number };

/** Positions for the nodes `layout` does not place (and, with `relayout`, for its unpinned ones too), leaving
 * every other node where it is. Each is put where a layered layout of the whole tree would put it, shifted by
 * as much as the node leading to it was moved from its own layered place (so a branch follows its moved
 * parent), then moved off any box it would cover. Nothing placed is returned when nothing needs a place. */
export function placeNew(ids: string[], edges: { source: string; target: string }[], start: string | undefined,
  layout: Record<string, Placement>, relayout = false, sizes: Record<string, Size> = {}): Record<string, { x: number; y: number }> {
  const kept = (id: string) => !!layout[id] && (!relayout || layout[id].pinned);
  const todo = ids.filter((id) => !kept(id));
  if (!todo.length) return {};
  const ideal = autoLayout(ids, edges, start);
  if (todo.length === ids.length) return ideal;
  const from = new Map<string, string[]>();
  for (const edge of edges) {
    if (!from.has(edge.target)) from.set(edge.target, []);
    from.get(edge.target)!.push(edge.source);
  }
  const out: Record<string, { x: number; y: number }> = {};
  const at = (id: string) => (kept(id) ? layout[id] : out[id]);
  // Boxes by their drawn size where known: a menu with a long prompt and many keys is far taller than the 130 px
  // assumed, and a node placed under it covered its port row (QA of issue 16).
  const boxes = ids.filter(kept).map((id) => ({ x: layout[id].x, y: layout[id].y, ...sizes[id] }));
  // Parents first (layered order), so a chain of new nodes follows its first placed ancestor.
  const order = [...todo].sort((a, b) => ideal[a].y - ideal[b].y || ideal[a].x - ideal[b].x);
  for (const id of order) {
    const parent = (from.get(id) || []).find((p) => at(p) && ideal[p]);
    const shift = parent ? { x: at(parent)!.x - ideal[parent].x, y: at(parent)!.y - ideal[parent].y } : { x: 0, y: 0 };
    const size = sizes[id] ?? { width: NODE_WIDTH, height: 130 };
    const spot = freeSpot({ x: ideal[id].x + shift.x, y: ideal[id].y + shift.y }, boxes, size);
    out[id] = spot;
    boxes.push({ ...spot, ...size });
  }
  return out;
}
