/**
 * Studio's gesture: a connection dragged from a port and dropped on empty canvas opens this list of node
 * types where it was dropped; the chosen type is created there and connected in one step (Escape or a click
 * outside cancels). Queue and lookup also list the tenant's queues and data tables, so the new node comes
 * configured.
 */
import { useEffect, useRef } from "react";
import type { QuickChoice } from "./quickChoices";

export interface QuickAddAt { source: string; handle: string; x: number; y: number }

export function QuickAdd({ at, choices, t, onPick, onCancel }: {
  at: QuickAddAt; choices: QuickChoice[]; t: (s: string) => string; onPick: (choice: QuickChoice) => void; onCancel: () => void;
}) {
  // A finger's tap picks on its pointerup: on a touch screen Chromium sometimes sends no click after a tap on
  // this scrolling list (seen at 390 px and on a 1366x768 touch laptop: pointerdown, touchstart, pointerup,
  // touchend, then nothing). A finger that scrolls the list gets a pointercancel, not a pointerup, so scrolling
  // picks nothing; the click that may follow a tap is ignored (one pick per list).
  const picked = useRef(false);
  const pick = (choice: QuickChoice) => {
    if (picked.current) return;
    picked.current = true;
    onPick(choice);
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => { if (event.key === "Escape") onCancel(); };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  // Kept inside the window: a drop near the bottom or right edge opens the list upwards / leftwards.
  const left = Math.max(4, Math.min(at.x, window.innerWidth - 230));
  // The list scrolls within at most 70% of the window's height (see .quick-add in canvas.css).
  const top = Math.max(4, Math.min(at.y, window.innerHeight - Math.min(window.innerHeight * 0.7, 520) - 8));
  return (
    <div className="quick-add-backdrop" onMouseDown={onCancel}>
      <div className="quick-add" data-testid="quick-add" role="menu" style={{ left, top }}
        onMouseDown={(e) => e.stopPropagation()}>
        <div className="quick-add-title">{t("Add the next step")}</div>
        {choices.map((choice) => (
          <button key={choice.key} role="menuitem" data-testid={`quick-${choice.key}`}
            className={`type-${choice.type} ${choice.sub ? "quick-sub" : ""}`} onClick={() => pick(choice)}
            onPointerUp={(e) => { if (e.pointerType === "touch") pick(choice); }}>
            {choice.sub ? `↳ ${choice.title}` : choice.title}</button>
        ))}
      </div>
    </div>
  );
}
