/**
 * Undo/redo over every edit of the IVR: document bodies (canvas, property panel, settings, paste, a changed type
 * or id) and the boxes' places (a moved box, auto layout). Every body edit goes through `edit`, every move
 * through `moved`; one Ctrl+Z takes back either. Bodies and layouts are immutable and share untouched nodes, so
 * a hundred steps cost little even on a 1,000-node tree. The layout lives apart from the document (useLayout),
 * so each step keeps the layout as it was beside the body.
 */
import { useCallback, useRef, useState, type MutableRefObject } from "react";
import type { Layout } from "./useLayout";

const HISTORY_LIMIT = 100;

/** How the history reads and restores the layout (filled in once the layout is loaded). */
export interface LayoutIO { get: () => Layout; set: (layout: Layout) => void }

interface Step { body: any; layout: Layout | null }

export interface History {
  /** The newest body (ahead of React's render: several edits in one event see each other). */
  latest: MutableRefObject<any>;
  /** A new body. Consecutive edits with the same `group` (typing into one field) make one undo step. */
  edit: (next: any, group?: string) => void;
  /** Boxes were moved: `before` is the layout before the move (one undo step puts them back). */
  moved: (before: Layout) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

export function useHistory(draft: any, onChange: (next: any) => void, layoutIO?: MutableRefObject<LayoutIO | null>): History {
  const latest = useRef(draft);
  latest.current = draft;
  const past = useRef<Step[]>([]);
  // Undone steps, most recent last; any new edit clears them (redo only replays what was undone).
  const future = useRef<Step[]>([]);
  const [sizes, setSizes] = useState({ past: 0, future: 0 });
  const sync = () => setSizes({ past: past.current.length, future: future.current.length });
  const layoutNow = useCallback(() => layoutIO?.current?.get() ?? null, [layoutIO]);

  const push = useCallback((step: Step) => {
    past.current.push(step);
    if (past.current.length > HISTORY_LIMIT) past.current.shift();
    future.current = [];
    sync();
  }, []);

  const lastGroup = useRef<string | undefined>(undefined);
  const edit = useCallback((next: any, group?: string) => {
    if (!(group && group === lastGroup.current && past.current.length)) push({ body: latest.current, layout: layoutNow() });
    else { future.current = []; sync(); }
    lastGroup.current = group;
    latest.current = next;
    onChange(next);
  }, [onChange, push, layoutNow]);

  const moved = useCallback((before: Layout) => {
    lastGroup.current = undefined;
    push({ body: latest.current, layout: before });
  }, [push]);

  const move = useCallback((from: MutableRefObject<Step[]>, to: MutableRefObject<Step[]>) => {
    lastGroup.current = undefined;
    const step = from.current.pop();
    if (step !== undefined) {
      to.current.push({ body: latest.current, layout: layoutNow() });
      if (step.body !== latest.current) {
        latest.current = step.body;
        onChange(step.body);
      }
      if (step.layout && step.layout !== layoutNow()) layoutIO?.current?.set(step.layout);
    }
    sync();
  }, [onChange, layoutNow, layoutIO]);
  const undo = useCallback(() => move(past, future), [move]);
  const redo = useCallback(() => move(future, past), [move]);

  return { latest, edit, moved, undo, redo, canUndo: sizes.past > 0, canRedo: sizes.future > 0 };
}
