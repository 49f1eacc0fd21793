/**
 * The selected node's id and type, both changeable: a new id is checked (machine name, unused) and every
 * link to the node follows it; a new type keeps the name, note, position and the fields both types share.
 * antd form items, so a refused id is shown the way every other field's problem is (red box, words under it).
 */
import { Button, Form, Input, Select, Space } from "antd";
import { useEffect, useMemo, useState } from "react";
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
  const typeOptions = useMemo(() => types.map((type) => ({ value: type.type, label: t(type.title) })), [types, t]);
  return (
    <Form layout="vertical" size="small" component="div" className="node-identity">
      <Form.Item label={<>{t("Node id")}: <code data-testid="node-id-current">{id}</code></>} htmlFor="node-id"
        validateStatus={problem ? "error" : undefined}
        help={problem ? <span data-testid="node-id-problem">{problem}</span> : undefined}>
        {writable && (
          <Space.Compact block>
            <Input id="node-id" data-testid="node-id" value={wanted} aria-label={t("New node id")}
              onChange={(e) => setWanted(e.target.value)} onPressEnter={rename} />
            <Button data-testid="rename-node" onClick={rename} disabled={wanted.trim() === id}>{t("Rename")}</Button>
          </Space.Compact>
        )}
      </Form.Item>
      <Form.Item label={t("Node type")} htmlFor="node-type">
        <Select id="node-type" data-testid="node-type" value={node?.type || undefined} disabled={!writable} showSearch
          optionFilterProp="label" options={typeOptions} popupMatchSelectWidth={false}
          onChange={(type: string) => { if (type !== node?.type) onRetype(type); }} />
      </Form.Item>
    </Form>
  );
}
