/** The visual condition builder: comparisons (field, operator, value) inside nested all/any groups. */
import type { FieldRef } from "../../../shell/types";
import { Anchor } from "../findings";
import { useT } from "../env";
import { join } from "../pointer";
import { CondSelect } from "./CondSelect";
import { FieldPicker } from "./FieldPicker";
import { OPS, convertValue, defaultValue, newComparison, opsFor, outOfBounds } from "./model";
import type { Comparison, Condition, Op } from "./model";
import { ValueInput } from "./ValueInput";

interface Props {
  value: Condition | undefined;
  at: string;
  fields: FieldRef[];
  onChange: (next: Condition | undefined) => void;
  /** What an absent condition means here ("always", "no branch"). */
  emptyText?: string;
}

export function ConditionEditor({ value, at, fields, onChange, emptyText }: Props) {
  const t = useT();
  if (value === undefined) {
    return (
      <Anchor at={at} className="ed-condition ed-condition-empty">
        <span className="ed-hint">{emptyText ?? t("Always (no condition)")}</span>
        <button type="button" className="ed-button" data-testid="add-condition"
                onClick={() => onChange(newComparison(fields))}>+ {t("Add condition")}</button>
      </Anchor>
    );
  }
  return <NodeEditor node={value} at={at} fields={fields} onChange={onChange} onRemove={() => onChange(undefined)} root />;
}

interface NodeProps {
  node: Condition;
  at: string;
  fields: FieldRef[];
  onChange: (next: Condition) => void;
  onRemove: () => void;
  root?: boolean;
}

function NodeEditor({ node, at, fields, onChange, onRemove, root }: NodeProps) {
  const t = useT();
  if ("not" in node) {
    return (
      <Anchor at={at} className="ed-condition ed-not" notesFirst>
        <div className="ed-group-head">
          <strong>{t("None of this holds:")}</strong>
          <button type="button" className="ed-link" onClick={() => onChange(node.not)}>{t("Remove negation")}</button>
        </div>
        <NodeEditor node={node.not} at={join(at, "not")} fields={fields}
                    onChange={(inner) => onChange({ not: inner })} onRemove={onRemove} />
      </Anchor>
    );
  }
  if ("all" in node || "any" in node) {
    return <GroupEditor node={node} at={at} fields={fields} onChange={onChange} onRemove={onRemove} />;
  }
  return (
    <div className="ed-condition-root">
      <ComparisonRow node={node as Comparison} at={at} fields={fields} onChange={onChange} onRemove={onRemove} />
      {root ? (
        <div className="ed-row">
          {/* A second condition turns the single comparison into an "all" group around both. */}
          <button type="button" className="ed-button" data-testid="add-condition"
                  onClick={() => onChange({ all: [node, newComparison(fields)] })}>+ {t("Add condition")}</button>
          <button type="button" className="ed-button" data-testid="add-group"
                  onClick={() => onChange({ all: [node, { any: [newComparison(fields)] }] })}>+ {t("Add group")}</button>
        </div>
      ) : null}
    </div>
  );
}

function group(kind: "all" | "any", items: Condition[]): Condition {
  return kind === "all" ? { all: items } : { any: items };
}

function GroupEditor({ node, at, fields, onChange, onRemove }: Omit<NodeProps, "root">) {
  const t = useT();
  const kind: "all" | "any" = "all" in node ? "all" : "any";
  const items: Condition[] = ("all" in node ? node.all : "any" in node ? node.any : []) ?? [];
  const set = (next: Condition[]) => (next.length ? onChange(group(kind, next)) : onRemove());
  const other = kind === "all" ? "any" : "all";
  return (
    <Anchor at={at} className={`ed-condition ed-group ed-group-${kind}`} notesFirst>
      <div className="ed-group-head">
        <CondSelect value={kind} testid="group-kind" onChange={(v) => onChange(group(v as "all" | "any", items))}
                    choices={[{ value: "all", label: t("All of these hold") }, { value: "any", label: t("Any of these holds") }]} />
        <button type="button" className="ed-button" data-testid="add-condition"
                onClick={() => set([...items, newComparison(fields)])}>+ {t("Add condition")}</button>
        <button type="button" className="ed-button" data-testid="add-group"
                onClick={() => set([...items, group(other, [newComparison(fields)])])}>+ {t("Add group")}</button>
        <button type="button" className="ed-link" onClick={() => onChange({ not: node })}>{t("Negate")}</button>
        <button type="button" className="ed-icon ed-danger" aria-label={t("Remove group")} title={t("Remove group")}
                onClick={onRemove}>✕</button>
      </div>
      <div className="ed-group-items">
        {items.map((item, i) => (
          <NodeEditor key={i} node={item} at={join(at, kind, i)} fields={fields}
                      onChange={(c) => set(items.map((x, j) => (j === i ? c : x)))}
                      onRemove={() => set(items.filter((_, j) => j !== i))} />
        ))}
      </div>
    </Anchor>
  );
}

function ComparisonRow({ node, at, fields, onChange, onRemove }: Omit<NodeProps, "root" | "node"> & { node: Comparison }) {
  const t = useT();
  const field = fields.find((f) => f.path === node.field);
  const ops = opsFor(field);
  const offered = ops.includes(node.op) ? ops : [...ops, node.op];
  const write = (next: Comparison) => {
    const out: Comparison = { field: next.field, op: next.op };
    if (next.value !== undefined) out.value = next.value;
    onChange(out);
  };
  const setField = (path: string) => {
    const f = fields.find((x) => x.path === path);
    const op: Op = opsFor(f).includes(node.op) ? node.op : "eq";
    write({ field: path, op, value: defaultValue(f, op) });
  };
  const setOp = (op: Op) => write({ ...node, op, value: convertValue(node.value, field, op) });
  const outside = outOfBounds(field, node.op, node.value);
  return (
    <Anchor at={at} className="ed-comparison">
      <div className="ed-row">
        <Anchor at={join(at, "field")} className="ed-cell">
          <FieldPicker value={node.field ?? ""} fields={fields} onChange={setField} />
          {/* Said here at once, before any save: the server's finding on an empty field comes after the autosave. */}
          {node.field ? null : (
            <ul className="ed-findings"><li className="ed-finding ed-error" data-testid="condition-field-missing">
              {t("Choose the field this condition compares")}</li></ul>
          )}
        </Anchor>
        <Anchor at={join(at, "op")} className="ed-cell">
          <CondSelect value={node.op} testid="condition-op" onChange={(v) => setOp(v as Op)}
                      choices={OPS.filter((o) => offered.includes(o.op)).map((o) => ({ value: o.op, label: t(o.label) }))} />
        </Anchor>
        <Anchor at={join(at, "value")} className="ed-cell ed-grow">
          <ValueInput field={field} op={node.op} value={node.value} onChange={(value) => write({ ...node, value })} />
          {/* The server's bound (value-out-of-bounds) said at once: 当前小时 等于 25 never holds. */}
          {outside.length && field ? (
            <ul className="ed-findings"><li className="ed-finding ed-error" data-testid="condition-value-out-of-bounds">
              {t("{field} is between {min} and {max}: {value} never matches")
                .replace("{field}", field.label || field.path).replace("{min}", String(field.minimum ?? ""))
                .replace("{max}", String(field.maximum ?? "")).replace("{value}", outside.map(String).join(", "))}
            </li></ul>
          ) : null}
        </Anchor>
        <button type="button" className="ed-icon ed-danger" aria-label={t("Remove condition")}
                title={t("Remove condition")} data-testid="remove-condition" onClick={onRemove}>✕</button>
      </div>
    </Anchor>
  );
}

