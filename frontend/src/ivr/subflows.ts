/**
 * Sub-flows: a node folded on the canvas hides the branch only it leads to (a menu's 查件 branch becomes one
 * box with "N 个节点已折叠"). A node also reachable from the start by another way stays visible, so folding
 * never hides where another branch goes. Folding is a view of this session, never part of the document (or of
 * its versions and diffs).
 */
import { createContext } from "react";
import type { Port } from "./graph";

/** The nodes hidden by folding `folded`: reachable from a folded node's targets, not from the start without
 * passing through a folded node. Also, per folded node, how many it hides. */
export function foldedAway(ids: string[], ports: Map<string, Port[]>, start: string | undefined, folded: Set<string>):
  { hidden: Set<string>; counts: Map<string, number> } {
  const hidden = new Set<string>();
  const counts = new Map<string, number>();
  if (!folded.size) return { hidden, counts };
  const known = new Set(ids);
  const next = (id: string) => (ports.get(id) || []).map((p) => p.target).filter((t): t is string => !!t && known.has(t));
  // Everything reachable from the start without entering a folded node's targets.
  const open = new Set<string>();
  const roots = start && known.has(start) ? [start] : [];
  while (roots.length) {
    const id = roots.pop()!;
    if (open.has(id)) continue;
    open.add(id);
    if (!folded.has(id)) roots.push(...next(id));
  }
  for (const id of folded) {
    if (!known.has(id) || !open.has(id)) continue;
    const stack = next(id);
    const mine = new Set<string>();
    while (stack.length) {
      const at = stack.pop()!;
      if (open.has(at) || mine.has(at)) continue;
      mine.add(at);
      stack.push(...next(at));
    }
    counts.set(id, mine.size);
    for (const at of mine) hidden.add(at);
  }
  return { hidden, counts };
}

export interface Folding { folded: Set<string>; counts: Map<string, number>; toggle: (id: string) => void; writable: boolean }
export const FoldContext = createContext<Folding>({ folded: new Set(), counts: new Map(), toggle: () => undefined, writable: false });
