/**
 * Which side panels are shown beside the editor. On a laptop each panel folds away to give the editor room, and
 * the choice is remembered per user in this browser (localStorage); on a phone the editor takes the screen and
 * at most one panel is open at a time, as a drawer over it (a panel beside a 390 px canvas left it 0 px wide:
 * issue 16). The panels themselves stay mounted either way: the stylesheet hides them by the attributes
 * `rootProps` returns, so a folded property panel keeps what the user typed.
 */
import { useCallback, useEffect, useState } from "react";

/** At or below this width the side panels are drawers (the server-drawn pages switch to one column there too). */
export const NARROW_QUERY = "(max-width: 760px)";

export type PanelName = "palette" | "properties" | "checks";

export interface Panels {
  narrow: boolean;
  /** Whether the panel can be seen now: not folded on a laptop, the open drawer on a phone. */
  shown: (panel: PanelName) => boolean;
  toggle: (panel: PanelName) => void;
  /** Opens the panel on a phone (its drawer) and on a laptop (unfolds it): where a gesture's result is shown. */
  reveal: (panel: PanelName | null) => void;
  rootProps: { "data-layout": "narrow" | "wide"; "data-folded": string; "data-drawer": string };
}

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW_QUERY);
    const change = () => setNarrow(query.matches);
    query.addEventListener("change", change);
    return () => query.removeEventListener("change", change);
  }, []);
  return narrow;
}

function readFolded(key: string): Set<PanelName> {
  try {
    const stored = JSON.parse(window.localStorage.getItem(key) || "[]");
    return new Set(Array.isArray(stored) ? stored.filter((p): p is PanelName => typeof p === "string") : []);
  } catch {
    return new Set();
  }
}

/** `storageKey` names the user (and nothing else): each user's folded panels, whatever the document. */
export function usePanels(storageKey: string): Panels {
  const narrow = useNarrow();
  const [folded, setFolded] = useState<Set<PanelName>>(() => readFolded(storageKey));
  const [drawer, setDrawer] = useState<PanelName | null>(null);

  const fold = useCallback((panel: PanelName, on: boolean) => {
    setFolded((before) => {
      const after = new Set(before);
      if (on) after.add(panel); else after.delete(panel);
      try { window.localStorage.setItem(storageKey, JSON.stringify([...after])); } catch { /* storage off: this page only */ }
      return after;
    });
  }, [storageKey]);

  const toggle = useCallback((panel: PanelName) => {
    if (narrow) setDrawer((open) => (open === panel ? null : panel));
    else fold(panel, !folded.has(panel));
  }, [narrow, folded, fold]);

  const reveal = useCallback((panel: PanelName | null) => {
    if (narrow) setDrawer(panel);
    else if (panel && folded.has(panel)) fold(panel, false);
  }, [narrow, folded, fold]);

  const shown = useCallback((panel: PanelName) => (narrow ? drawer === panel : !folded.has(panel)), [narrow, drawer, folded]);

  return {
    narrow, shown, toggle, reveal,
    rootProps: { "data-layout": narrow ? "narrow" : "wide", "data-folded": [...folded].join(" "), "data-drawer": drawer ?? "" },
  };
}
