/**
 * The canvas toolbar: undo/redo, view, re-layout, search for a node (by name or id: it is centred and
 * selected), the keyboard shortcuts' help, the test call and funnel toggles.
 */
import { useState, type RefObject } from "react";
import { fill, type T } from "./strings";

export const SHORTCUTS: [string, string][] = [
  ["Delete / Backspace", "Delete the selected nodes"],
  ["Ctrl+C", "Copy the selected nodes"],
  ["Ctrl+V", "Paste (ids renamed when taken)"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Shift+Z / Ctrl+Y", "Redo"],
  ["Ctrl+F", "Find a node"],
  ["Shift+click or Shift+drag", "Select several nodes"],
];

export function Toolbar({ t, writable, canUndo, canRedo, onUndo, onRedo, onFit, onZoomIn, onZoomOut, onLayout, onLayoutAll, nodes,
  onFind, findRef, callOpen, onCall, funnelOpen, onFunnel }: {
  t: T; writable: boolean; canUndo: boolean; canRedo: boolean; onUndo: () => void; onRedo: () => void; onFit: () => void;
  onZoomIn: () => void; onZoomOut: () => void; onLayout: () => void; onLayoutAll: () => void; nodes: Record<string, any>;
  onFind: (query: string) => boolean; findRef: RefObject<HTMLInputElement | null>;
  callOpen: boolean; onCall: () => void; funnelOpen: boolean; onFunnel: () => void;
}) {
  const [help, setHelp] = useState(false);
  const [missed, setMissed] = useState<string | null>(null);
  const ids = Object.keys(nodes);
  const find = (query: string) => setMissed(onFind(query) || !query.trim() ? null : query.trim());
  return (
    <div className="ivr-toolbar">
      <button data-testid="undo" onClick={onUndo} disabled={!canUndo || !writable} title="Ctrl+Z">↶ {t("Undo")}</button>
      <button data-testid="redo" onClick={onRedo} disabled={!canRedo || !writable} title="Ctrl+Y / Ctrl+Shift+Z">↷ {t("Redo")}</button>
      <button data-testid="fit" onClick={onFit}>{t("Fit")}</button>
      <button data-testid="zoom-in" onClick={onZoomIn}>＋</button>
      <button data-testid="zoom-out" onClick={onZoomOut}>－</button>
      <button data-testid="layout" onClick={onLayout} disabled={!writable} title={t("Lay out new nodes; the ones you moved stay")}>{t("Auto layout")}</button>
      <button data-testid="layout-all" onClick={onLayoutAll} disabled={!writable} title={t("Re-lay out every node, moved ones too")}>{t("Re-layout all")}</button>
      <input ref={findRef} list="ivr-node-ids" data-testid="find-node" placeholder={t("Find node (name or id)")} size={18}
        maxLength={200} title="Ctrl+F" aria-label={t("Find a node")}
        onKeyDown={(e) => { if (e.key === "Enter") find((e.target as HTMLInputElement).value); }}
        onChange={(e) => { setMissed(null); if (e.target.value in nodes || /\)$/.test(e.target.value)) find(e.target.value); }} />
      {/* Suggestions read "label (id)"; ids are capped so a 1,000-node tree does not build a huge list. */}
      <datalist id="ivr-node-ids">
        {ids.slice(0, 2000).map((id) => <option key={id} value={nodes[id]?.label ? `${nodes[id].label} (${id})` : id} />)}
      </datalist>
      {missed && <span className="error" data-testid="find-missed">{fill(t("No node matches \u201c{q}\u201d"), { q: missed })}</span>}
      <span className="help-anchor">
        <button data-testid="shortcuts" aria-expanded={help} onClick={() => setHelp(!help)} title={t("Keyboard shortcuts")}>⌨ {t("Shortcuts")}</button>
        {help && (
          <div className="shortcut-help" data-testid="shortcut-help" role="dialog" aria-label={t("Keyboard shortcuts")}>
            <strong>{t("Keyboard shortcuts")}</strong>
            <table><tbody>
              {SHORTCUTS.map(([keys, what]) => <tr key={keys}><td><kbd>{t(keys)}</kbd></td><td>{t(what)}</td></tr>)}
            </tbody></table>
            <button onClick={() => setHelp(false)}>{t("Close")}</button>
          </div>
        )}
      </span>
      <span className="spacer" />
      <button data-testid="test-call" className={callOpen ? "active" : ""} onClick={onCall}>☎ {t("Test call")}</button>
      <button data-testid="funnel" className={funnelOpen ? "active" : ""} onClick={onFunnel}>▽ {t("Funnel")}</button>
    </div>
  );
}
