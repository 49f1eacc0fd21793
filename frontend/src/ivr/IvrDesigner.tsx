/**
 * The visual IVR designer: the document's nodes as boxes on a React Flow canvas, targets as edges (a menu's
 * digits as labelled edges, one handle per digit), a palette built from the schema's node types, the property
 * panel of the selected node, undo, auto layout and the test call. Every gesture becomes a new document body
 * through `onChange`; the shell saves it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useNodesInitialized, useNodesState, useReactFlow,
  type Connection, type Edge, type FinalConnectionState, type Node, type NodeChange,
} from "@xyflow/react";
import type { EditorProps, Finding } from "../shell/types";
import { pointerParts } from "../shell/schema";
import {
  deleteIn, findingsByNode, freeDigit, freshId, nodeTypes, pathOfHandle, portSpecs, portsOf, portText, setIn, type Port,
} from "./graph";
import { DocumentSettings } from "./DocumentSettings";
import { describe } from "./fieldText";
import { autoLayout } from "./layout";
import { NodeIdentity } from "./NodeIdentity";
import { QuickAdd, type QuickAddAt } from "./QuickAdd";
import { NodeBox, type IvrNodeData } from "./NodeBox";
import { renameNode, retypeNode } from "./nodeEdits";
import { PropertyPanel } from "./PropertyPanel";
import { TestCallPanel } from "./TestCallPanel";
import { FunnelPanel } from "../funnel/FunnelPanel";
import { withFunnel, type FunnelData } from "../funnel/overlay";

const NODE_TYPES = { ivr: NodeBox };
/** Marks a React Flow node with the derived node it was made from (kept through React Flow's own spreads). */
const FROM = "__derivedFrom";
/** Drag-and-drop payload type of a palette item (a node type name). */
const DRAG_TYPE = "application/x-hotline-node-type";
const HISTORY_LIMIT = 100;
const NO_FINDINGS: Finding[] = [];

/** Beyond the editor contract, the shell gives the IVR designer: save now (before a test call of the draft) and
 * reload the pickers (after a prompt upload). */
export type IvrDesignerProps = EditorProps & { flush?: () => Promise<void>; reloadContext?: () => Promise<void> };

export function IvrDesigner(props: IvrDesignerProps) {
  return <ReactFlowProvider><Designer {...props} /></ReactFlowProvider>;
}

function Designer({ draft, onChange, findings, focusPointer, ctx, flush, reloadContext }: IvrDesignerProps) {
  const t = ctx.t;
  const root = ctx.schema;
  const flow = useReactFlow();
  const types = useMemo(() => nodeTypes(root), [root]);
  const typeMap = useMemo(() => new Map(types.map((type) => [type.type, type])), [types]);
  const specs = useMemo(() => new Map(types.map((type) => [type.type, portSpecs(root, type.schema)])), [types, root]);
  const docNodes: Record<string, any> = useMemo(() => draft?.nodes || {}, [draft]);
  const ids = useMemo(() => Object.keys(docNodes), [docNodes]);
  const [selected, setSelected] = useState<string | null>(null);
  const [currentNode, setCurrentNode] = useState<string | null>(null);
  const [callOpen, setCallOpen] = useState(false);
  const [funnelOpen, setFunnelOpen] = useState(false);
  const [funnel, setFunnel] = useState<FunnelData | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const history = useRef<any[]>([]);
  const [historySize, setHistorySize] = useState(0);
  const latest = useRef(draft);
  latest.current = draft;

  /** Every change of the document goes through here, so it can be undone. */
  // Undone edits, most recent last; any new edit clears them (redo only replays what was undone).
  const future = useRef<any[]>([]);
  const [futureSize, setFutureSize] = useState(0);
  const edit = useCallback((next: any) => {
    history.current.push(latest.current);
    if (history.current.length > HISTORY_LIMIT) history.current.shift();
    setHistorySize(history.current.length);
    future.current = [];
    setFutureSize(0);
    latest.current = next;
    onChange(next);
  }, [onChange]);

  const undo = useCallback(() => {
    const previous = history.current.pop();
    setHistorySize(history.current.length);
    if (previous !== undefined) {
      future.current.push(latest.current);
      setFutureSize(future.current.length);
      latest.current = previous;
      onChange(previous);
    }
  }, [onChange]);

  const redo = useCallback(() => {
    const next = future.current.pop();
    setFutureSize(future.current.length);
    if (next !== undefined) {
      history.current.push(latest.current);
      setHistorySize(history.current.length);
      latest.current = next;
      onChange(next);
    }
  }, [onChange]);

  // Per-node caches keyed by the node object: an edit replaces only the nodes it touches, so on a big tree the
  // other boxes keep their ports, their React Flow node and their render.
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
  const edges: Edge[] = useMemo(() => {
    const out: Edge[] = [];
    const cache = edgeCache.current;
    const seen = new Set<string>();
    for (const id of ids) {
      for (const port of ports.get(id) || []) {
        if (!port.target || !(port.target in docNodes)) continue;
        const key = `${id}|${port.handle}`;
        seen.add(key);
        const previous = cache.get(key);
        const label = portText(port, t);
        if (previous && previous.target === port.target && previous.label === label
            && previous.reconnectable === ctx.canWrite) { out.push(previous); continue; }
        const edge: Edge = {
          id: key, source: id, sourceHandle: port.handle, target: port.target, targetHandle: "in",
          label, className: port.path.length === 2 ? "edge-digit" : "edge-next", type: "smoothstep",
          reconnectable: ctx.canWrite,
        };
        cache.set(key, edge);
        out.push(edge);
      }
    }
    for (const key of [...cache.keys()]) if (!seen.has(key)) cache.delete(key);
    return out;
  }, [ids, ports, docNodes, ctx.canWrite, t]);

  // Nodes the document has no position for are placed by dagre (once per set of such nodes).
  const missingKey = ids.filter((id) => !docNodes[id]?.position).join(",");
  const placed = useMemo(() => (missingKey ? autoLayout(ids, edges, latest.current?.start) : {}),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [missingKey]);

  const byNode = useMemo(() => findingsByNode(findings), [findings]);

  const nodeCache = useRef(new Map<string, Node>());
  const derived: Node[] = useMemo(() => {
    const cache = nodeCache.current;
    const out = ids.map((id) => {
      const node = docNodes[id];
      const position = node?.position ?? placed[id] ?? { x: 0, y: 0 };
      const findingsHere = byNode.get(id) || NO_FINDINGS;
      const previous = cache.get(id);
      const d = previous?.data as IvrNodeData | undefined;
      if (previous && d && d.node === node && d.ports === ports.get(id) && sameFindings(d.findings, findingsHere)
          && d.isStart === (draft?.start === id) && d.isFallback === (draft?.fallback === id)
          && d.current === (currentNode === id) && d.t === t && previous.selected === (selected === id)
          && previous.position.x === position.x && previous.position.y === position.y) {
        return previous;
      }
      const data: IvrNodeData = {
        id, node, typeTitle: t(typeMap.get(node?.type)?.title || node?.type || "?"), ports: ports.get(id) || [],
        findings: findingsHere, isStart: draft?.start === id, isFallback: draft?.fallback === id,
        current: currentNode === id, t,
      };
      const built: Node = {
        id, type: "ivr", data, selected: selected === id, className: currentNode === id ? "current-node" : undefined,
        position,
      };
      cache.set(id, built);
      return built;
    });
    if (cache.size > ids.length) for (const id of [...cache.keys()]) if (!(id in docNodes)) cache.delete(id);
    return out;
  }, [ids, docNodes, typeMap, ports, byNode, draft?.start, draft?.fallback, currentNode, selected, placed, t]);

  const [rfNodes, setRfNodes, onNodesChangeLocal] = useNodesState<Node>(derived);
  // Sync the document's nodes into React Flow's state without dropping what React Flow measured: a node whose
  // derived object did not change keeps React Flow's own object (so it is neither re-adopted nor re-measured;
  // on a 1,000-node tree re-measuring every box took most of an edit's time).
  useEffect(() => {
    setRfNodes((current) => {
      const byId = new Map(current.map((n) => [n.id, n]));
      return derived.map((next) => {
        const mine = byId.get(next.id) as (Node & { [FROM]?: Node }) | undefined;
        if (!mine) return next;
        if (mine[FROM] === next) return mine;
        return { ...next, ...(mine.measured ? { measured: mine.measured } : {}), [FROM]: next } as Node;
      });
    });
  }, [derived, setRfNodes]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    // Removal goes through the document (onNodesDelete); everything else (dragging, sizes) is local until drop.
    onNodesChangeLocal(changes.filter((c) => c.type !== "remove"));
    for (const change of changes) if (change.type === "select" && change.selected) setSelected(change.id);
  }, [onNodesChangeLocal]);

  const onNodeDragStop = useCallback((_: unknown, _node: Node, moved: Node[]) => {
    let next = latest.current;
    for (const node of moved) {
      if (!(node.id in (next?.nodes || {}))) continue;
      next = setIn(next, ["nodes", node.id, "position"], { x: Math.round(node.position.x), y: Math.round(node.position.y) });
    }
    if (next !== latest.current) edit(next);
  }, [edit]);

  const connect = useCallback((connection: Connection | Edge) => {
    if (!connection.source || !connection.sourceHandle || !connection.target) return;
    edit(setIn(latest.current, ["nodes", connection.source, ...pathOfHandle(connection.sourceHandle)], connection.target));
  }, [edit]);

  // A connection dropped on empty canvas: offer the node types there, then create and connect in one step.
  const [quick, setQuick] = useState<QuickAddAt | null>(null);
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || state.toNode || !state.fromNode || !state.fromHandle?.id || state.fromHandle.type !== "source") return;
    const point = "changedTouches" in event ? event.changedTouches[0] : event;
    setQuick({ source: state.fromNode.id, handle: state.fromHandle.id, x: point.clientX, y: point.clientY });
  }, []);
  const quickPick = useCallback((type: string) => {
    if (!quick) return;
    const id = freshId(latest.current?.nodes || {}, type);
    const at = flow.screenToFlowPosition({ x: quick.x, y: quick.y });
    let next = setIn(latest.current, ["nodes", id], {
      type, label: t(typeMap.get(type)?.title || type), position: { x: Math.round(at.x - 110), y: Math.round(at.y) } });
    next = setIn(next, ["nodes", quick.source, ...pathOfHandle(quick.handle)], id);
    edit(next);
    setSelected(id);
    setQuick(null);
  }, [quick, flow, typeMap, edit, t]);

  const onReconnect = useCallback((old: Edge, connection: Connection) => {
    let next = latest.current;
    if (connection.source !== old.source || connection.sourceHandle !== old.sourceHandle) {
      next = deleteIn(next, ["nodes", old.source, ...pathOfHandle(old.sourceHandle || "")]);
    }
    if (connection.source && connection.sourceHandle && connection.target) {
      next = setIn(next, ["nodes", connection.source, ...pathOfHandle(connection.sourceHandle)], connection.target);
    }
    edit(next);
  }, [edit]);

  const onEdgesDelete = useCallback((deleted: Edge[]) => {
    let next = latest.current;
    for (const edge of deleted) next = deleteIn(next, ["nodes", edge.source, ...pathOfHandle(edge.sourceHandle || "")]);
    edit(next);
  }, [edit]);

  const removeNodes = useCallback((removed: string[]) => {
    let next = latest.current;
    for (const id of removed) next = deleteIn(next, ["nodes", id]);
    edit(next);
    if (selected && removed.includes(selected)) setSelected(null);
    setMessage(t("Removed node {id}; links to it now point nowhere").replace("{id}", removed.join(", ")));
  }, [edit, selected, t]);

  const addNode = useCallback((type: string, at?: { x: number; y: number }) => {
    const id = freshId(latest.current?.nodes || {}, type);
    const anchor = selected ? rfNodes.find((n) => n.id === selected) : undefined;
    const position = at ? { x: Math.round(at.x), y: Math.round(at.y) } : anchor
      ? { x: Math.round(anchor.position.x + 40), y: Math.round(anchor.position.y + 170) }
      : (() => {
        const box = document.querySelector("[data-testid=canvas]")?.getBoundingClientRect();
        const p = flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 600) / 2, y: (box?.top ?? 0) + (box?.height ?? 400) / 2 });
        return { x: Math.round(p.x), y: Math.round(p.y) };
      })();
    edit(setIn(latest.current, ["nodes", id], { type, label: typeMap.get(type)?.title || type, position }));
    setSelected(id);
  }, [edit, selected, rfNodes, flow, typeMap]);

  const selectedNode = selected ? docNodes[selected] : undefined;
  const mapSpec = selectedNode ? (specs.get(selectedNode.type) || []).find((s) => s.shape === "map") : undefined;

  const addOption = useCallback(() => {
    if (!selected || !mapSpec) return;
    const digit = freeDigit(docNodes[selected]?.[mapSpec.prop]);
    if (digit === null) return;
    // The new digit points nowhere yet: the finding on it tells the user to connect it.
    edit(setIn(latest.current, ["nodes", selected, mapSpec.prop, digit], ""));
  }, [selected, mapSpec, docNodes, edit]);

  const layoutAll = useCallback(() => {
    const positions = autoLayout(ids, edges, latest.current?.start);
    let nodes = { ...(latest.current?.nodes || {}) };
    for (const id of ids) nodes = { ...nodes, [id]: { ...nodes[id], position: positions[id] } };
    edit({ ...latest.current, nodes });
    window.setTimeout(() => flow.fitView({ duration: 200 }), 50);
  }, [ids, edges, edit, flow]);

  // A clicked finding: select its node and bring it into view (the property panel then highlights the field).
  useEffect(() => {
    if (focusPointer === null) return;
    const parts = pointerParts(focusPointer);
    if (parts[0] === "nodes" && parts[1] && parts[1] in docNodes) {
      setSelected(parts[1]);
      const node = rfNodes.find((n) => n.id === parts[1]);
      if (node) flow.setCenter(node.position.x + 110, node.position.y + 55, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
    } else if (parts.length <= 1) {
      setSelected(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusPointer]);

  // First view once the boxes are measured: the whole tree if readable, else the start node, readable.
  const measured = useNodesInitialized();
  const framed = useRef(false);
  useEffect(() => {
    if (!measured || framed.current) return;
    framed.current = true;
    flow.fitView().then(() => {
      const start = flow.getNode(latest.current?.start);
      if (start && flow.getZoom() < 0.45) flow.setCenter(start.position.x + 110, start.position.y + 250, { zoom: 0.75 });
    });
  }, [measured, flow]);

  const findNode = useCallback((id: string) => {
    const node = rfNodes.find((n) => n.id === id);
    if (!node) { setMessage(t("Node {id} not found").replace("{id}", id)); return; }
    setSelected(id);
    flow.setCenter(node.position.x + 110, node.position.y + 55, { zoom: Math.max(flow.getZoom(), 0.9), duration: 200 });
  }, [rfNodes, flow, t]);

  // Follow the test call's current node on the canvas.
  useEffect(() => {
    if (!currentNode) return;
    const node = rfNodes.find((n) => n.id === currentNode);
    if (node) flow.setCenter(node.position.x + 110, node.position.y + 55, { zoom: flow.getZoom(), duration: 200 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentNode]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && (key === "y" || (key === "z" && event.shiftKey))) { event.preventDefault(); redo(); }
      else if (mod && key === "z") { event.preventDefault(); undo(); }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

  const docFindings = byNode.get("") || NO_FINDINGS;
  const shown = useMemo(() => withFunnel(rfNodes, edges, funnel), [rfNodes, edges, funnel]);
  const writable = ctx.canWrite;
  const onPromptAdded = useCallback(() => { reloadContext?.().catch(() => undefined); }, [reloadContext]);

  return (
    <div className="ivr-designer">
      <div className="ivr-toolbar">
        <button data-testid="undo" onClick={undo} disabled={!historySize || !writable} title="Ctrl+Z">↶ {t("Undo")}</button>
        <button data-testid="redo" onClick={redo} disabled={!futureSize || !writable} title="Ctrl+Y / Ctrl+Shift+Z">↷ {t("Redo")}</button>
        <button data-testid="fit" onClick={() => flow.fitView({ duration: 200 })}>{t("Fit")}</button>
        <button data-testid="zoom-in" onClick={() => flow.zoomIn()}>＋</button>
        <button data-testid="zoom-out" onClick={() => flow.zoomOut()}>－</button>
        <button data-testid="layout" onClick={layoutAll} disabled={!writable}>{t("Auto layout")}</button>
        <input list="ivr-node-ids" data-testid="find-node" placeholder={t("Find node")} size={14}
          onKeyDown={(e) => { if (e.key === "Enter") findNode((e.target as HTMLInputElement).value.split(" ")[0]); }}
          onChange={(e) => { if (e.target.value in docNodes) findNode(e.target.value); }} />
        <datalist id="ivr-node-ids">{ids.map((id) => <option key={id} value={id}>{docNodes[id]?.label || ""}</option>)}</datalist>
        <span className="spacer" />
        <button data-testid="test-call" className={callOpen ? "active" : ""} onClick={() => setCallOpen(!callOpen)}>☎ {t("Test call")}</button>
        <button data-testid="funnel" className={funnelOpen ? "active" : ""} onClick={() => setFunnelOpen(!funnelOpen)}>▽ {t("Funnel")}</button>
      </div>
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
            addNode(type, { x: at.x - 110, y: at.y - 30 });
          }}>
          <ReactFlow nodes={shown.nodes} edges={shown.edges} nodeTypes={NODE_TYPES} onNodesChange={onNodesChange}
            onNodeDragStop={onNodeDragStop} onConnect={connect} onConnectEnd={onConnectEnd} onReconnect={onReconnect} onEdgesDelete={onEdgesDelete}
            onNodesDelete={(removed) => removeNodes(removed.map((n) => n.id))}
            onNodeClick={(_, node) => setSelected(node.id)} onPaneClick={() => setSelected(null)}
            nodesDraggable={writable} nodesConnectable={writable} edgesReconnectable={writable} elementsSelectable
            deleteKeyCode={writable ? ["Delete", "Backspace"] : null} onlyRenderVisibleElements={ids.length > 200}
            minZoom={0.05} maxZoom={2} proOptions={{ hideAttribution: true }}>
            <Background gap={20} />
            <Controls showInteractive={false} />
            {ids.length <= 400 ? <MiniMap pannable zoomable /> : null}
          </ReactFlow>
          {quick && writable && <QuickAdd at={quick} types={types} t={t} onPick={quickPick} onCancel={() => setQuick(null)} />}
        </div>
        <aside className="ivr-side">
          {funnelOpen && <FunnelPanel ctx={ctx} onData={setFunnel} onClose={() => setFunnelOpen(false)} />}
          {callOpen && (
            <TestCallPanel ctx={ctx} nodes={docNodes} onCurrentNode={setCurrentNode} onClose={() => setCallOpen(false)}
              beforeStart={flush ?? (async () => undefined)} />
          )}
          <section className="properties" data-testid="properties">
            <h3>{t("Properties")}</h3>
            {message && <p className="muted" onClick={() => setMessage(null)}>{message}</p>}
            {selected && selectedNode ? (
              <>
                <div className="node-actions">
                  {mapSpec && <button data-testid="add-option" onClick={addOption} disabled={!writable}>＋ {t("Add menu option")}</button>}{" "}
                  <button data-testid="set-start" onClick={() => edit({ ...latest.current, start: selected })}
                    disabled={!writable || draft?.start === selected}>{t("Set as start")}</button>{" "}
                  <button data-testid="delete-node" className="danger" onClick={() => removeNodes([selected])} disabled={!writable}>
                    {t("Delete node")}</button>
                </div>
                <NodeIdentity id={selected} node={selectedNode} types={types} nodes={docNodes} t={t} writable={writable}
                  onRename={(to) => { edit(renameNode(latest.current, selected, to, specs)); setSelected(to); }}
                  onRetype={(type) => edit(setIn(latest.current, ["nodes", selected],
                    retypeNode(latest.current?.nodes?.[selected], type, typeMap.get(type)?.schema)))} />
                {typeMap.get(selectedNode.type) ? (
                  <PropertyPanel id={selected} node={selectedNode} nodeType={typeMap.get(selectedNode.type)!} nodes={docNodes}
                    ports={ports.get(selected) || []} root={root} findings={byNode.get(selected) || NO_FINDINGS}
                    focusPointer={focusPointer} ctx={ctx} onPromptAdded={onPromptAdded}
                    onChange={(node) => edit(setIn(latest.current, ["nodes", selected], node))} />
                ) : <p className="error">{selectedNode.type}?</p>}
              </>
            ) : (
              <DocumentSettings draft={draft} ids={ids} findings={docFindings} t={t} writable={writable}
                onChange={(key, value) => {
                  const next = { ...latest.current, [key]: value };
                  if (value === undefined) delete next[key];
                  edit(next);
                }} />
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function sameFindings(a: Finding[], b: Finding[]): boolean {
  return a === b || (a.length === b.length && a.every((f, i) => f.pointer === b[i].pointer && f.message === b[i].message));
}
