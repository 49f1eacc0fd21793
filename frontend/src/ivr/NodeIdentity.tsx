/**
 * The selected node's id and type, both changeable: a new id is checked (machine name, unused) and every
 * link to the node follows it; a new type keeps the name, note, position and the fields both types share.
 */
import { useEffect, useState } from "react";
import type { NodeType } from "./graph";
import { idProblem } from "./nodeEdits";

export function NodeIdentity({ id, node, types, nodes, t, writable, onRename, onRetype }: {
  id: string; node: any; types: NodeType[]; nodes: Record<string, unknown>; t: (s: string) => string;
  writable: boolean; onRename: (to: string) => void; onRetype: (type: string) => void;
}) {
  const [wanted, setWanted] = useState(id);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => { setWanted(id); setProblem(null); }, [id]);
  const rename = () => {
    const to = wanted.trim();
    if (to === id) return;
    const why = idProblem(to, nodes, id);
    setProblem(why && t(why));
    if (!why) onRename(to);
  };
  return (
    <div className="node-identity">
      <span className="muted">{t("Node id")}: <code data-testid="node-id-current">{id}</code></span>
      {writable && (
        <span className="rename">
          <input data-testid="node-id" value={wanted} size={14} aria-label={t("New node id")}
            onChange={(e) => setWanted(e.target.value)} onKeyDown={(e) => { if (e.key === "Enter") rename(); }} />{" "}
          <button type="button" data-testid="rename-node" onClick={rename} disabled={wanted.trim() === id}>{t("Rename")}</button>
        </span>
      )}
      {problem && <p className="error" data-testid="node-id-problem">{problem}</p>}
      <label className="node-type">{t("Node type")}{" "}
        <select data-testid="node-type" value={node?.type || ""} disabled={!writable}
          onChange={(e) => { if (e.target.value !== node?.type) onRetype(e.target.value); }}>
          {types.map((type) => <option key={type.type} value={type.type}>{t(type.title)}</option>)}
        </select>
      </label>
    </div>
  );
}
