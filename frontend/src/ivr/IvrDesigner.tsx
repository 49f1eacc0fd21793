/**
 * The visual IVR designer: the document's nodes as boxes on a React Flow canvas, targets as edges (a menu's
 * digits as labelled edges, one handle per digit), a palette built from the schema's node types, the property
 * panel of the selected node, undo/redo, copy/paste, search, auto layout and the test call. Every gesture
 * becomes a new document body through `useHistory`'s `edit`; the shell saves it. The pieces: `useCanvasModel`
 * (document → boxes and edges), `Toolbar`, `NodeSidebar` (properties), `useShortcuts`, `clipboard`.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useNodesState, useReactFlow, useStore,
  type Connection, type Edge, type FinalConnectionState, type Node, type NodeChange, type FitViewOptions,
} from "@xyflow/react";
import { message as toast } from "antd";
import type { EditorProps } from "../shell/types";
import { pointerParts } from "../shell/schema";
import { translator } from "../shell/i18n";
import { routeFixesThrough } from "../shell/fixes";
import { connectPath, deleteIn, findNodeId, freshId, getIn, nodeTypes, pathOfHandle, portSpecs, resourceNames, setIn, summary } from "./graph";
import { copyNodes, pasteNodes, readClip } from "./clipboard";
import { describe, fieldTitle } from "./fieldText";
import { freeSpot, NODE_WIDTH, placeNew, type Size } from "./layout";
import { handlesOf, NodeBox, type IvrNodeData } from "./NodeBox";
import { NodeSidebar } from "./NodeSidebar";
import { autoLabel } from "./nodeEdits";
import { BoxIndexContext, EdgeLabelLayer, EdgeLabelLayerContext, PortEdge } from "./PortEdge";
import { BoxIndex, BoxIndexStore, hashBoxes } from "./route";
import { QuickAdd, type QuickAddAt } from "./QuickAdd";
import { fromSource, quickChoices, type QuickChoice } from "./quickChoices";
import { fill, ivrT } from "./strings";
import { TestCallPanel } from "./TestCallPanel";
import { Toolbar } from "./Toolbar";
import { useCanvasModel, VIRTUAL_ABOVE } from "./useCanvasModel";
import { useHistory, type LayoutIO } from "./useHistory";
import { splitPositions, useLayout, type Layout } from "./useLayout";
import { useShortcuts } from "./useShortcuts";
import { FoldContext, foldedAway } from "./subflows";
import { FunnelPanel } from "../funnel/FunnelPanel";
import { withFunnel, type FunnelData } from "../funnel/overlay";
import "./canvas.css";

/** Chinese UI words, to tell a node type's Chinese default name in the English UI. */
const ZH_T = translator("zh_CN");

const NODE_TYPES = { ivr: NodeBox };
const EDGE_TYPES = { port: PortEdge };
/** Marks a React Flow node with the derived node it was made from (kept through React Flow's own spreads). */
const FROM = "__derivedFrom";
/** Drag-and-drop payload type of a palette item (a node type name). */
const DRAG_TYPE = "application/x-hotline-node-type";
// React Flow props kept as constants: a new array on every render makes it re-subscribe its key listeners.
const MULTI_SELECT_KEYS = ["Shift", "Meta", "Control"];
const DELETE_KEYS = ["Delete", "Backspace"];

/** Beyond the editor contract, the shell gives the IVR designer: save now (before a test call of the draft) and
 * reload the pickers (after a prompt upload). */
/** Room kept around the tree when the view is fitted: what the user sees of the canvas (it may run below the
 * window's edge) minus the minimap in its bottom-right corner, so no box is fitted out of sight or under it. */
function fitPadding(): FitViewOptions["padding"] {
  const canvas = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
  const minimap = document.querySelector<HTMLElement>(".ivr-minimap");
  const map = minimap && getComputedStyle(minimap).display !== "none" ? minimap.getBoundingClientRect().height + 10 : 0;
  const below = canvas ? Math.max(0, canvas.bottom - window.innerHeight) : 0;
  return { top: "24px", left: "24px", right: "24px", bottom: `${Math.round(24 + below + map)}px` };
}

/** The id of the topmost box drawn at the flow point `at`, if any (boxes are not nested: a position is absolute). */
function boxAt(flow: ReturnType<typeof useReactFlow>, at: { x: number; y: number }): string | null {
  const nodes = flow.getNodes();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    const w = n.measured?.width, h = n.measured?.height;
    if (n.hidden || !w || !h) continue;  // never drawn (out of view on a big IVR): not under the pointer
    if (at.x >= n.position.x && at.x <= n.position.x + w && at.y >= n.position.y && at.y <= n.position.y + h) return n.id;
  }
  return null;
}

export type IvrDesignerProps = EditorProps & { flush?: () => Promise<void>; reloadContext?: () => Promise<void> };

export function IvrDesigner(props: IvrDesignerProps) {
  return <ReactFlowProvider><Designer {...props} /></ReactFlowProvider>;
}

function Designer({ draft, onChange, findings, focusPointer, ctx, flush, reloadContext }: IvrDesignerProps) {
  // Keyed by the shell's t and locale, not by ctx: ctx is a new object on every render of the shell, and a new t
  // rebuilt every box (and React Flow re-measured them all) on each render — a 1,000-node tree never settled.
  const t = useMemo(() => ivrT({ t: ctx.t, locale: ctx.locale }), [ctx.t, ctx.locale]);
  const root = ctx.schema;
  const flow = useReactFlow();
  const types = useMemo(() => nodeTypes(root), [root]);
  const typeMap = useMemo(() => new Map(types.map((type) => [type.type, type])), [types]);
  const specs = useMemo(() => new Map(types.map((type) => [type.type, portSpecs(root, type.schema)])), [types, root]);
  const typeTitle = useCallback((type: string) => t(typeMap.get(type)?.title || type || "?"), [t, typeMap]);
  // The node whose properties are shown, and every node selected on the canvas (a group to copy or delete).
  const [selected, setSelected] = useState<string | null>(null);
  const [selectedIds, setSelectedIds] = useState<Set<string>>(() => new Set());
  const selectOnly = useCallback((ids: string[]) => { setSelectedIds(new Set(ids)); setSelected(ids.length ? ids[ids.length - 1] : null); }, []);
  const [currentNode, setCurrentNode] = useState<string | null>(null);
  const [callOpen, setCallOpen] = useState(false);
  const [funnelOpen, setFunnelOpen] = useState(false);
  const [funnel, setFunnel] = useState<FunnelData | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [labelLayer, setLabelLayer] = useState<HTMLElement | null>(null);
  const findRef = useRef<HTMLInputElement>(null);
  // Undo covers the boxes' places too: the history reads and restores the layout through this (set below).
  const layoutIO = useRef<LayoutIO | null>(null);
  const { latest, edit, moved, undo, redo, canUndo, canRedo } = useHistory(draft, onChange, layoutIO);
  // A finding's one-click fix is one undo step like any edit (the findings panel applies it through the shell).
  useEffect(() => routeFixesThrough(edit), [edit]);
  const docNodes: Record<string, any> = useMemo(() => draft?.nodes || {}, [draft]);
  const writable = ctx.canWrite;
  const nodeIds = useCallback(() => Object.keys(latest.current?.nodes || {}), [latest]);
  const { layout: loadedLayout, place, restore, latest: latestLayout, error: layoutError } = useLayout(ctx, nodeIds);
  layoutIO.current = { get: () => latestLayout.current, set: restore };

  // A box names the tenant's resources by their labels (综合服务), never by their stored codes (general).
  const names = useMemo(() => resourceNames(ctx.context), [ctx.context]);
  const summaryOf = useCallback((node: any) => summary(node, names, (key) => fieldTitle(key, undefined, ctx.locale)),
    [names, ctx.locale]);
  const model = useCanvasModel({ draft, layout: loadedLayout, specs, typeTitle, findings, selectedIds, currentNode, canWrite: writable, t, summaryOf });
  const { ids, ports, edges, byNode } = model;
  // Nodes laid out because the layout had no place for them keep that place (unpinned: a re-layout may move them).
  useEffect(() => {
    if (loadedLayout === null || !Object.keys(model.placed).length) return;
    place(Object.fromEntries(Object.entries(model.placed).map(([id, at]) => [id, { ...at, pinned: false }])));
  }, [model.placed, loadedLayout, place]);
  useEffect(() => { if (layoutError) setMessage(fill(t("The layout was not saved: {error}"), { error: layoutError })); }, [layoutError, t]);

  const [rfNodes, setRfNodes, onNodesChangeLocal] = useNodesState<Node>(model.nodes);
  const virtual = ids.length > VIRTUAL_ABOVE;
  // Sync the document's nodes into React Flow's state without dropping what React Flow measured: a node whose
  // derived object did not change keeps React Flow's own object (so it is neither re-adopted nor re-measured;
  // on a 1,000-node tree re-measuring every box took most of an edit's time).
  useEffect(() => {
    setRfNodes((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      return model.nodes.map((next) => {
        const mine = byId.get(next.id) as (Node & { [FROM]?: Node }) | undefined;
        if (!mine) return next;
        if (mine[FROM] === next) return mine;
        // A measured box's estimated handles are redrawn at its measured size (React Flow takes given handles
        // over measured ones each time it adopts a changed node).
        const sized = mine.measured?.width && mine.measured?.height && next.handles
          ? { handles: handlesOf((next.data as IvrNodeData).ports, (next.data as IvrNodeData).addPorts || [], mine.measured.width, mine.measured.height) }
          : {};
        return { ...next, ...(mine.measured ? { measured: mine.measured } : {}), ...sized, [FROM]: next } as unknown as Node;
      });
    });
  }, [model.nodes, setRfNodes]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    // Removal goes through the document (onNodesDelete); everything else (dragging, sizes) is local until drop.
    onNodesChangeLocal(changes.filter((c) => c.type !== "remove"));
    // A box drawn for the first time (or resized) gets its handles at its real size (see handlesOf).
    const sizes = new Map<string, { width: number; height: number }>();
    for (const c of changes) if (c.type === "dimensions" && c.dimensions) sizes.set(c.id, c.dimensions);
    if (sizes.size && virtual) {
      setRfNodes((current) => current.map((n) => {
        const size = sizes.get(n.id);
        if (!size || !n.handles) return n;
        const d = n.data as IvrNodeData;
        return { ...n, handles: handlesOf(d.ports, d.addPorts || [], size.width, size.height) };
      }));
    }
    const picks = changes.filter((c) => c.type === "select");
    if (!picks.length) return;
    setSelectedIds((before) => {
      const after = new Set(before);
      for (const c of picks) if (c.type === "select") { if (c.selected) after.add(c.id); else after.delete(c.id); }
      return after;
    });
    const last = [...picks].reverse().find((c) => c.type === "select" && c.selected);
    if (last && last.type === "select") setSelected(last.id);
  }, [onNodesChangeLocal, setRfNodes, virtual]);

  // A moved box is pinned where it was dropped: layout, not an edit of the flow (no revision, no diff line).
  // One undo step puts the moved boxes back.
  const onNodeDragStop = useCallback((_: unknown, _node: Node, dragged: Node[]) => {
    const before = latestLayout.current;
    const entries: Layout = {};
    for (const node of dragged) {
      if (!(node.id in (latest.current?.nodes || {}))) continue;
      const x = Math.round(node.position.x), y = Math.round(node.position.y);
      if (before[node.id] && before[node.id].x === x && before[node.id].y === y && before[node.id].pinned) continue;
      entries[node.id] = { x, y, pinned: true };
    }
    if (!Object.keys(entries).length) return;
    place(entries);
    moved(before);
  }, [place, latest, latestLayout, moved]);

  const connect = useCallback((connection: Connection | Edge) => {
    if (!connection.source || !connection.sourceHandle || !connection.target) return;
    const path = connectPath(latest.current?.nodes?.[connection.source], connection.sourceHandle);
    if (path) edit(setIn(latest.current, ["nodes", connection.source, ...path], connection.target));
  }, [edit, latest]);

  /** A new node of `type` in the body (named by its type until its prompt names it), drawn at `position`
   * (`pinned` when the analyst chose the spot, so automatic layout leaves it there). */
  const withNewNode = useCallback((body: any, type: string, position: { x: number; y: number }, fields: object = {},
    pinned = false) => {
    const id = freshId(body?.nodes || {}, type);
    place({ [id]: { x: Math.round(position.x), y: Math.round(position.y), pinned } });
    return { id, body: setIn(body, ["nodes", id], { type, label: typeTitle(type), ...fields }) };
  }, [typeTitle, place]);

  /** After a node is created by a gesture, the view follows it when it is near an edge, leaving room below it
   * for its own next step (a tree is built downwards; without this the next drop would land off the canvas). */
  const keepRoomBelow = useCallback((id: string) => {
    const node = flow.getNode(id);
    const box = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
    if (!node || !box) return;
    const { x, y, zoom } = flow.getViewport();
    const left = node.position.x * zoom + x, top = node.position.y * zoom + y;
    const height = (node.measured?.height ?? 120) * zoom, width = NODE_WIDTH * zoom;
    const room = Math.min(220, box.height / 3);
    if (left >= 10 && top >= 10 && left + width <= box.width - 10 && top + height + room <= box.height) return;
    // Its top a little above the middle: the node it came from stays in view above, its next step fits below.
    flow.setCenter(node.position.x + NODE_WIDTH / 2, node.position.y + (box.height * 0.05) / zoom, { zoom });
  }, [flow]);

  // A connection dropped on a box (anywhere on it, not only on its small input handle) connects to that node's
  // input, as Twilio Studio does; dropped on empty canvas it offers the node types there, then creates and
  // connects in one step. React Flow 12 reports a drop as valid only on a handle within `connectionRadius`
  // (`FinalConnectionState.toNode` is the node of that handle), so the box under the pointer is found here.
  const [quick, setQuick] = useState<QuickAddAt | null>(null);
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromNode || !state.fromHandle?.id || state.fromHandle.type !== "source") return;
    const source = state.fromNode.id, handle = state.fromHandle.id;
    const point = "changedTouches" in event ? event.changedTouches[0] : event;
    const target = state.toNode?.id ?? boxAt(flow, flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }));
    if (target === source) return;  // its own box: a node is not its own target
    if (target) { connect({ source, sourceHandle: handle, target, targetHandle: "in" }); return; }
    setQuick({ source, handle, x: point.clientX, y: point.clientY });
  }, [flow, connect]);
  const choices = useMemo(() => quickChoices(types, ctx.context, t), [types, ctx.context, t]);
  const quickPick = useCallback((choice: QuickChoice) => {
    if (!quick) return;
    const body = latest.current;
    const source = body?.nodes?.[quick.source];
    const path = connectPath(source, quick.handle);
    if (!path) { setQuick(null); return; }
    const oldTarget = getIn(source, path);
    const at = flow.screenToFlowPosition({ x: quick.x, y: quick.y });
    const fields = fromSource({ type: choice.type, ...choice.preset, ...(choice.label ? { label: choice.label } : {}) },
      specs.get(choice.type) || [], source, typeof oldTarget === "string" && oldTarget in (body?.nodes || {}) ? oldTarget : null);
    const boxes = flow.getNodes().map((n) => ({ ...n.position, width: n.measured?.width, height: n.measured?.height }));
    const spot = freeSpot({ x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y) }, boxes);
    const made = withNewNode(body, choice.type, spot, fields);
    edit(setIn(made.body, ["nodes", quick.source, ...path], made.id));
    selectOnly([made.id]);
    setQuick(null);
    window.setTimeout(() => keepRoomBelow(made.id), 0);
  }, [quick, flow, withNewNode, edit, latest, selectOnly, specs, keepRoomBelow]);

  const onReconnect = useCallback((old: Edge, connection: Connection) => {
    let next = latest.current;
    if (connection.source !== old.source || connection.sourceHandle !== old.sourceHandle) {
      next = deleteIn(next, ["nodes", old.source, ...pathOfHandle(old.sourceHandle || "")]);
    }
    if (connection.source && connection.sourceHandle && connection.target) {
      next = setIn(next, ["nodes", connection.source, ...pathOfHandle(connection.sourceHandle)], connection.target);
    }
    edit(next);
  }, [edit, latest]);

  /** Removes nodes and edges as one edit (one Ctrl+Z brings a deleted group back with its links). An edge removed
   * on its own, or one leading into a removed node, clears its source's port. */
  const remove = useCallback((removed: string[], deletedEdges: Edge[] = []) => {
    let next = latest.current;
    for (const edge of deletedEdges) {
      if (removed.includes(edge.source)) continue;
      next = deleteIn(next, ["nodes", edge.source, ...pathOfHandle(edge.sourceHandle || "")]);
    }
    for (const id of removed) next = deleteIn(next, ["nodes", id]);
    if (next === latest.current) return;
    edit(next);
    if (!removed.length) return;
    setSelectedIds((before) => new Set([...before].filter((id) => !removed.includes(id))));
    if (selected && removed.includes(selected)) setSelected(null);
    setMessage(t("Removed node {id}; links to it now point nowhere").replace("{id}", removed.join(", ")));
  }, [edit, latest, selected, t]);
  const removeNodes = useCallback((removed: string[]) => remove(removed), [remove]);

  /** A palette node: dropped where the pointer is, else below the selected node, else in the middle of the view;
   * in each case moved to the nearest free place there, so it never lands on (and hides) another box. */
  const addNode = useCallback((type: string, at?: { x: number; y: number }) => {
    const anchor = selected ? flow.getNode(selected) : undefined;
    const wanted = at ? at : anchor
      ? { x: anchor.position.x + 40, y: anchor.position.y + 170 }
      : (() => {
        // The middle of the part of the canvas the user sees (the canvas can run below the window's edge).
        const box = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
        const top = Math.max(box?.top ?? 0, 0), bottom = Math.min(box?.bottom ?? 400, window.innerHeight);
        const left = Math.max(box?.left ?? 0, 0), right = Math.min(box?.right ?? 600, window.innerWidth);
        const p = flow.screenToFlowPosition({ x: (left + right) / 2, y: (top + Math.max(top, bottom)) / 2 });
        return { x: p.x - NODE_WIDTH / 2, y: p.y - 60 };
      })();
    const boxes = flow.getNodes().map((n) => ({ ...n.position, width: n.measured?.width, height: n.measured?.height }));
    const position = freeSpot({ x: Math.round(wanted.x), y: Math.round(wanted.y) }, boxes);
    const made = withNewNode(latest.current, type, position, {}, !!at);
    edit(made.body);
    selectOnly([made.id]);
  }, [edit, latest, selected, flow, withNewNode, selectOnly]);

  /** Automatic layout: the new and unpinned nodes are laid out around the pinned ones, which stay where the
   * analyst put them; `everything` (its own button) re-lays out every node and unpins them all. */
  const relayout = useCallback((everything: boolean) => {
    const before = latestLayout.current;
    const sizes: Record<string, Size> = {};
    for (const box of flow.getNodes()) {
      if (box.measured?.width && box.measured?.height) sizes[box.id] = { width: box.measured.width, height: box.measured.height };
    }
    const positions = placeNew(ids, edges, latest.current?.start, everything ? {} : before, true, sizes);
    if (!Object.keys(positions).length) return;
    place(Object.fromEntries(Object.entries(positions).map(([id, at]) => [id, { ...at, pinned: false }])));
    moved(before);
    window.setTimeout(() => flow.fitView({ duration: 200, padding: fitPadding() }), 50);
  }, [ids, edges, latest, latestLayout, place, flow, moved]);

  const centerOn = useCallback((id: string, duration = 200) => {
    const node = flow.getNode(id);
    if (node) flow.setCenter(node.position.x + NODE_WIDTH / 2, node.position.y + 55, { zoom: Math.max(flow.getZoom(), 0.9), duration });
  }, [flow]);

  // A clicked finding: select its node and bring it into view (the property panel then highlights the field).
  useEffect(() => {
    if (focusPointer === null) return;
    const parts = pointerParts(focusPointer);
    if (parts[0] === "nodes" && parts[1] && parts[1] in docNodes) {
      selectOnly([parts[1]]);
      centerOn(parts[1], 300);
    } else if (parts.length <= 1) {
      selectOnly([]);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusPointer]);

  // First view once the boxes are measured: the whole tree if readable, else the start node, readable. A big
  // IVR's boxes out of view are never drawn, so never measured (React Flow never calls them initialised): its
  // view goes straight to the start once React Flow has set up its zoom (its whole tree is never readable).
  const measured = useNodesInitialized();
  const paneReady = useStore((s) => !!s.panZoom && s.width > 0 && s.height > 0);
  const framed = useRef(false);
  useEffect(() => {
    if (!(measured || virtual) || !paneReady || framed.current) return;
    const start = flow.getNode(latest.current?.start);
    const toStart = () => {
      const at = flow.getNode(latest.current?.start);
      if (at) flow.setCenter(at.position.x + NODE_WIDTH / 2, at.position.y + 250, { zoom: 0.75 });
    };
    if (virtual && !start) return;
    framed.current = true;
    if (virtual) { toStart(); return; }
    flow.fitView({ padding: fitPadding() }).then(() => { if (flow.getZoom() < 0.45) toStart(); });
  }, [measured, paneReady, flow, latest, virtual, rfNodes.length]);

  /** Search: by id or name; the node found is selected and centred. */
  const findNode = useCallback((query: string) => {
    const id = findNodeId(latest.current?.nodes || {}, query);
    if (!id) return false;
    selectOnly([id]);
    centerOn(id);
    return true;
  }, [latest, selectOnly, centerOn]);

  // Follow the test call's current node on the canvas.
  useEffect(() => {
    if (!currentNode) return;
    const node = flow.getNode(currentNode);
    if (node) flow.setCenter(node.position.x + NODE_WIDTH / 2, node.position.y + 55, { zoom: flow.getZoom(), duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentNode]);

  const copy = useCallback(() => {
    const group = selectedIds.size ? [...selectedIds] : selected ? [selected] : [];
    if (!group.length) { setMessage(t("Select nodes to copy first")); return; }
    // The clipboard carries the boxes' places, so a pasted group keeps its shape.
    const nodes = latest.current?.nodes || {};
    const withPlaces = { ...latest.current, nodes: { ...nodes, ...Object.fromEntries(group.filter((id) => nodes[id]).map((id) => {
      const at = latestLayout.current[id];
      return [id, at ? { ...nodes[id], position: { x: at.x, y: at.y } } : nodes[id]];
    })) } };
    const clip = copyNodes(withPlaces, group);
    if (clip) setMessage(fill(t("Copied {n} nodes"), { n: Object.keys(clip.nodes).length }));
  }, [selectedIds, selected, latest, latestLayout, t]);
  const paste = useCallback(() => {
    const read = readClip(new Set(specs.keys()));
    // A refused clipboard never reaches the draft; the reason shows as a toast and beside the canvas.
    if ("refused" in read) { const why = fill(t(read.refused.text), read.refused.values); setMessage(why); toast.error(why); return; }
    if ("empty" in read) { setMessage(t("Nothing to paste: copy nodes first (Ctrl+C)")); return; }
    const pasted = pasteNodes(latest.current, read.clip, specs);
    const split = splitPositions(pasted.doc);
    place(split.positions);
    edit(split.doc);
    selectOnly(pasted.ids);
    const renamed = Object.entries(pasted.renamed).map(([a, b]) => `${a} → ${b}`).join(", ");
    setMessage(renamed ? fill(t("Pasted {n} nodes; renamed: {renamed}"), { n: pasted.ids.length, renamed })
      : fill(t("Pasted {n} nodes"), { n: pasted.ids.length }));
  }, [latest, specs, edit, selectOnly, place, t]);
  useShortcuts({ undo, redo, copy, paste, findRef, writable });

  // Folded branches (sub-flows): hidden from the canvas for this session only.
  const [folded, setFolded] = useState<Set<string>>(() => new Set());
  const away = useMemo(() => foldedAway(ids, ports, draft?.start, folded), [ids, ports, draft?.start, folded]);
  const folding = useMemo(() => ({
    folded, counts: away.counts, writable,
    toggle: (id: string) => setFolded((before) => { const after = new Set(before); if (!after.delete(id)) after.add(id); return after; }),
  }), [folded, away.counts, writable]);
  const shown = useMemo(() => {
    const visible = away.hidden.size ? rfNodes.filter((n) => !away.hidden.has(n.id)) : rfNodes;
    const lines = away.hidden.size ? edges.filter((e) => !away.hidden.has(e.source) && !away.hidden.has(e.target)) : edges;
    return withFunnel(visible, lines, funnel);
  }, [rfNodes, edges, funnel, away.hidden]);
  // The boxes edges are routed around: rebuilt when a box is placed or resized, not on every step of a drag (the
  // dragged box's own edges follow it; the others are re-routed once it is dropped).
  const boxIndex = useRef<{ key: number; index: BoxIndex } | null>(null);
  const boxes = useMemo(() => {
    // Every size of IVR: an edge keeps its route while the boxes near it are unchanged (route.ts), so an edit
    // re-routes only the drawn edges near it (re-routing every drawn edge made adding a node on the 1,000-node
    // IVR take ~2 s, and routing was off above 200 nodes until the routes were kept).
    if (boxIndex.current && shown.nodes.some((n) => n.dragging)) return boxIndex.current.index;
    const rects = shown.nodes.map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y),
      w: n.measured?.width ?? NODE_WIDTH, h: n.measured?.height ?? 110 }));
    const key = hashBoxes(rects);
    if (boxIndex.current?.key !== key) boxIndex.current = { key, index: new BoxIndex(rects) };
    return boxIndex.current.index;
  }, [shown.nodes]);
  // Edges read the index from a store (each re-renders only when boxes near it changed), updated before paint.
  const boxStore = useMemo(() => new BoxIndexStore(), []);
  useLayoutEffect(() => { boxStore.set(boxes); }, [boxStore, boxes]);
  const onPromptAdded = useCallback(() => { reloadContext?.().catch(() => undefined); }, [reloadContext]);
  // A type's default name in either language (a node added in Chinese and retyped in the English UI).
  const isDefaultLabel = useCallback((label: string, type: string) => {
    const title = typeMap.get(type)?.title;
    return !label || label === title || label === typeTitle(type) || (!!title && label === ZH_T(title));
  }, [typeMap, typeTitle]);
  const defaultNames = useMemo(() => ({ isDefault: isDefaultLabel, title: typeTitle }), [isDefaultLabel, typeTitle]);
  // The layout is keyed by node id: a renamed node takes its place with it (it was laid out anew elsewhere).
  const onRenamed = useCallback((from: string, to: string) => {
    const at = latestLayout.current[from];
    if (at) place({ [to]: at });
  }, [latestLayout, place]);
  const onNodeEdit = useCallback((_id: string, before: any, after: any) => autoLabel(before, after, isDefaultLabel), [isDefaultLabel]);

  // The toolbar (its search lists every node: ~1,000 options) is rendered again only when what it shows changes,
  // not on each of the canvas's renders (boxes measured, a selection): it was ~0.1 s of the first load, profiled.
  const relayoutRef = useRef(relayout);
  relayoutRef.current = relayout;
  const toolbar = useMemo(() => (
    <Toolbar t={t} writable={writable} canUndo={canUndo} canRedo={canRedo} onUndo={undo} onRedo={redo}
      onFit={() => flow.fitView({ duration: 200, padding: fitPadding() })} onZoomIn={() => flow.zoomIn()} onZoomOut={() => flow.zoomOut()}
      onLayout={() => relayoutRef.current(false)} onLayoutAll={() => relayoutRef.current(true)} nodes={docNodes} onFind={findNode} findRef={findRef}
      callOpen={callOpen} onCall={() => setCallOpen(!callOpen)} funnelOpen={funnelOpen} onFunnel={() => setFunnelOpen(!funnelOpen)} />
  ), [t, writable, canUndo, canRedo, undo, redo, flow, docNodes, findNode, callOpen, funnelOpen]);

  return (
    <div className="ivr-designer">
      {toolbar}
      <div className="ivr-body">
        <nav className="palette" aria-label={t("Node types")}>
          <h4>{t("Node types")}</h4>
          {types.map((type) => (
            <button key={type.type} data-testid={`palette-${type.type}`} title={describe(type.description, ctx.locale)} disabled={!writable}
              onClick={() => addNode(type.type)} className={`palette-item type-${type.type}`} draggable={writable}
              onDragStart={(event) => { event.dataTransfer.setData(DRAG_TYPE, type.type); event.dataTransfer.effectAllowed = "copy"; }}>
              ＋ {t(type.title)}
            </button>
          ))}
        </nav>
        <div className="canvas" data-testid="canvas"
          onDragOver={(event) => { if (event.dataTransfer.types.includes(DRAG_TYPE)) { event.preventDefault(); event.dataTransfer.dropEffect = "copy"; } }}
          onDrop={(event) => {
            const type = event.dataTransfer.getData(DRAG_TYPE);
            if (!type || !writable) return;
            event.preventDefault();
            // Dropped where the pointer is (the box's top-left corner under it, slightly centred).
            const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
            addNode(type, { x: at.x - NODE_WIDTH / 2, y: at.y - 30 });
          }}>
          <FoldContext.Provider value={folding}>
          <EdgeLabelLayerContext.Provider value={labelLayer}>
          <BoxIndexContext.Provider value={boxStore}>
          {loadedLayout === null ? <div className="canvas-loading" data-testid="canvas-loading">…</div> : (
          <ReactFlow nodes={shown.nodes} edges={shown.edges} nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES} onNodesChange={onNodesChange}
            onNodeDragStop={onNodeDragStop} onConnect={connect} onConnectEnd={onConnectEnd} onReconnect={onReconnect}
            onDelete={({ nodes, edges: gone }) => remove(nodes.map((n) => n.id), gone)}
            onNodeClick={(event, node) => { if (!event.shiftKey && !event.ctrlKey && !event.metaKey) selectOnly([node.id]); }}
            onPaneClick={() => selectOnly([])}
            nodesDraggable={writable} nodesConnectable={writable} edgesReconnectable={writable} elementsSelectable
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            deleteKeyCode={writable ? DELETE_KEYS : null} onlyRenderVisibleElements={virtual}
            minZoom={0.05} maxZoom={2} proOptions={{ hideAttribution: true }}>
            <EdgeLabelLayer onLayer={setLabelLayer} />
            <Background gap={20} />
            <Controls showInteractive={false} />
            {ids.length <= 400 ? <MiniMap pannable zoomable className="ivr-minimap" /> : null}
          </ReactFlow>
          )}
          </BoxIndexContext.Provider>
          </EdgeLabelLayerContext.Provider>
          </FoldContext.Provider>
          {quick && writable && <QuickAdd at={quick} choices={choices} t={t} onPick={quickPick} onCancel={() => setQuick(null)} />}
        </div>
        <aside className="ivr-side">
          {funnelOpen && <FunnelPanel ctx={ctx} onData={setFunnel} onClose={() => setFunnelOpen(false)}
            labels={Object.fromEntries(Object.entries(docNodes).map(([id, n]) => [id, String(n?.label || id)]))} />}
          {callOpen && (
            <TestCallPanel ctx={ctx} nodes={docNodes} onCurrentNode={setCurrentNode} onClose={() => setCallOpen(false)}
              beforeStart={flush ?? (async () => undefined)} />
          )}
          <NodeSidebar selected={selected} draft={draft} latest={latest} edit={edit} types={types} typeMap={typeMap} specs={specs}
            ports={ports} byNode={byNode} focusPointer={focusPointer} ctx={ctx} t={t} message={message} onMessage={setMessage}
            onSelect={(id) => selectOnly([id])} onRemove={removeNodes} onPromptAdded={onPromptAdded} onNodeEdit={onNodeEdit} onRenamed={onRenamed}
            defaultNames={defaultNames} />
        </aside>
      </div>
    </div>
  );
}
