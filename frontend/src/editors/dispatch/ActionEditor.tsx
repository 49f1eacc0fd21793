/** One action of a rule: its type (from the list of action types that fit the rule's event) and its
 * parameters. Changing the type keeps the parameters both types share. */
import { useEnv } from "../common/env";
import { Anchor } from "../common/findings";
import { ListButtons } from "../common/inputs";
import { join } from "../common/pointer";
import type { ActionSpec } from "./actionSchema";
import { actionSpec, actionTypes } from "./actionSchema";
import type { Action, Rule } from "./model";
import { actionFits } from "./model";
import { ParamInput } from "./ParamInput";
import type { Catalogue } from "./pickers";
import { choicesFor } from "./pickers";

/** Values for the required parameters of a new action, so it is valid as soon as it is added when the
 * tenant has something to pick (the first queue, the first status…). */
export function withDefaults(spec: ActionSpec, catalogue: Catalogue, keep: Record<string, unknown> = {}): Action {
  const action: Action = { type: spec.type };
  for (const p of spec.params) {
    if (p.key in keep) action[p.key] = keep[p.key];
    else if (p.required) {
      const first = choicesFor(p.key, catalogue)?.[0]?.value ?? (Array.isArray(p.schema.enum) ? p.schema.enum[0] : undefined)
        ?? (p.schema.type === "integer" || p.schema.type === "number" ? p.schema.default ?? p.schema.minimum : undefined);
      if (first !== undefined) action[p.key] = first;
    }
  }
  return action;
}

interface Props {
  action: Action;
  index: number;
  count: number;
  at: string;
  rule: Rule;
  catalogue: Catalogue;
  onChange: (action: Action) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

export function ActionEditor({ action, index, count, at, rule, catalogue, onChange, onMove, onRemove }: Props) {
  const { ctx, t } = useEnv();
  const spec = actionSpec(ctx, action.type);
  const types = actionTypes(ctx).filter((type) => type === action.type || actionFits(type, rule.event));
  const setType = (type: string) => {
    const next = actionSpec(ctx, type);
    const shared = Object.fromEntries(Object.entries(action).filter(([k]) => k !== "type" && next.params.some((p) => p.key === k)));
    onChange(withDefaults(next, catalogue, shared));
  };
  const setParam = (key: string, value: unknown) => {
    const next: Action = { ...action };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <Anchor at={at} className="ed-action" testid={`action-${index}`} notesFirst>
      <div className="ed-row ed-action-head">
        <span className="ed-step">{index + 1}</span>
        <Anchor at={join(at, "type")} className="ed-cell">
          <select className="ed-input" value={action.type} data-testid="action-type" onChange={(e) => setType(e.target.value)}>
            {types.map((type) => <option key={type} value={type}>{t(actionSpec(ctx, type).title)}</option>)}
          </select>
        </Anchor>
        <span className="ed-hint ed-grow">{spec.description ? t(spec.description) : null}</span>
        <ListButtons index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      <div className="ed-grid">
        {spec.params.map((p) => (
          <ParamInput key={p.key} action={action.type} spec={p} value={action[p.key]} at={join(at, p.key)} catalogue={catalogue}
                      onChange={(v) => setParam(p.key, v)} />
        ))}
      </div>
    </Anchor>
  );
}
