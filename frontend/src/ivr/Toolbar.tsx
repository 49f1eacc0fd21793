/**
 * The canvas toolbar: undo/redo, view, re-layout, search for a node (by name or id: it is centred and
 * selected), the keyboard shortcuts' help, the test call and funnel toggles. On a narrow screen (a phone) it
 * keeps one row: undo, redo, the search and an antd Dropdown "更多" holding the other actions (toolbar.css
 * shows one or the other by the studio's data-layout; the row wrapped to three rows at 390 px).
 */
import { useState, type RefObject } from "react";
import { Button, Dropdown, type MenuProps } from "antd";
import { fill, type T } from "./strings";
import "./toolbar.css";

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
  // The narrow layout's overflow: the same actions as the wide row's buttons, in the same order.
  const more: MenuProps["items"] = [
    { key: "fit", label: t("Fit"), onClick: onFit },
    { key: "zoom-in", label: `＋ ${t("Zoom in")}`, onClick: onZoomIn },
    { key: "zoom-out", label: `－ ${t("Zoom out")}`, onClick: onZoomOut },
    { key: "layout", label: t("Auto layout"), disabled: !writable, onClick: onLayout },
    { key: "layout-all", label: t("Re-layout all"), disabled: !writable, onClick: onLayoutAll },
    { key: "shortcuts", label: `⌨ ${t("Shortcuts")}`, onClick: () => setHelp(true) },
    { type: "divider" },
    // test ids: a click on them opens the property drawer the panels are drawn in (DocumentPage's onWorkspaceClick)
    { key: "test-call", label: <span data-testid="more-test-call">☎ {t("Test call")}</span>, onClick: onCall },
    { key: "funnel", label: <span data-testid="more-funnel">▽ {t("Funnel")}</span>, onClick: onFunnel },
  ];
  return (
    <div className="ivr-toolbar">
      <button data-testid="undo" onClick={onUndo} disabled={!canUndo || !writable} title="Ctrl+Z">↶ {t("Undo")}</button>
      <button data-testid="redo" onClick={onRedo} disabled={!canRedo || !writable} title="Ctrl+Y / Ctrl+Shift+Z">↷ {t("Redo")}</button>
      <button data-testid="fit" className="tb-wide" onClick={onFit}>{t("Fit")}</button>
      <button data-testid="zoom-in" className="tb-wide" onClick={onZoomIn}>＋</button>
      <button data-testid="zoom-out" className="tb-wide" onClick={onZoomOut}>－</button>
      <button data-testid="layout" className="tb-wide" onClick={onLayout} disabled={!writable} title={t("Lay out new nodes; the ones you moved stay")}>{t("Auto layout")}</button>
      <button data-testid="layout-all" className="tb-wide" onClick={onLayoutAll} disabled={!writable} title={t("Re-lay out every node, moved ones too")}>{t("Re-layout all")}</button>
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
        <button data-testid="shortcuts" className="tb-wide" aria-expanded={help} onClick={() => setHelp(!help)} title={t("Keyboard shortcuts")}>⌨ {t("Shortcuts")}</button>
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
      <span className="spacer tb-wide" />
      <button data-testid="test-call" className={`tb-wide${callOpen ? " active" : ""}`} onClick={onCall}>☎ {t("Test call")}</button>
      <button data-testid="funnel" className={`tb-wide${funnelOpen ? " active" : ""}`} onClick={onFunnel}>▽ {t("Funnel")}</button>
      <Dropdown menu={{ items: more }} trigger={["click"]} placement="bottomRight">
        <Button size="small" className="tb-narrow" data-testid="toolbar-more">{t("More")}</Button>
      </Dropdown>
    </div>
  );
}
