/** Findings shown where they point, and scrolling to the finding the user clicked.
 *
 * Every place an editor can show a finding is an <Anchor at={pointer}> (a DOM element with
 * data-pointer). After each render the frame collects the anchors actually on screen and gives each
 * finding to the anchor with the longest pointer that is its prefix: a finding inside a collapsed card
 * shows on the card, one the editor has no input for shows on the nearest section, never nowhere.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import type { Finding } from "../../shell/types";
import { ancestors, within } from "./pointer";

type Placed = Record<string, Finding[]>;

const PlacedContext = createContext<Placed>({});

function place(findings: Finding[], anchors: Set<string>): Placed {
  const out: Placed = {};
  for (const f of findings) {
    const at = ancestors(f.pointer ?? "").find((p) => anchors.has(p)) ?? "";
    (out[at] ??= []).push(f);
  }
  return out;
}

function anchorsIn(root: HTMLElement): Map<string, HTMLElement> {
  const out = new Map<string, HTMLElement>();
  root.querySelectorAll<HTMLElement>("[data-pointer]").forEach((el) => {
    if (!out.has(el.dataset.pointer!)) out.set(el.dataset.pointer!, el);
  });
  return out;
}

interface FrameProps {
  findings: Finding[];
  focusPointer: string | null;
  disabled: boolean;
  className?: string;
  children: ReactNode;
}

/** The root of an editor: places findings, scrolls to and highlights focusPointer, disables inputs
 * for read-only users (one fieldset instead of a disabled flag on every input). */
export function EditorFrame({ findings, focusPointer, disabled, className, children }: FrameProps) {
  const root = useRef<HTMLFieldSetElement>(null);
  const [placed, setPlaced] = useState<Placed>({});
  const key = useRef("");

  const recompute = useCallback(() => {
    if (!root.current) return;
    const next = place(findings, new Set(anchorsIn(root.current).keys()));
    const nextKey = JSON.stringify(next);
    if (nextKey !== key.current) {
      key.current = nextKey;
      setPlaced(next);
    }
  }, [findings]);

  useLayoutEffect(recompute);

  useEffect(() => {
    if (!root.current) return;
    // Child components open and close cards on their own state: re-place when anchors come and go.
    const observer = new MutationObserver(recompute);
    observer.observe(root.current, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [recompute]);

  useEffect(() => {
    if (focusPointer == null || !root.current) return;
    // Wait for editors to open the card/field the pointer lies in (they do so in their own effects).
    const timer = window.setTimeout(() => {
      const anchors = anchorsIn(root.current!);
      const at = ancestors(focusPointer).find((p) => anchors.has(p));
      const el = at === undefined ? undefined : anchors.get(at);
      if (!el) return;
      root.current!.querySelectorAll(".ed-focus").forEach((e) => e.classList.remove("ed-focus"));
      el.classList.add("ed-focus");
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      el.querySelector<HTMLElement>("input, select, textarea")?.focus({ preventScroll: true });
    }, 60);
    return () => window.clearTimeout(timer);
  }, [focusPointer]);

  return (
    <PlacedContext.Provider value={placed}>
      <fieldset ref={root} className={`ed-frame ${className ?? ""}`} disabled={disabled} data-pointer="">
        <FindingNotes at="" />
        {children}
      </fieldset>
    </PlacedContext.Provider>
  );
}

/** The findings placed at exactly this pointer. */
export function FindingNotes({ at }: { at: string }) {
  const placed = useContext(PlacedContext)[at];
  if (!placed?.length) return null;
  return (
    <ul className="ed-findings">
      {placed.map((f, i) => (
        <li key={i} className={`ed-finding ed-${f.severity}`} data-testid="field-finding" data-code={f.code}>
          {f.message}
        </li>
      ))}
    </ul>
  );
}

/** True when a finding is placed at this pointer (to mark an input or a card as faulty). */
export function useHasFinding(at: string): "error" | "warning" | null {
  const placed = useContext(PlacedContext)[at];
  if (!placed?.length) return null;
  return placed.some((f) => f.severity === "error") ? "error" : "warning";
}

interface AnchorProps {
  at: string;
  className?: string;
  testid?: string;
  children?: ReactNode;
  as?: "div" | "section" | "li";
  /** Findings above the children (sections and cards) instead of below (inputs). */
  notesFirst?: boolean;
}

/** A place findings can show: its children, then the findings placed here. */
export function Anchor({ at, className, testid, children, as = "div", notesFirst }: AnchorProps) {
  const severity = useHasFinding(at);
  const Tag = as;
  return (
    <Tag data-pointer={at} data-testid={testid}
         className={`${className ?? ""}${severity ? ` ed-has-${severity}` : ""}`}>
      {notesFirst ? <FindingNotes at={at} /> : null}
      {children}
      {notesFirst ? null : <FindingNotes at={at} />}
    </Tag>
  );
}

/** Findings anywhere under a pointer (for the count badge on a collapsed card). */
export function countUnder(findings: Finding[], prefix: string): number {
  return findings.filter((f) => within(f.pointer, prefix)).length;
}
