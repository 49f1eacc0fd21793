/**
 * Where each box is drawn, kept apart from the document (issue 16): `GET/PUT /api/documents/ivr/<name>/layout`.
 * Moving a box is then no draft revision, no published change and no line in a diff. An entry is `pinned` when
 * the analyst placed the node (moved it, dropped it from the palette); automatic layout never moves those and
 * places only the new or unpinned nodes. Saves are whole (a few KB even for a big tree), debounced, last wins.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { Api } from "../shell/api";
import type { EditorContext } from "../shell/types";

export interface Placed { x: number; y: number; pinned: boolean }
export type Layout = Record<string, Placed>;

const SAVE_AFTER_MS = 400;

/** The layout request started by the page itself, before the canvas chunk is loaded or the document is drawn:
 * asked only when the canvas mounted, it ran after the document, the schema and the editor's first render (a
 * waterfall of ~0.5 s before the first box on the 1,000-node IVR, issue 16). Taken once by the first canvas. */
const early = new Map<string, Promise<{ positions: Layout }>>();

function layoutPath(name: string): string {
  return `/documents/ivr/${encodeURIComponent(name)}/layout`;
}

/** Starts loading an IVR's layout now, alongside the document's own requests (the document page calls it). */
export function prefetchLayout(api: Api, name: string): void {
  const path = layoutPath(name);
  if (early.has(path)) return;
  const request = api<{ positions: Layout }>("GET", path);
  request.catch(() => undefined);  // a failure is reported by the canvas that takes it
  early.set(path, request);
}

export interface LayoutState {
  /** null until loaded (the canvas waits, so no box jumps from a guessed place to its stored one). */
  layout: Layout | null;
  /** Adds or replaces entries and saves soon (entries of nodes no longer in the document are dropped then). */
  place: (entries: Layout) => void;
  /** Replaces the whole layout and saves soon (undo/redo of a move). */
  restore: (layout: Layout) => void;
  /** The newest layout (ahead of React's render). */
  latest: React.MutableRefObject<Layout>;
  error: string | null;
}

export function useLayout(ctx: EditorContext, nodeIds: () => string[]): LayoutState {
  const [layout, setLayout] = useState<Layout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<Layout>({});
  const timer = useRef<number | undefined>(undefined);
  const path = layoutPath(ctx.name);
  const api = ctx.api;

  useEffect(() => {
    let live = true;
    const started = early.get(path);
    early.delete(path);
    (started ?? api<{ positions: Layout }>("GET", path))
      .then((got) => { if (live) { latest.current = got.positions || {}; setLayout(latest.current); } })
      // Without its layout the canvas still works: every node is laid out, and the first move saves a new one.
      .catch((exc) => { if (live) { setError(String(exc?.message || exc)); latest.current = {}; setLayout({}); } });
    return () => { live = false; };
  }, [api, path]);

  const save = useCallback(() => {
    const ids = new Set(nodeIds());
    // Entries of removed nodes are dropped, so a layout stays as big as its document.
    const positions = Object.fromEntries(Object.entries(latest.current).filter(([id]) => ids.has(id)));
    api("PUT", path, { positions }).then(() => setError(null)).catch((exc) => setError(String(exc?.message || exc)));
  }, [api, path, nodeIds]);

  const place = useCallback((entries: Layout) => {
    if (!ctx.canWrite || !Object.keys(entries).length) return;
    latest.current = { ...latest.current, ...entries };
    setLayout(latest.current);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(save, SAVE_AFTER_MS);
  }, [ctx.canWrite, save]);

  const restore = useCallback((whole: Layout) => {
    if (!ctx.canWrite) return;
    latest.current = whole;
    setLayout(whole);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(save, SAVE_AFTER_MS);
  }, [ctx.canWrite, save]);

  // A pending save is sent when the page goes away (closing the tab right after a move keeps the move).
  useEffect(() => {
    const flush = () => { if (timer.current !== undefined) { window.clearTimeout(timer.current); timer.current = undefined; save(); } };
    window.addEventListener("pagehide", flush);
    return () => { window.removeEventListener("pagehide", flush); };
  }, [save]);

  return { layout, place, restore, latest, error };
}

/** Takes `position` out of every node of `doc` (a paste, an older body): the positions, and the body without them. */
export function splitPositions(doc: any): { doc: any; positions: Layout } {
  const nodes = doc?.nodes;
  if (!nodes || typeof nodes !== "object") return { doc, positions: {} };
  const positions: Layout = {};
  let changed = false;
  const clean: Record<string, any> = {};
  for (const [id, node] of Object.entries<any>(nodes)) {
    if (node && typeof node === "object" && "position" in node) {
      const { position, ...rest } = node;
      if (position && typeof position.x === "number" && typeof position.y === "number") {
        positions[id] = { x: Math.round(position.x), y: Math.round(position.y), pinned: true };
      }
      clean[id] = rest;
      changed = true;
    } else {
      clean[id] = node;
    }
  }
  return { doc: changed ? { ...doc, nodes: clean } : doc, positions };
}
