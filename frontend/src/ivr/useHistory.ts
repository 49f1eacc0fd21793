/**
 * Undo/redo over whole document bodies: every edit of the IVR (canvas, property panel, settings, paste) goes
 * through `edit`, so one Ctrl+Z takes back any of them. Bodies are immutable and share untouched nodes, so a
 * hundred of them cost little even on a 1,000-node tree.
 */
import { useCallback, useRef, useState, type MutableRefObject } from "react";

const HISTORY_LIMIT = 100;

export interface History {
  /** The newest body (ahead of React's render: several edits in one event see each other). */
  latest: MutableRefObject<any>;
  /** A new body. Consecutive edits with the same `group` (typing into one field) make one undo step. */
  edit: (next: any, group?: string) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

export function useHistory(draft: any, onChange: (next: any) => void): History {
  const latest = useRef(draft);
  latest.current = draft;
  const past = useRef<any[]>([]);
  // Undone edits, most recent last; any new edit clears them (redo only replays what was undone).
  const future = useRef<any[]>([]);
  const [sizes, setSizes] = useState({ past: 0, future: 0 });
  const sync = () => setSizes({ past: past.current.length, future: future.current.length });

  const lastGroup = useRef<string | undefined>(undefined);
  const edit = useCallback((next: any, group?: string) => {
    if (!(group && group === lastGroup.current && past.current.length)) {
      past.current.push(latest.current);
      if (past.current.length > HISTORY_LIMIT) past.current.shift();
    }
    lastGroup.current = group;
    future.current = [];
    sync();
    latest.current = next;
    onChange(next);
  }, [onChange]);

  const move = useCallback((from: MutableRefObject<any[]>, to: MutableRefObject<any[]>) => {
    lastGroup.current = undefined;
    const body = from.current.pop();
    if (body !== undefined) {
      to.current.push(latest.current);
      latest.current = body;
      onChange(body);
    }
    sync();
  }, [onChange]);
  const undo = useCallback(() => move(past, future), [move]);
  const redo = useCallback(() => move(future, past), [move]);

  return { latest, edit, undo, redo, canUndo: sizes.past > 0, canRedo: sizes.future > 0 };
}
