/**
 * What a node created by Studio's gesture (a port dropped on empty canvas) starts with, so it rarely needs a
 * second visit: a queue node can be picked already pointing at one of the tenant's queues, a lookup at one of
 * its data tables (and keyed by what the collect node before it gathered); a node dropped on a port that
 * already led somewhere is inserted in between (its first exit takes the old target).
 */
import type { DesignerContext } from "../shell/types";
import { setIn, type NodeType, type PortSpec } from "./graph";
import type { T } from "./strings";

export interface QuickChoice {
  /** data-testid suffix: the type, or "<type>-<resource>" for a preset. */
  key: string; type: string; title: string; preset: Record<string, unknown>; label?: string; sub?: boolean;
}

/** Each node type, and under queue and lookup one entry per queue / data table of the tenant. */
export function quickChoices(types: NodeType[], context: Partial<DesignerContext> & { data_tables?: DataTableRef[] }, t: T): QuickChoice[] {
  const out: QuickChoice[] = [];
  for (const type of types) {
    out.push({ key: type.type, type: type.type, title: t(type.title), preset: {} });
    if (type.type === "queue") {
      for (const q of (context.queues || []).slice(0, 30)) {
        out.push({ key: `queue-${q.name}`, type: "queue", title: q.title || q.name, preset: { queue: q.name }, label: q.title || q.name, sub: true });
      }
    }
    if (type.type === "lookup") {
      for (const table of (context.data_tables || []).slice(0, 30)) {
        out.push({ key: `lookup-${table.name}`, type: "lookup", title: table.title || table.name, preset: { source: { table: table.name } },
          label: `${t("Look up")} ${table.title || table.name}`, sub: true });
      }
    }
  }
  return out;
}

export interface DataTableRef { name: string; title: string; key_label?: string; columns?: string[] }

/** The new node's fields that follow from where it was dropped: a lookup after a collect node is keyed by the
 * collected variable; a node inserted on a port that led somewhere leads there itself (first single exit). */
export function fromSource(node: any, specs: PortSpec[], source: any, oldTarget: string | null): any {
  let out = node;
  if (node.type === "lookup" && !node.key && source?.type === "collect" && typeof source.variable === "string" && source.variable) {
    out = { ...out, key: `{{${source.variable}}}` };
  }
  const exit = specs.find((s) => s.shape === "single");
  if (oldTarget && exit && !out[exit.prop]) out = setIn(out, [exit.prop], oldTarget);
  return out;
}
