/**
 * An edge drawn orthogonally (horizontal and vertical runs, as layered flowcharts are read) and routed around the
 * boxes in its way (`route.ts`; a line under a box was hidden by it). The port's name — a menu's digit, 下一步 —
 * is drawn once, in the box at the port (NodeBox); an edge has a label of its own only for an overlay (the
 * funnel's counts), just under the port it leaves from rather than at the middle of the line.
 *
 * The label goes into React Flow's edge-label layer through a portal, like `EdgeLabelRenderer` does, but the
 * layer is found once per canvas (`EdgeLabelLayer`) rather than by every edge: `EdgeLabelRenderer` subscribes
 * each edge to the store with a `querySelector` over the whole canvas, so on a 1,000-node IVR every store update
 * (each measured box, each drag step) ran a thousand DOM queries — most of the 20-30 s before the first click.
 */
import { createContext, memo, useContext, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";
import { BaseEdge, useStore, type EdgeProps } from "@xyflow/react";
import { BoxIndexStore, prepareRoute, routeQueue, routeStamp, SYNC_CELLS, svgPath, type Point } from "./route";

/** The boxes on the canvas (placed and measured), for routing edges around them. */
export const BoxIndexContext = createContext<BoxIndexStore>(new BoxIndexStore());

/** The canvas's edge-label layer (a DOM element), provided around the `ReactFlow` that holds the edges. */
export const EdgeLabelLayerContext = createContext<HTMLElement | null>(null);

/** Placed inside `ReactFlow`: reports its edge-label layer once the canvas is in the DOM. */
export function EdgeLabelLayer({ onLayer }: { onLayer: (layer: HTMLElement | null) => void }) {
  const domNode = useStore((s) => s.domNode);
  useEffect(() => {
    onLayer(domNode?.querySelector<HTMLElement>(".react-flow__edgelabel-renderer") ?? null);
  }, [domNode, onLayer]);
  return null;
}

/** The first lane turns this far below its port (room for the label), each next one LANE_STEP further. */
const FIRST_LANE = 26;
const LANE_STEP = 12;
/** A line turns at least this far above the box it enters, so its last stretch reads as entering it. */
const ABOVE_TARGET = 14;

/** Where an edge leaving its node's `lane`-th connected port runs horizontally, when its target is below: lanes
 * of one node differ, so the lines of a fan never overlap; squeezed evenly when the target is close. */
function laneY(sourceY: number, targetY: number, lane: number): number {
  const room = targetY - ABOVE_TARGET - sourceY;
  if (room <= FIRST_LANE) return sourceY + FIRST_LANE;  // target level with or above the port: routed around
  const wanted = FIRST_LANE + lane * LANE_STEP;
  return sourceY + (wanted <= room ? wanted : FIRST_LANE + ((wanted - FIRST_LANE) % Math.max(1, room - FIRST_LANE)));
}

function PortEdgeImpl({ id, source, target, sourceX, sourceY, targetX, targetY, label, markerEnd, style,
  selected, data }: EdgeProps) {
  const layer = useContext(EdgeLabelLayerContext);
  const store = useContext(BoxIndexContext);
  const lane = typeof data?.lane === "number" ? data.lane : 0;
  // Re-rendered by a new box index only when a box near this edge changed (its stamp).
  const stamp = useSyncExternalStore(store.subscribe,
    () => routeStamp({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }, store.current));
  const job = useMemo(() => prepareRoute({ x: sourceX, y: sourceY }, { x: targetX, y: targetY },
    laneY(sourceY, targetY, lane), store.current, [source, target]),
  // eslint-disable-next-line react-hooks/exhaustive-deps
  [sourceX, sourceY, targetX, targetY, lane, stamp, store, source, target]);
  // A small search runs now; a big one (a long edge across a 1,000-node IVR) after the paint, the lane route
  // drawn until then.
  const now = useMemo(() => job.points ?? (job.size <= SYNC_CELLS ? job.run() : null), [job]);
  const [later, setLater] = useState<{ key: string; points: Point[] } | null>(null);
  useEffect(() => {
    if (now) return undefined;
    return routeQueue.ask(job, (points) => setLater({ key: job.key, points }));
  }, [job, now]);
  const points = now ?? (later?.key === job.key ? later.points : job.plain);
  const path = useMemo(() => svgPath(points), [points]);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      {label && layer ? createPortal(
        <div className={`port-edge-label nodrag nopan ${selected ? "selected" : ""}`} data-testid="edge-label" data-edge={id}
          style={{ transform: `translate(-50%, 0) translate(${sourceX}px, ${sourceY + 4}px)` }}>{label}</div>,
        layer) : null}
    </>
  );
}

export const PortEdge = memo(PortEdgeImpl);
