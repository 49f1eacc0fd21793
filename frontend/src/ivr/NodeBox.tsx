/** One IVR node on the canvas: type, id, label, what it says, a badge when it has findings, one handle per port. */
import { memo, useContext, useEffect, useRef } from "react";
import { Handle, Position, useUpdateNodeInternals, type NodeHandle, type NodeProps } from "@xyflow/react";
import type { Finding } from "../shell/types";
import type { Port } from "./graph";
import { portText } from "./graph";
import { FoldContext } from "./subflows";
import { QUOTE_MAX, ShortText } from "../shell/ShortText";

export interface IvrNodeData extends Record<string, unknown> {
  id: string; node: any; typeTitle: string; ports: Port[]; findings: Finding[]; isStart: boolean; isFallback: boolean;
  current: boolean; t: (s: string) => string;
  /** What the box says under its name, resources by their labels (graph.ts `summary`). */
  summary: string;
  /** One "new entry" port per map of targets (a menu's ＋): a connection from it adds the next free digit. */
  addPorts?: string[];
}

function NodeBoxImpl({ data, selected }: NodeProps) {
  const d = data as IvrNodeData;
  // React Flow measures a node's handles when the node mounts or resizes; a port added to a box whose size
  // does not change (a new menu digit, a palette node's first render) would stay unknown to it, and a
  // connection dropped from it fails silently. Re-measure whenever the set of ports changes.
  const updateNodeInternals = useUpdateNodeInternals();
  const adds = d.addPorts || [];
  const handles = [...d.ports.map((port) => port.handle), ...adds].join("\u0001");
  const slots = d.ports.length + adds.length;
  // Not on mount: React Flow measures a new box's handles itself, and a thousand boxes each asking on mount made
  // every box re-render a thousand times (a 1,000-node IVR never finished its first render).
  const measuredHandles = useRef(handles);
  useEffect(() => {
    if (measuredHandles.current === handles) return;
    measuredHandles.current = handles;
    updateNodeInternals(d.id);
  }, [handles, d.id, updateNodeInternals]);
  const fold = useContext(FoldContext);
  const isFolded = fold.folded.has(d.id);
  const errors = d.findings.filter((f) => f.severity === "error").length;
  const warnings = d.findings.length - errors;
  return (
    <div className={`ivr-node type-${d.node?.type} ${selected ? "selected" : ""} ${d.current ? "current-node" : ""} ${errors ? "has-error" : ""}`}
      title={d.findings.map((f) => f.message).join("\n")}>
      <Handle type="target" position={Position.Top} id="in" />
      <div className="ivr-node-head">
        <span className="ivr-type">{d.typeTitle}</span>
        {d.isStart && <span className="tag start">{d.t("start")}</span>}
        {d.isFallback && <span className="tag fallback">{d.t("Fallback")}</span>}
        {errors > 0 && <span className="node-error" data-testid="node-error">{errors}</span>}
        {!errors && warnings > 0 && <span className="node-warning" data-testid="node-warning">{warnings}</span>}
        {d.ports.some((p) => p.target) && (
          <button type="button" className="fold-toggle nodrag" data-testid="fold" aria-expanded={!isFolded}
            title={d.t(isFolded ? "Expand the branch" : "Fold the branch into this box")}
            onClick={(e) => { e.stopPropagation(); fold.toggle(d.id); }}>{isFolded ? "▸" : "▾"}</button>
        )}
      </div>
      <div className="ivr-node-label"><ShortText text={d.node?.label || d.id} max={QUOTE_MAX} /></div>
      <div className="ivr-node-id">{d.id}</div>
      {/* Clamped to two lines (canvas.css) and always two lines high, so a long prompt neither runs over the port
          labels nor pushes the ports (the menu's ＋) down; the whole text on hover, as text (React sets `title`). */}
      <div className="ivr-node-summary" data-testid="node-summary" title={d.summary || undefined}>{d.summary}</div>
      {isFolded && (
        <div className="folded-note" data-testid="folded-note">
          {d.t("{n} nodes folded").replace("{n}", String(fold.counts.get(d.id) ?? 0))}</div>
      )}
      <div className="ivr-ports">
        {d.ports.map((port, i) => (
          // The port's one label (its edge carries none): 下一步, a menu's digit. Red only when the schema requires
          // a target it lacks; an optional port left open (出错时, 通话结束后) is no error and is drawn neutral.
          <div key={port.handle} className={`ivr-port ${port.target ? "linked" : port.required ? "dangling" : "open"}`}
            data-testid="port" data-handle={port.handle}
            style={{ left: `${((i + 1) / (slots + 1)) * 100}%` }} title={port.target ? `→ ${port.target}` : d.t("no target")}>
            <span className="ivr-port-label">{portText(port, d.t)}</span>
            <Handle type="source" position={Position.Bottom} id={port.handle} />
          </div>
        ))}
        {adds.map((handle, i) => (
          <div key={handle} className="ivr-port add-port" data-testid="add-port"
            style={{ left: `${((d.ports.length + i + 1) / (slots + 1)) * 100}%` }} title={d.t("Drag to add a menu option and connect it")}>
            <span className="ivr-add-label">＋</span>
            <Handle type="source" position={Position.Bottom} id={handle} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const NodeBox = memo(NodeBoxImpl);

/** Handle sizes as drawn (canvas CSS: a port's 9 px dot, React Flow's 6 px input, each with a 1 px border). */
const PORT_DOT = 11;
const INPUT_DOT = 8;

/**
 * Where a box's handles are, computed from its ports the way the box lays them out (evenly along its bottom edge,
 * the input at the middle of its top), for a box React Flow has not drawn yet. Given to React Flow, a box with
 * known handles is drawn only once it is in view (`onlyRenderVisibleElements`); without them React Flow draws and
 * measures every box of a 1,000-node IVR before the first paint.
 */
export function handlesOf(ports: Port[], adds: string[], width: number, height: number): NodeHandle[] {
  const slots = ports.length + adds.length;
  const out: NodeHandle[] = [{ id: "in", type: "target", position: Position.Top, x: width / 2 - INPUT_DOT / 2,
    y: -INPUT_DOT / 2, width: INPUT_DOT, height: INPUT_DOT }];
  [...ports.map((p) => p.handle), ...adds].forEach((id, i) => {
    out.push({ id, type: "source", position: Position.Bottom, x: ((i + 1) / (slots + 1)) * width - PORT_DOT / 2,
      y: height - PORT_DOT / 2, width: PORT_DOT, height: PORT_DOT });
  });
  return out;
}
