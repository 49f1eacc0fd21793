/**
 * The canvas's keyboard shortcuts (listed in the toolbar's help): undo/redo, copy/paste of the selected
 * nodes, find. Delete is React Flow's own (deleteKeyCode). Keys typed into a form field stay the field's.
 */
import { useEffect, type RefObject } from "react";

export function useShortcuts({ undo, redo, copy, paste, findRef, writable }: {
  undo: () => void; redo: () => void; copy: () => void; paste: () => void;
  findRef: RefObject<HTMLInputElement | null>; writable: boolean;
}): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      // Ctrl+F anywhere in the designer opens the node search instead of the browser's page search.
      if (key === "f") { event.preventDefault(); findRef.current?.focus(); findRef.current?.select(); return; }
      const target = event.target as HTMLElement | null;
      if (target?.closest?.("input, textarea, select, [contenteditable]")) return;
      if (key === "c") { event.preventDefault(); copy(); return; }
      if (!writable) return;
      if (key === "y" || (key === "z" && event.shiftKey)) { event.preventDefault(); redo(); }
      else if (key === "z") { event.preventDefault(); undo(); }
      else if (key === "v") { event.preventDefault(); paste(); }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, copy, paste, findRef, writable]);
}
