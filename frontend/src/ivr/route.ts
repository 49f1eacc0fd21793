/**
 * Orthogonal edge routing around boxes (issue 16: edges ran under boxes and were hidden by them). An edge leaves
 * its port downwards and enters its target from above; the plain route (down to its lane, across, down) is kept
 * when it crosses no other box, else the shortest route with the fewest bends over the orthogonal visibility
 * grid of the boxes near it (the lines along the boxes' sides, inflated by a margin). Pure functions: the
 * canvas gives each edge the boxes near it through a spatial index built once per layout, never per edge.
 */

export interface Rect { id: string; x: number; y: number; w: number; h: number }
export interface Point { x: number; y: number }

/** The gap kept between a line and a box it goes around. */
const MARGIN = 12;
/** How far around the edge's own span boxes are considered (room for a detour). */
const REACH = 260;
/** A bend costs as much as this many pixels of line: fewer turns read better than a slightly shorter line. */
const BEND = 60;
/** Above this many grid lines per axis the search is skipped (the plain route is drawn). */
const MAX_LINES = 70;
const CELL = 400;

/** Boxes bucketed on a coarse grid, so an edge asks only for the boxes near it (a 1,000-node IVR has ~1,000). */
export class BoxIndex {
  private cells = new Map<string, Rect[]>();

  constructor(readonly boxes: Rect[]) {
    for (const box of boxes) {
      for (let cx = Math.floor(box.x / CELL); cx <= Math.floor((box.x + box.w) / CELL); cx++) {
        for (let cy = Math.floor(box.y / CELL); cy <= Math.floor((box.y + box.h) / CELL); cy++) {
          const key = `${cx},${cy}`;
          const cell = this.cells.get(key);
          if (cell) cell.push(box); else this.cells.set(key, [box]);
        }
      }
    }
  }

  /** The boxes meeting the rectangle (x1, y1)–(x2, y2), each once. */
  near(x1: number, y1: number, x2: number, y2: number): Rect[] {
    const out = new Set<Rect>();
    for (let cx = Math.floor(Math.min(x1, x2) / CELL); cx <= Math.floor(Math.max(x1, x2) / CELL); cx++) {
      for (let cy = Math.floor(Math.min(y1, y2) / CELL); cy <= Math.floor(Math.max(y1, y2) / CELL); cy++) {
        for (const box of this.cells.get(`${cx},${cy}`) || []) {
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

function clear(points: Point[], boxes: Rect[], margin: number): boolean {
  for (let i = 1; i < points.length; i++) {
    for (const box of boxes) if (crosses(points[i - 1], points[i], box, margin)) return false;
  }
  return true;
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

/**
 * The route from a port at `s` (leaving downwards) to the top of a box at `t`, turning at `laneY` when nothing is
 * in the way, around `index`'s boxes otherwise (the source's and target's own boxes, `skip`, excepted).
 */
export function route(s: Point, t: Point, laneY: number, index: BoxIndex, skip: string[]): Point[] {
  const stub = Math.min(MARGIN, Math.max(4, (t.y - s.y) / 3));
  const plain = simplify([s, { x: s.x, y: laneY }, { x: t.x, y: laneY }, t]);
  const around = index.near(Math.min(s.x, t.x) - REACH, Math.min(s.y, t.y) - REACH, Math.max(s.x, t.x) + REACH,
    Math.max(s.y, t.y) + REACH).filter((box) => !skip.includes(box.id));
  if (!around.length || (t.y > s.y + 2 * stub && clear(plain, around, MARGIN / 2))) return plain;
  const from = { x: s.x, y: s.y + stub }, to = { x: t.x, y: t.y - stub };
  const found = search(from, to, laneY, around);
  return found ? simplify([s, ...found, t]) : plain;
}

/** Dijkstra over the orthogonal visibility grid, a state being a grid point and the direction it was reached in. */
function search(from: Point, to: Point, laneY: number, boxes: Rect[]): Point[] | null {
  const xs = new Set<number>([from.x, to.x]);
  const ys = new Set<number>([from.y, to.y, laneY]);
  for (const b of boxes) {
    xs.add(b.x - MARGIN); xs.add(b.x + b.w + MARGIN);
    ys.add(b.y - MARGIN); ys.add(b.y + b.h + MARGIN);
  }
  if (xs.size > MAX_LINES || ys.size > MAX_LINES) return null;
  const X = [...xs].sort((a, b) => a - b), Y = [...ys].sort((a, b) => a - b);
  const inside = (x: number, y: number) => boxes.some((b) => x > b.x - MARGIN && x < b.x + b.w + MARGIN
    && y > b.y - MARGIN && y < b.y + b.h + MARGIN);
  const W = X.length, H = Y.length;
  const blocked = new Uint8Array(W * H);
  for (let i = 0; i < W; i++) for (let j = 0; j < H; j++) blocked[j * W + i] = inside(X[i], Y[j]) ? 1 : 0;
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
    if (cell === goal) return unwind(back, state, X, Y, W);
    const i = cell % W, j = (cell - i) / W;
    for (let d = 0; d < 4; d++) {
      if ((d ^ 1) === dir) continue;  // no turning back
      const ni = i + DX[d], nj = j + DY[d];
      if (ni < 0 || nj < 0 || ni >= W || nj >= H) continue;
      const next = nj * W + ni;
      if (blocked[next]) continue;
      const a = { x: X[i], y: Y[j] }, b = { x: X[ni], y: Y[nj] };
      if (boxes.some((box) => crosses(a, b, box, MARGIN - 1))) continue;
      const nc = c + Math.abs(b.x - a.x) + Math.abs(b.y - a.y) + (d === dir ? 0 : BEND);
      const ns = next * 4 + d;
      if (nc < cost[ns]) { cost[ns] = nc; back[ns] = state; heap.push(nc, ns); }
    }
  }
  return null;
}

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
