/**
 * Studio's gesture: a connection dragged from a port and dropped on empty canvas opens this list of node
 * types where it was dropped; the chosen type is created there and connected in one step (Escape or a click
 * outside cancels).
 */
import { useEffect } from "react";
import type { NodeType } from "./graph";

export interface QuickAddAt { source: string; handle: string; x: number; y: number }

export function QuickAdd({ at, types, t, onPick, onCancel }: {
  at: QuickAddAt; types: NodeType[]; t: (s: string) => string; onPick: (type: string) => void; onCancel: () => void;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => { if (event.key === "Escape") onCancel(); };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="quick-add-backdrop" onMouseDown={onCancel}>
      <div className="quick-add" data-testid="quick-add" role="menu" style={{ left: at.x, top: at.y }}
        onMouseDown={(e) => e.stopPropagation()}>
        <div className="quick-add-title">{t("Add the next step")}</div>
        {types.map((type) => (
          <button key={type.type} role="menuitem" data-testid={`quick-${type.type}`} className={`type-${type.type}`}
            title={type.description} onClick={() => onPick(type.type)}>{t(type.title)}</button>
        ))}
      </div>
    </div>
  );
}
