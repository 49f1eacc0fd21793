/**
 * The canvas's keyboard shortcuts (listed in the toolbar's help): undo/redo, copy/paste of the selected
 * nodes, find. Delete is React Flow's own (deleteKeyCode). Keys typed into a text field stay the field's.
 */
import { useEffect, type RefObject } from "react";

/** Input types that take no typed text. */
const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);

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
      // Keys typed into a text belong to it (its own undo); a list, a checkbox or a button has no undo of its own,
      // so Ctrl+Z right after changing a node's type (the type list still focused) undoes the change (issue 16).
      const target = event.target as HTMLElement | null;
      if (target?.closest?.("textarea, [contenteditable]")) return;
      // A searchable list (antd Select: an input with role combobox) is a list once nothing is typed into it.
      const list = target?.getAttribute?.("role") === "combobox" && (target as HTMLInputElement).value === "";
      if (target instanceof HTMLInputElement && !NOT_TEXT.has(target.type) && !list) return;
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
