/**
 * Orthogonal edge routing around boxes (issue 16: edges ran under boxes and were hidden by them). An edge leaves
 * its port downwards and enters its target from above; the plain route (down to its lane, across, down) is kept
 * when it crosses no other box, else the shortest route with the fewest bends over the orthogonal visibility
 * grid of the boxes near it (the lines along the boxes' sides, inflated by a margin). The canvas gives each edge
 * the boxes near it through a spatial index built once per layout, never per edge. On a 1,000-node IVR only the
 * edges React Flow draws (those in view) are routed, a route is kept while the boxes near its edge are unchanged
 * (so an edit re-routes only the edges near it), and big searches run after the paint (`routeQueue`).
 */

export interface Rect { id: string; x: number; y: number; w: number; h: number }
export interface Point { x: number; y: number }

/** The gap kept between a line and a box it goes around. */
const MARGIN = 12;
/** The gap kept from the edge's own boxes (source and target): its ends sit a few pixels off them (the port just
 * under its source's bottom, the input just over its target's top), so they cannot be given the full margin —
 * but they are boxes like any other. They used to be skipped, so an edge to a box higher up ran straight up
 * through its target and ended at the target's top from below (or up through its own source). */
const OWN_MARGIN = 1;
/** How far around the edge's own span boxes are considered (room for a detour). */
const REACH = 260;
/** A bend costs as much as this many pixels of line: fewer turns read better than a slightly shorter line. */
const BEND = 60;
/** The most grid points a search covers. A long edge across a 1,000-node IVR's widest rank would search a grid
 * of hundreds of thousands of points: its grid is coarsened to this size instead (`coarsen`), so every search is
 * bounded (a few milliseconds, run after the paint) however long the edge. */
const MAX_CELLS = 12000;
/** Searches at most this big are run at once (well under a millisecond); bigger ones wait for idle time
 * (`RouteQueue`), the plain route drawn meanwhile, so an edit or the first paint never waits for routing. */
export const SYNC_CELLS = 600;
const CELL = 400;
/** An edge whose span (with room for a detour) meets more buckets than this (~2,000 × 2,000 px) is a long edge:
 * its boxes and grid are gathered only when its search runs, after the paint. */
const LONG_SPAN_CELLS = 48;

/** A 32-bit FNV-1a step over a number. */
function mix(hash: number, value: number): number {
  return Math.imul(hash ^ (value | 0), 16777619) >>> 0;
}

function hashId(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = mix(h, id.charCodeAt(i));
  return h;
}

const idHashes = new Map<string, number>();

function hashOfId(id: string): number {
  let h = idHashes.get(id);
  if (h === undefined) {
    if (idHashes.size > 20000) idHashes.clear();
    h = hashId(id);
    idHashes.set(id, h);
  }
  return h;
}

/** A hash of the boxes (ids, places, sizes), in their order: the canvas rebuilds its index only when it changes
 * (computed on every change of React Flow's nodes, a selection included, so no string per box is made). */
export function hashBoxes(boxes: Rect[]): number {
  let h = 2166136261;
  for (const box of boxes) h = mix(mix(mix(mix(mix(h, hashOfId(box.id)), box.x), box.y), box.w), box.h);
  return mix(h, boxes.length);
}

/** Boxes bucketed on a coarse grid, so an edge asks only for the boxes near it (a 1,000-node IVR has ~1,000).
 * Each bucket carries a hash of its boxes (ids, places, sizes): an edge's route depends only on the buckets its
 * span meets, so after an edit only the edges near a moved, added or resized box are routed again.
 *
 * Buckets are keyed by number, and a rectangle's stamp is read in constant time from 2-D prefix sums of the
 * buckets' hashes (added modulo 2^32): every drawn edge asks for its stamp on every new index, and a long edge's
 * span meets hundreds of buckets — summing them one by one, with a string key each, was the biggest part of an
 * add-node on the 1,000-node IVR once long edges were routed (3.6 s of 10 clicks' 17 s profiled, load ~20). */
export class BoxIndex {
  private cells = new Map<number, Rect[]>();
  private sums = new Map<number, number>();
  /** The buckets' bounds (inclusive) and the prefix sums over them: prefix[(cx + 1) * (rows + 1) + cy + 1]. */
  private cx0 = 0; private cy0 = 0; private cx1 = -1; private cy1 = -1; private rows = 0;
  private prefix: Float64Array | null = null;

  constructor(readonly boxes: Rect[]) {
    if (!boxes.length) return;
    this.cx0 = Infinity; this.cy0 = Infinity; this.cx1 = -Infinity; this.cy1 = -Infinity;
    for (const box of boxes) {
      this.cx0 = Math.min(this.cx0, Math.floor(box.x / CELL)); this.cx1 = Math.max(this.cx1, Math.floor((box.x + box.w) / CELL));
      this.cy0 = Math.min(this.cy0, Math.floor(box.y / CELL)); this.cy1 = Math.max(this.cy1, Math.floor((box.y + box.h) / CELL));
    }
    this.rows = this.cy1 - this.cy0 + 1;
    for (const box of boxes) {
      const h = mix(mix(mix(mix(hashOfId(box.id), box.x), box.y), box.w), box.h);
      for (let cx = Math.floor(box.x / CELL); cx <= Math.floor((box.x + box.w) / CELL); cx++) {
        for (let cy = Math.floor(box.y / CELL); cy <= Math.floor((box.y + box.h) / CELL); cy++) {
          const key = this.keyOf(cx, cy);
          const cell = this.cells.get(key);
          if (cell) cell.push(box); else this.cells.set(key, [box]);
          this.sums.set(key, mix(this.sums.get(key) ?? 2166136261, h));
        }
      }
    }
    const cols = this.cx1 - this.cx0 + 1, rows = this.rows;
    // A stray box far away would make the table huge: then stamps are summed bucket by bucket.
    if ((cols + 1) * (rows + 1) > 4_000_000) return;
    const prefix = new Float64Array((cols + 1) * (rows + 1));
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < rows; j++) {
        const at = (i + 1) * (rows + 1) + j + 1;
        prefix[at] = (this.cellHash(this.cx0 + i, this.cy0 + j) + prefix[at - rows - 1] + prefix[at - 1]
          - prefix[at - rows - 2]) >>> 0;
      }
    }
    this.prefix = prefix;
  }

  private keyOf(cx: number, cy: number): number {
    return (cx - this.cx0) * this.rows + (cy - this.cy0);
  }

  /** A bucket's share of a stamp: its boxes' hash mixed with where it is (0 for an empty bucket). */
  private cellHash(cx: number, cy: number): number {
    const sum = this.sums.get(this.keyOf(cx, cy));
    return sum === undefined ? 0 : mix(mix(mix(2166136261, cx), cy), sum);
  }

  /** The buckets meeting the rectangle, clipped to the buckets holding boxes (null when none). */
  private range(x1: number, y1: number, x2: number, y2: number): [number, number, number, number] | null {
    const a = Math.max(this.cx0, Math.floor(Math.min(x1, x2) / CELL)), b = Math.min(this.cx1, Math.floor(Math.max(x1, x2) / CELL));
    const c = Math.max(this.cy0, Math.floor(Math.min(y1, y2) / CELL)), d = Math.min(this.cy1, Math.floor(Math.max(y1, y2) / CELL));
    return a > b || c > d ? null : [a, b, c, d];
  }

  /** How many buckets the rectangle meets (whether or not they hold boxes). */
  static buckets(x1: number, y1: number, x2: number, y2: number): number {
    return (Math.floor(Math.max(x1, x2) / CELL) - Math.floor(Math.min(x1, x2) / CELL) + 1)
      * (Math.floor(Math.max(y1, y2) / CELL) - Math.floor(Math.min(y1, y2) / CELL) + 1);
  }

  /** A hash of every box in the buckets meeting the rectangle: equal hashes, equal boxes near it. */
  stamp(x1: number, y1: number, x2: number, y2: number): number {
    const r = this.range(x1, y1, x2, y2);
    if (!r) return 0;
    const [a, b, c, d] = r;
    if (this.prefix) {
      const p = this.prefix, n = this.rows + 1;
      const i0 = a - this.cx0, i1 = b - this.cx0 + 1, j0 = c - this.cy0, j1 = d - this.cy0 + 1;
      return (p[i1 * n + j1] - p[i0 * n + j1] - p[i1 * n + j0] + p[i0 * n + j0]) >>> 0;
    }
    let h = 0;
    for (let cx = a; cx <= b; cx++) for (let cy = c; cy <= d; cy++) h = (h + this.cellHash(cx, cy)) >>> 0;
    return h;
  }

  /** The boxes meeting the rectangle (x1, y1)–(x2, y2), each once. */
  near(x1: number, y1: number, x2: number, y2: number): Rect[] {
    const r = this.range(x1, y1, x2, y2);
    if (!r) return [];
    const out = new Set<Rect>();
    for (let cx = r[0]; cx <= r[1]; cx++) {
      for (let cy = r[2]; cy <= r[3]; cy++) {
        for (const box of this.cells.get(this.keyOf(cx, cy)) || []) {
          if (box.x <= Math.max(x1, x2) && Math.min(x1, x2) <= box.x + box.w
              && box.y <= Math.max(y1, y2) && Math.min(y1, y2) <= box.y + box.h) out.add(box);
        }
      }
    }
    return [...out];
  }
}

export const EMPTY_INDEX = new BoxIndex([]);

/** Whether the axis-parallel segment a–b passes through the (inflated) box. */
function crosses(a: Point, b: Point, box: Rect, margin: number): boolean {
  const left = box.x - margin, right = box.x + box.w + margin, top = box.y - margin, bottom = box.y + box.h + margin;
  if (a.y === b.y) {
    return a.y > top && a.y < bottom && Math.max(a.x, b.x) > left && Math.min(a.x, b.x) < right;
  }
  return a.x > left && a.x < right && Math.max(a.y, b.y) > top && Math.min(a.y, b.y) < bottom;
}

/** Drops repeated points and points in the middle of a straight run. */
function simplify(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    if (out.length && out[out.length - 1].x === p.x && out[out.length - 1].y === p.y) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2], b = out[out.length - 1];
      if ((a.x === b.x && b.x === p.x) || (a.y === b.y && b.y === p.y)) out.pop();
    }
    out.push(p);
  }
  return out;
}

/** What an edge needs: its plain route, and whether (and how big) a search around boxes is. */
export interface RouteJob {
  /** Same key, same route: the ends, the lane and a hash of the boxes near the edge. */
  key: string;
  plain: Point[];
  /** The route when it is known without a search (plain, cached, or no search possible). */
  points: Point[] | null;
  /** Grid points of the search (0 when none is needed). */
  size: number;
  run: () => Point[];
}

/** Routes already found, by job key (bounded; a 1,000-node IVR draws a few hundred edges at a time). */
const found = new Map<string, Point[]>();
const FOUND_LIMIT = 4000;

function remember(key: string, points: Point[]): Point[] {
  if (found.size >= FOUND_LIMIT) found.delete(found.keys().next().value as string);
  found.set(key, points);
  return points;
}

/**
 * The route from a port at `s` (leaving downwards) to the top of a box at `t`, turning at `laneY` when nothing is
 * in the way, around `index`'s boxes otherwise (the source's and target's own boxes, `skip`, excepted): known at
 * once when the plain route is clear or the same edge was routed among the same boxes before, else a search to run.
 */
export function prepareRoute(s: Point, t: Point, laneY: number, index: BoxIndex, skip: string[]): RouteJob {
  // A target higher up is reached from above after going around: full stubs, so the ends clear their boxes.
  const stub = t.y > s.y ? Math.min(MARGIN, Math.max(4, (t.y - s.y) / 3)) : MARGIN;
  const plain = simplify([s, { x: s.x, y: laneY }, { x: t.x, y: laneY }, t]);
  const [x1, y1, x2, y2] = spanOf(s, t);
  // The plain route asks only for the boxes along its own runs (thin rectangles inside the span); it is kept
  // only when its last run comes down into the target's input (a lane under the input went up into it).
  if (t.y > s.y + 2 * stub && laneY <= t.y - 4 && plainIsClear(plain, index, skip)) {
    return { key: "", plain, points: plain, size: 0, run: () => plain };
  }
  const key = `${s.x},${s.y},${t.x},${t.y},${laneY},${skip.join(",")}:${index.stamp(x1, y1, x2, y2)}`;
  const known = found.get(key);
  if (known) return { key, plain, points: known, size: 0, run: () => known };
  const from = { x: s.x, y: s.y + stub }, to = { x: t.x, y: t.y - stub };
  // A long edge's search is prepared later too, not only run later: gathering its hundreds of boxes and their
  // grid took ~0.1 s per add-node and per long edge on the 1,000-node IVR (each long edge's stamp changes when
  // any box in its span does). Until its turn in the queue it is drawn along its lane route.
  if (BoxIndex.buckets(x1, y1, x2, y2) > LONG_SPAN_CELLS) {
    const run = () => {
      const hit = found.get(key);
      if (hit) return hit;
      const [around, own] = split(index.near(x1, y1, x2, y2), skip);
      const way = search(from, to, coarsen(gridOf(from, to, laneY, around, own), [from.x, to.x, ...sides(own).X],
        [from.y, to.y - MARGIN, to.y, laneY, ...sides(own).Y]), around, own);
      return remember(key, way ? simplify([s, ...way, t]) : plain);
    };
    return { key, plain, points: null, size: MAX_CELLS, run };
  }
  const [around, own] = split(index.near(x1, y1, x2, y2), skip);
  // An edge spanning much of a big IVR (a menu's 0 back to 人工 from the far side) meets hundreds of boxes: its
  // grid is coarsened to MAX_CELLS points. The search stays exact about boxes on any grid (a step is blocked by
  // every box it meets, see `search`), so a coarse route never crosses a box; it may find no way through the
  // thinned lines, and then the lane route is drawn (as every long edge was before).
  const grid = coarsen(gridOf(from, to, laneY, around, own), [from.x, to.x, ...sides(own).X],
    [from.y, to.y - MARGIN, to.y, laneY, ...sides(own).Y]);
  const run = () => {
    const hit = found.get(key);
    if (hit) return hit;
    const way = search(from, to, grid, around, own);
    return remember(key, way ? simplify([s, ...way, t]) : plain);
  };
  return { key, plain, points: null, size: grid.X.length * grid.Y.length, run };
}

/** The boxes near an edge: others, and its own (source and target, `ids`), kept at OWN_MARGIN. */
function split(boxes: Rect[], ids: string[]): [Rect[], Rect[]] {
  const around: Rect[] = [], own: Rect[] = [];
  for (const box of boxes) (ids.includes(box.id) ? own : around).push(box);
  return [around, own];
}

/** The lines along the sides of boxes, at the full margin (where a route goes around them). */
function sides(boxes: Rect[]): Grid {
  return { X: boxes.flatMap((b) => [b.x - MARGIN, b.x + b.w + MARGIN]), Y: boxes.flatMap((b) => [b.y - MARGIN, b.y + b.h + MARGIN]) };
}

/** The rectangle whose boxes an edge's route depends on: its span with room for a detour. */
function spanOf(s: Point, t: Point): [number, number, number, number] {
  return [Math.min(s.x, t.x) - REACH, Math.min(s.y, t.y) - REACH, Math.max(s.x, t.x) + REACH, Math.max(s.y, t.y) + REACH];
}

/** A number that changes when a box the edge from `s` to `t` is routed around changes: an edge re-renders only
 * when its own stamp changes, not on every change of the canvas's boxes. */
export function routeStamp(s: Point, t: Point, index: BoxIndex): number {
  return index.stamp(...spanOf(s, t));
}

/** The canvas's box index as a store: edges subscribe with their `routeStamp`, so a new index (a box added,
 * moved or measured) re-renders only the edges near the change, not the hundreds drawn on a big IVR. */
export class BoxIndexStore {
  current: BoxIndex = EMPTY_INDEX;
  private listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };

  set(index: BoxIndex): void {
    if (index === this.current) return;
    this.current = index;
    for (const listener of this.listeners) listener();
  }
}

/** Whether no run of the route passes through a box (its own boxes, `own`, at OWN_MARGIN), asking the index per
 * run. */
function plainIsClear(points: Point[], index: BoxIndex, own: string[]): boolean {
  const m = MARGIN / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1], b = points[i];
    const boxes = index.near(Math.min(a.x, b.x) - m, Math.min(a.y, b.y) - m, Math.max(a.x, b.x) + m, Math.max(a.y, b.y) + m);
    for (const box of boxes) if (crosses(a, b, box, own.includes(box.id) ? OWN_MARGIN : m)) return false;
  }
  return true;
}

/** The route at once, searching if need be (small IVRs, tests). */
export function route(s: Point, t: Point, laneY: number, index: BoxIndex, skip: string[]): Point[] {
  const job = prepareRoute(s, t, laneY, index, skip);
  return job.points ?? job.run();
}

interface Grid { X: number[]; Y: number[] }

/** The orthogonal visibility grid's lines: the boxes' sides inflated by the margin (the edge's own boxes too,
 * to go around them), the edge's own ends, and a line above its end to come down into the target from. */
function gridOf(from: Point, to: Point, laneY: number, boxes: Rect[], own: Rect[]): Grid {
  const xs = new Set<number>([from.x, to.x]);
  const ys = new Set<number>([from.y, to.y - MARGIN, to.y, laneY]);
  for (const b of [...boxes, ...own]) {
    xs.add(b.x - MARGIN); xs.add(b.x + b.w + MARGIN);
    ys.add(b.y - MARGIN); ys.add(b.y + b.h + MARGIN);
  }
  return { X: [...xs].sort((a, b) => a - b), Y: [...ys].sort((a, b) => a - b) };
}

/** Lines closer than `gap` to the last kept one dropped (the edge's own lines, `keep`, always kept). */
function thin(lines: number[], keep: Set<number>, gap: number): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const v of lines) {
    if (keep.has(v) || v - last >= gap) { out.push(v); last = v; }
  }
  return out;
}

/** The grid with at most MAX_CELLS points: the smallest gap between kept lines (doubling from 8 px) that brings
 * it there. The gap grows with the edge's span and the boxes in it, so a long edge is routed coarsely rather than
 * not at all; a short edge's grid is untouched. */
function coarsen(grid: Grid, keepX: number[], keepY: number[]): Grid {
  if (grid.X.length * grid.Y.length <= MAX_CELLS) return grid;
  const kx = new Set(keepX), ky = new Set(keepY);
  for (let gap = 8; ; gap *= 2) {
    const X = thin(grid.X, kx, gap), Y = thin(grid.Y, ky, gap);
    if (X.length * Y.length <= MAX_CELLS || gap > 1 << 20) return { X, Y };
  }
}

/** The first index whose value is > v. */
function upperBound(a: number[], v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] <= v) lo = mid + 1; else hi = mid; }
  return lo;
}

/** The first index whose value is ≥ v (binary search over sorted lines). */
function lowerBound(a: number[], v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (a[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Dijkstra over the orthogonal visibility grid, a state being a grid point and the direction it was reached in.
 * Which points and grid steps a box blocks is marked once per box over the lines it spans (binary search), not
 * tested against every box at every step: a search over a few thousand points and a hundred boxes stays in the
 * millisecond range. A step is blocked by every box it meets, even one with no grid line along its sides (a
 * coarsened grid, `coarsen`), so no route crosses a box whatever lines the grid kept. The edge's own boxes
 * (`own`) block too, at OWN_MARGIN, and the goal counts only when reached going down: the route comes down into
 * the target's input, never up through the target.
 */
function search(from: Point, to: Point, { X, Y }: Grid, boxes: Rect[], own: Rect[]): Point[] | null {
  const W = X.length, H = Y.length;
  const blocked = new Uint8Array(W * H);
  // Steps from point (i, j) rightwards (to i + 1) and downwards (to j + 1) that cross a box.
  const right = new Uint8Array(W * H), down = new Uint8Array(W * H);
  [...boxes, ...own].forEach((b, at) => {
    const m = at < boxes.length ? MARGIN : OWN_MARGIN;
    const left = b.x - m, rightX = b.x + b.w + m, top = b.y - m, bottom = b.y + b.h + m;
    // Lines strictly inside the box's span: [i0, i1) and [j0, j1). Steps i → i + 1 that meet the span's inside:
    // from the last line at or left of its left side to the line before the first at or right of its right side.
    const i0 = upperBound(X, left), i1 = lowerBound(X, rightX);
    const j0 = upperBound(Y, top), j1 = lowerBound(Y, bottom);
    const s0 = Math.max(0, i0 - 1), t0 = Math.max(0, j0 - 1);
    for (let j = j0; j < j1; j++) {
      for (let i = i0; i < i1; i++) blocked[j * W + i] = 1;
      for (let i = s0; i < i1 && i + 1 < W; i++) right[j * W + i] = 1;
    }
    for (let i = i0; i < i1; i++) {
      for (let j = t0; j < j1 && j + 1 < H; j++) down[j * W + i] = 1;
    }
  });
  const start = j0i(X, Y, from), goal = j0i(X, Y, to);
  if (start < 0 || goal < 0) return null;
  blocked[start] = 0; blocked[goal] = 0;
  // Directions: 0 right, 1 left, 2 down, 3 up. State = cell * 4 + direction.
  const DX = [1, -1, 0, 0], DY = [0, 0, 1, -1];
  const cost = new Float64Array(W * H * 4).fill(Infinity);
  const back = new Int32Array(W * H * 4).fill(-1);
  const heap = new MinHeap();
  cost[start * 4 + 2] = 0;
  heap.push(0, start * 4 + 2);  // leaves its port downwards
  while (heap.size) {
    const [c, state] = heap.pop();
    if (c > cost[state]) continue;
    const cell = state >> 2, dir = state & 3;
    if (cell === goal && dir === 2) return unwind(back, state, X, Y, W);
    const i = cell % W, j = (cell - i) / W;
    for (let d = 0; d < 4; d++) {
      if ((d ^ 1) === dir) continue;  // no turning back
      const ni = i + DX[d], nj = j + DY[d];
      if (ni < 0 || nj < 0 || ni >= W || nj >= H) continue;
      const next = nj * W + ni;
      if (blocked[next]) continue;
      const stepBlocked = d === 0 ? right[cell] : d === 1 ? right[next] : d === 2 ? down[cell] : down[next];
      if (stepBlocked) continue;
      const nc = c + Math.abs(X[ni] - X[i]) + Math.abs(Y[nj] - Y[j]) + (d === dir ? 0 : BEND);
      const ns = next * 4 + d;
      if (nc < cost[ns]) { cost[ns] = nc; back[ns] = state; heap.push(nc, ns); }
    }
  }
  return null;
}

/** Searches too big to run during a render, run later in slices of a few milliseconds; a search is dropped when
 * every edge that asked for it went away (scrolled out of view, or moved by an edit before its turn). */
export class RouteQueue {
  private jobs = new Map<string, { job: RouteJob; done: Set<(points: Point[]) => void> }>();
  private timer: number | null = null;

  /** Runs the job later and calls `done` with its route; the returned function cancels the call. */
  ask(job: RouteJob, done: (points: Point[]) => void): () => void {
    const entry = this.jobs.get(job.key) ?? { job, done: new Set() };
    entry.done.add(done);
    this.jobs.set(job.key, entry);
    this.wake();
    return () => {
      entry.done.delete(done);
      if (!entry.done.size && this.jobs.get(job.key) === entry) this.jobs.delete(job.key);
    };
  }

  private wake(): void {
    if (this.timer !== null) return;
    this.timer = window.setTimeout(() => this.slice(), 0);
  }

  private slice(): void {
    this.timer = null;
    const until = performance.now() + 8;
    for (const [key, entry] of this.jobs) {
      if (performance.now() > until) break;
      this.jobs.delete(key);
      const points = entry.job.run();
      for (const done of entry.done) done(points);
    }
    if (this.jobs.size) this.wake();
  }
}

export const routeQueue = new RouteQueue();

function j0i(X: number[], Y: number[], p: Point): number {
  const i = X.indexOf(p.x), j = Y.indexOf(p.y);
  return i < 0 || j < 0 ? -1 : j * X.length + i;
}

function unwind(back: Int32Array, state: number, X: number[], Y: number[], W: number): Point[] {
  const out: Point[] = [];
  for (let s = state; s >= 0; s = back[s]) {
    const cell = s >> 2, i = cell % W;
    out.push({ x: X[i], y: Y[(cell - i) / W] });
  }
  return out.reverse();
}

class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size(): number { return this.keys.length; }
  push(key: number, value: number): void {
    const k = this.keys, v = this.values;
    k.push(key); v.push(value);
    let i = k.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p] <= k[i]) break;
      [k[p], k[i]] = [k[i], k[p]]; [v[p], v[i]] = [v[i], v[p]];
      i = p;
    }
  }
  pop(): [number, number] {
    const k = this.keys, v = this.values;
    const top: [number, number] = [k[0], v[0]];
    const lk = k.pop()!, lv = v.pop()!;
    if (k.length) {
      k[0] = lk; v[0] = lv;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < k.length && k[l] < k[m]) m = l;
        if (r < k.length && k[r] < k[m]) m = r;
        if (m === i) break;
        [k[m], k[i]] = [k[i], k[m]]; [v[m], v[i]] = [v[i], v[m]];
        i = m;
      }
    }
    return top;
  }
}

/** An SVG path through the points, corners rounded a little (quadratic, so the runs stay straight). */
export function svgPath(points: Point[], radius = 4): string {
  if (!points.length) return "";
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i], prev = points[i - 1], next = points[i + 1];
    if (!next) { d += ` L ${p.x} ${p.y}`; break; }
    const r = Math.min(radius, Math.abs(p.x - prev.x + p.y - prev.y) / 2, Math.abs(next.x - p.x + next.y - p.y) / 2);
    const inX = p.x - Math.sign(p.x - prev.x) * r, inY = p.y - Math.sign(p.y - prev.y) * r;
    const outX = p.x + Math.sign(next.x - p.x) * r, outY = p.y + Math.sign(next.y - p.y) * r;
    d += ` L ${inX} ${inY} Q ${p.x} ${p.y} ${outX} ${outY}`;
  }
  return d;
}
