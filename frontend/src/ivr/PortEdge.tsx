/**
 * An edge drawn orthogonally (horizontal and vertical runs, as layered flowcharts are read), with its label —
 * a menu's digit, 下一步, 兜底 — just under the port it leaves from rather than at the middle of the line:
 * in a fan of a menu's edges a label in the middle sits where several lines cross and reads as the wrong one.
 */
import { memo } from "react";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";

function PortEdgeImpl({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, style,
  selected }: EdgeProps) {
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 4, offset: 18 });
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
