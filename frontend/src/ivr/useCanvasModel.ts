/**
 * The document as React Flow sees it: ports per node, edges, boxes (with positions, findings, selection).
 * Per-node objects are cached by the document node they were made from: an edit replaces only the nodes it
 * touches, so on a big tree the other boxes keep their ports, their React Flow node and their render.
 */
import { useMemo, useRef } from "react";
import type { Edge, Node } from "@xyflow/react";
import type { Finding } from "../shell/types";
import { addHandles, findingsByNode, portsOf, portText, type Port, type PortSpec } from "./graph";
import { placeNew } from "./layout";
import type { Layout } from "./useLayout";
import { handlesOf, type IvrNodeData } from "./NodeBox";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import type { T } from "./strings";

const NO_FINDINGS: Finding[] = [];
const NO_NODES: Node[] = [];
/** Above this many nodes a box's size and handles are estimated before it is drawn, so only boxes in view are
 * drawn (React Flow's `onlyRenderVisibleElements` skips only boxes whose handles it knows). */
export const VIRTUAL_ABOVE = 200;

export interface CanvasModel {
  ids: string[]; ports: Map<string, Port[]>; edges: Edge[]; nodes: Node[]; byNode: Map<string, Finding[]>;
  /** Positions given to nodes the layout had none for (to be stored, unpinned, so they stay put). */
  placed: Record<string, { x: number; y: number }>;
}

export function useCanvasModel({ draft, layout, specs, typeTitle, findings, selectedIds, currentNode, canWrite, t, summaryOf }: {
  /** null until the layout is loaded: no box is placed or built before (the canvas is not drawn yet, and laying
   * out all 1,000 nodes of a big IVR without their stored places cost ~0.2 s of the first load for nothing). */
  draft: any; layout: Layout | null; specs: Map<string, PortSpec[]>; typeTitle: (type: string) => string; findings: Finding[];
  selectedIds: Set<string>; currentNode: string | null; canWrite: boolean; t: T;
  /** A node's summary with resources by their labels (changes with the language and the tenant's resources). */
  summaryOf: (node: any) => string;
}): CanvasModel {
  const docNodes: Record<string, any> = useMemo(() => draft?.nodes || {}, [draft]);
  const ids = useMemo(() => Object.keys(docNodes), [docNodes]);

  const portCache = useRef(new WeakMap<object, Port[]>());
  const ports = useMemo(() => {
    const out = new Map<string, Port[]>();
    for (const id of ids) {
      const node = docNodes[id];
      let found = node && typeof node === "object" ? portCache.current.get(node) : undefined;
      if (!found) {
        found = portsOf(specs.get(node?.type) || [], node);
        if (node && typeof node === "object") portCache.current.set(node, found);
      }
      out.set(id, found);
    }
    return out;
  }, [ids, docNodes, specs]);

  // Edge objects are reused while unchanged, so React Flow does not re-render (and re-measure) every label.
  const edgeCache = useRef(new Map<string, Edge>());
  const lastEdges = useRef<Edge[]>([]);
  const edges: Edge[] = useMemo(() => {
    const out: Edge[] = [];
    const cache = edgeCache.current;
    const seen = new Set<string>();
    for (const id of ids) {
      // Each connected port of a node gets its own lane (the height its line turns at), so a menu's fan of
      // lines never runs along the same horizontal stretch.
      let lane = 0;
      for (const port of ports.get(id) || []) {
        if (!port.target || !(port.target in docNodes)) continue;
        const key = `${id}|${port.handle}`;
        seen.add(key);
        const previous = cache.get(key);
        const label = portText(port, t);
        const here = lane++;
        const data = previous?.data as { lane?: number; port?: string } | undefined;
        if (previous && previous.target === port.target && data?.port === label
            && previous.reconnectable === canWrite && data?.lane === here) {
          out.push(previous); continue;
        }
        // No `label`: the port's name is drawn once, at the port in the box (NodeBox); an edge label beside it
        // showed every digit twice. The name stays in `data` (ARIA, the funnel's counts).
        const edge: Edge = {
          id: key, source: id, sourceHandle: port.handle, target: port.target, targetHandle: "in",
          ariaLabel: label, className: port.path.length === 2 ? "edge-digit" : "edge-next", type: "port",
          reconnectable: canWrite, data: { lane: here, port: label },
        };
        cache.set(key, edge);
        out.push(edge);
      }
    }
    for (const key of [...cache.keys()]) if (!seen.has(key)) cache.delete(key);
    // The same array when no edge changed (a node added, a label typed): React Flow rebuilds its connection
    // lookup of every edge whenever the array changes (~50 ms of each add-node on the 1,000-node IVR, profiled).
    const last = lastEdges.current;
    if (last.length === out.length && out.every((edge, i) => edge === last[i])) return last;
    lastEdges.current = out;
    return out;
  }, [ids, ports, docNodes, canWrite, t]);

  // Nodes the layout has no place for are laid out around the placed ones (once per set of such nodes).
  const missingKey = layout ? ids.filter((id) => !layout[id]).join(",") : "";
  const placed = useMemo(() => (missingKey && layout ? placeNew(ids, edges, draft?.start, layout) : {}),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [missingKey]);

  const byNode = useMemo(() => findingsByNode(findings), [findings]);

  const nodeCache = useRef(new Map<string, Node>());
  const nodes: Node[] = useMemo(() => {
    if (!layout) return NO_NODES;
    const cache = nodeCache.current;
    const virtual = ids.length > VIRTUAL_ABOVE;
    const out = ids.map((id) => {
      const node = docNodes[id];
      const stored = layout[id];
      const position = stored ? { x: stored.x, y: stored.y } : placed[id] ?? { x: 0, y: 0 };
      const findingsHere = byNode.get(id) || NO_FINDINGS;
      const isSelected = selectedIds.has(id);
      const previous = cache.get(id);
      const d = previous?.data as IvrNodeData | undefined;
      if (previous && d && d.node === node && d.ports === ports.get(id) && sameFindings(d.findings, findingsHere)
          && d.isStart === (draft?.start === id) && d.isFallback === (draft?.fallback === id)
          && d.current === (currentNode === id) && d.t === t && previous.selected === isSelected && d.summary === summaryOf(node)
          && (d.addPorts?.length ?? 0) === (canWrite ? addHandles(specs.get(node?.type) || []).length : 0)
          && previous.position.x === position.x && previous.position.y === position.y && !!previous.handles === virtual) {
        return previous;
      }
      const data: IvrNodeData = {
        id, node, typeTitle: typeTitle(node?.type), ports: ports.get(id) || [],
        findings: findingsHere, isStart: draft?.start === id, isFallback: draft?.fallback === id,
        current: currentNode === id, t, summary: summaryOf(node), addPorts: canWrite ? addHandles(specs.get(node?.type) || []) : [],
      };
      const built: Node = {
        id, type: "ivr", data, selected: isSelected, className: currentNode === id ? "current-node" : undefined, position,
        ...(virtual ? { initialWidth: NODE_WIDTH, initialHeight: NODE_HEIGHT,
          handles: handlesOf(data.ports, data.addPorts || [], NODE_WIDTH, NODE_HEIGHT) } : {}),
      };
      cache.set(id, built);
      return built;
    });
    if (cache.size > ids.length) for (const id of [...cache.keys()]) if (!(id in docNodes)) cache.delete(id);
    return out;
  }, [ids, docNodes, typeTitle, ports, byNode, draft?.start, draft?.fallback, currentNode, selectedIds, placed, layout, t, specs, canWrite, summaryOf]);

  return { ids, ports, edges, nodes, byNode, placed };
}

function sameFindings(a: Finding[], b: Finding[]): boolean {
  return a === b || (a.length === b.length && a.every((f, i) => f.pointer === b[i].pointer && f.message === b[i].message));
}
