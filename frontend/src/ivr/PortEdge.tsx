/**
 * An edge drawn orthogonally (horizontal and vertical runs, as layered flowcharts are read), with its label —
 * a menu's digit, 下一步, 兜底 — just under the port it leaves from rather than at the middle of the line:
 * in a fan of a menu's edges a label in the middle sits where several lines cross and reads as the wrong one.
 */
import { memo } from "react";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";

/** The first lane turns this far below its port (room for the label), each next one LANE_STEP further. */
const FIRST_LANE = 26;
const LANE_STEP = 12;
/** A line turns at least this far above the box it enters, so its last stretch reads as entering it. */
const ABOVE_TARGET = 14;

/** Where an edge leaving its node's `lane`-th connected port runs horizontally, when its target is below: lanes
 * of one node differ, so the lines of a fan never overlap; squeezed evenly when the target is close. */
function laneY(sourceY: number, targetY: number, lane: number): number | undefined {
  const room = targetY - ABOVE_TARGET - sourceY;
  if (room <= FIRST_LANE) return undefined;  // target level with or above the port: React Flow routes around
  const wanted = FIRST_LANE + lane * LANE_STEP;
  return sourceY + (wanted <= room ? wanted : FIRST_LANE + ((wanted - FIRST_LANE) % Math.max(1, room - FIRST_LANE)));
}

function PortEdgeImpl({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style,
  selected, data }: EdgeProps) {
  const lane = typeof data?.lane === "number" ? data.lane : 0;
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 4,
    offset: 18, centerY: laneY(sourceY, targetY, lane) });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} />
      {label ? (
        <EdgeLabelRenderer>
          <div className={`port-edge-label nodrag nopan ${selected ? "selected" : ""}`} data-testid="edge-label" data-edge={id}
            style={{ transform: `translate(-50%, 0) translate(${sourceX}px, ${sourceY + 4}px)` }}>{label}</div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const PortEdge = memo(PortEdgeImpl);
