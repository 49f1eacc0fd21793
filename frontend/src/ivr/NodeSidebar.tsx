/**
 * The properties side panel: the selected node's actions (add a menu option, set as start, delete), its id and
 * type, and its property form; with no node selected, the IVR's own settings.
 */
import { lazy, Suspense } from "react";
import type { EditorContext, Finding } from "../shell/types";
import { freeDigit, setIn, type NodeType, type Port, type PortSpec } from "./graph";
import { DocumentSettings } from "./DocumentSettings";
import { NodeIdentity } from "./NodeIdentity";
import { renameNode, retypeNode, type DefaultNames } from "./nodeEdits";
import type { T } from "./strings";

const NO_FINDINGS: Finding[] = [];

/** The property form and what it brings (rjsf, Ajv, the date pickers, the condition editor: about half the IVR
 * page's JavaScript) is a chunk of its own, so the canvas's first paint does not wait to download and parse it
 * (issue 16, first load of a big IVR). Its download starts as soon as the designer's code runs, beside the
 * document's requests (waiting for an idle moment put it after the first paint, and a first click then waited for
 * it: profiled); a click before it arrived shows "loading" in the panel. */
let panelModule: Promise<typeof import("./PropertyPanel")> | null = null;
function loadPropertyPanel(): Promise<typeof import("./PropertyPanel")> {
  if (!panelModule) {
    panelModule = import("./PropertyPanel");
    panelModule.catch(() => { panelModule = null; });  // a failed download is asked again when the panel is shown
  }
  return panelModule;
}
const PropertyPanel = lazy(() => loadPropertyPanel().then((m) => ({ default: m.PropertyPanel })));
loadPropertyPanel().catch(() => undefined);

export function NodeSidebar({ selected, draft, latest, edit, types, typeMap, specs, ports, byNode, focusPointer, ctx, t,
  message, onMessage, onSelect, onRemove, onPromptAdded, onNodeEdit, onRenamed, defaultNames }: {
  selected: string | null; draft: any; latest: { current: any }; edit: (next: any, group?: string) => void; types: NodeType[];
  typeMap: Map<string, NodeType>; specs: Map<string, PortSpec[]>; ports: Map<string, Port[]>; byNode: Map<string, Finding[]>;
  focusPointer: string | null; ctx: EditorContext; t: T; message: string | null; onMessage: (m: string | null) => void;
  onSelect: (id: string) => void; onRemove: (ids: string[]) => void; onPromptAdded: () => void;
  onNodeEdit: (id: string, before: any, after: any) => any;
  /** Before a node's id changes (its place on the canvas, keyed by id, goes with it). */
  onRenamed: (from: string, to: string) => void;
  /** A retyped node's name follows its type while it is the old type's default. */
  defaultNames?: DefaultNames;
}) {
  const docNodes: Record<string, any> = draft?.nodes || {};
  const ids = Object.keys(docNodes);
  const selectedNode = selected ? docNodes[selected] : undefined;
  const mapSpec = selectedNode ? (specs.get(selectedNode.type) || []).find((s) => s.shape === "map") : undefined;
  const writable = ctx.canWrite;

  const addOption = () => {
    if (!selected || !mapSpec) return;
    const digit = freeDigit(docNodes[selected]?.[mapSpec.prop]);
    if (digit === null) return;
    // The new digit points nowhere yet: the finding on it tells the user to connect it.
    edit(setIn(latest.current, ["nodes", selected, mapSpec.prop, digit], ""));
  };

  return (
    <section className="properties" data-testid="properties">
      <h3>{t("Properties")}</h3>
      {message && <p className="muted" data-testid="canvas-message" onClick={() => onMessage(null)}>{message}</p>}
      {selected && selectedNode ? (
        <>
          <div className="node-actions">
            {mapSpec && <button data-testid="add-option" onClick={addOption} disabled={!writable}>＋ {t("Add menu option")}</button>}{" "}
            <button data-testid="set-start" onClick={() => edit({ ...latest.current, start: selected })}
              disabled={!writable || draft?.start === selected}>{t("Set as start")}</button>{" "}
            <button data-testid="delete-node" className="danger" onClick={() => onRemove([selected])} disabled={!writable}>
              {t("Delete node")}</button>
          </div>
          <NodeIdentity id={selected} node={selectedNode} types={types} nodes={docNodes} t={t} writable={writable}
            onRename={(to) => { onRenamed(selected, to); edit(renameNode(latest.current, selected, to, specs)); onSelect(to); }}
            onRetype={(type) => edit(setIn(latest.current, ["nodes", selected],
              retypeNode(latest.current?.nodes?.[selected], type, typeMap.get(type)?.schema, defaultNames)))} />
          {typeMap.get(selectedNode.type) ? (
            <Suspense fallback={<p className="muted" data-testid="properties-loading">{t("Loading…")}</p>}>
            <PropertyPanel id={selected} node={selectedNode} nodeType={typeMap.get(selectedNode.type)!} nodes={docNodes}
              ports={ports.get(selected) || []} root={ctx.schema} findings={byNode.get(selected) || NO_FINDINGS}
              focusPointer={focusPointer} ctx={ctx} onPromptAdded={onPromptAdded}
              onChange={(node) => {
                const before = latest.current?.nodes?.[selected];
                // Typing into one field is one undo step: edits of the same node's same fields are grouped.
                const fields = Object.keys({ ...before, ...node }).filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(node?.[k]))
                  .filter((k) => k !== "label").sort().join(",");
                edit(setIn(latest.current, ["nodes", selected], onNodeEdit(selected, before, node)), `node:${selected}:${fields}`);
              }} />
            </Suspense>
          ) : <p className="error">{selectedNode.type}?</p>}
        </>
      ) : (
        <DocumentSettings draft={draft} ids={ids} findings={byNode.get("") || NO_FINDINGS} t={t} writable={writable}
          onChange={(key, value) => {
            const next = { ...latest.current, [key]: value };
            if (value === undefined) delete next[key];
            edit(next);
          }} />
      )}
    </section>
  );
}
