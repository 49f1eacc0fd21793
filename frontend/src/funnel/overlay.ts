/**
 * The IVR funnel drawn over the canvas: each node's share of the callers as a red glow (a heat map), each edge as
 * thick as the callers who took it, labelled with their number. Pure functions of the React Flow nodes and edges,
 * so the designer only passes its nodes and edges through `withFunnel` while a funnel is shown.
 */
import type { Edge, Node } from "@xyflow/react";

export interface NodeCounts { reached: number; hangups: number; completed: number }
export interface FunnelEdge { node: string; next: string; digit: string; passes: number }
export interface FunnelData {
  document: string; version: number; callers: number; hangups: number; completed: number;
  nodes: Record<string, NodeCounts>; edges: FunnelEdge[];
}

/** 0..1: how hot a node is (its callers against the busiest node's). */
export function heat(data: FunnelData, node: string): number {
  const most = Math.max(1, data.callers);
  return Math.min(1, (data.nodes[node]?.reached || 0) / most);
}

/** Callers who went from `source` to `target` (over every digit). */
export function passes(data: FunnelData, source: string, target: string): number {
  return data.edges.filter((e) => e.node === source && e.next === target).reduce((sum, e) => sum + e.passes, 0);
}

export function withFunnel(nodes: Node[], edges: Edge[], data: FunnelData | null): { nodes: Node[]; edges: Edge[] } {
  if (!data) return { nodes, edges };
  const busiest = Math.max(1, ...data.edges.map((e) => e.passes));
  return {
    nodes: nodes.map((node) => {
      const h = heat(data, node.id);
      return {
        ...node, className: `${node.className || ""} funnel-node`.trim(),
        style: { ...(node.style || {}), borderRadius: 6,
          boxShadow: `0 0 0 ${2 + Math.round(h * 8)}px rgba(220, 38, 38, ${(0.1 + 0.7 * h).toFixed(2)})` },
      };
    }),
    edges: edges.map((edge) => {
      const n = passes(data, edge.source, edge.target);
      return {
        ...edge, className: `${edge.className || ""} funnel-edge`.trim(),
        label: `${edge.label ? `${edge.label} · ` : ""}${n}`,
        style: { ...(edge.style || {}), strokeWidth: 1 + Math.round((9 * n) / busiest), stroke: n ? "#dc2626" : "#bbb" },
      };
    }),
  };
}
