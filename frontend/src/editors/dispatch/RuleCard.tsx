/** One rule: when (event, forms, condition) and what happens (actions), with its switches
 * (enabled, stop after this rule) and its place in the order. Collapsed to one line when not edited. */
import type { Finding } from "../../shell/types";
import { ConditionEditor } from "../common/condition/ConditionEditor";
import { useEnv } from "../common/env";
import { Anchor, countUnder } from "../common/findings";
import { Checkbox, Labeled, ListButtons, MultiCheck, NameInput, SelectInput, TextInput } from "../common/inputs";
import { join, ptr } from "../common/pointer";
import { assign, move } from "../common/update";
import { ActionEditor, withDefaults } from "./ActionEditor";
import { actionSpec, actionTypes } from "./actionSchema";
import type { Rule } from "./model";
import { dispatchFields } from "./conditionFields";
import { CALL_EVENTS, EVENT_LABELS, actionFits, ruleFields } from "./model";
import type { Catalogue } from "./pickers";

interface Props {
  rule: Rule;
  index: number;
  count: number;
  open: boolean;
  names: string[];
  findings: Finding[];
  scripts: Catalogue["scripts"];
  onToggle: () => void;
  onChange: (rule: Rule) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

export function RuleCard({ rule, index, count, open, names, findings, scripts, onToggle, onChange, onMove, onRemove }: Props) {
  const { ctx, t } = useEnv();
  const at = ptr("rules", index);
  const catalogue: Catalogue = { ctx, rule, scripts };
  const problems = countUnder(findings, at);
  const enabled = rule.enabled ?? true;
  const set = (key: keyof Rule, value: unknown) => {
    const next = { ...rule };
    assign(next, key, value);
    onChange(next);
  };
  const events = ctx.context.dispatch_events?.length ? ctx.context.dispatch_events : Object.keys(EVENT_LABELS);
  const addAction = () => {
    const type = actionTypes(ctx).find((ty) => actionFits(ty, rule.event)) ?? actionTypes(ctx)[0];
    onChange({ ...rule, actions: [...(rule.actions ?? []), withDefaults(actionSpec(ctx, type), catalogue)] });
  };
  const actions = rule.actions ?? [];
  return (
    <Anchor at={at} as="li" className={`ed-card ed-rule${enabled ? "" : " ed-disabled"}${open ? " ed-open" : ""}`}
            testid={`rule-${index}`} notesFirst>
      <div className="ed-card-head" onClick={onToggle} role="button" aria-expanded={open}>
        <span className="ed-step">{index + 1}</span>
        <span className="ed-toggle" aria-hidden>{open ? "▾" : "▸"}</span>
        <strong className="ed-card-title">{rule.label || rule.name}</strong>
        <span className="ed-muted">{t(EVENT_LABELS[rule.event] ?? rule.event)}</span>
        {problems ? <span className="ed-badge ed-error">{problems}</span> : null}
        <span className="ed-grow" />
        <span onClick={(e) => e.stopPropagation()} className="ed-row">
          <Checkbox label={t("Enabled")} checked={enabled} testid="rule-enabled"
                    onChange={(on) => set("enabled", on ? undefined : false)} />
          <Checkbox label={t("Stop after this rule")} checked={rule.stop ?? false} testid="rule-stop"
                    onChange={(on) => set("stop", on || undefined)} />
        </span>
        <ListButtons index={index} count={count} onMove={onMove} onRemove={onRemove} testid={`rule-${index}`} />
      </div>
      {open ? (
        <div className="ed-card-body">
          <div className="ed-grid">
            <Labeled label={t("Description")} at={join(at, "label")}>
              {(id) => <TextInput id={id} value={rule.label} testid="rule-label" onChange={(v) => set("label", v)} />}
            </Labeled>
            <Labeled label={t("Rule name")} at={join(at, "name")}>
              {(id) => <NameInput id={id} value={rule.name} taken={names.filter((n) => n !== rule.name)}
                                  onCommit={(name) => set("name", name)} />}
            </Labeled>
            <Labeled label={t("When")} at={join(at, "event")} required>
              {(id) => (
                <SelectInput id={id} value={rule.event} testid="rule-event"
                             choices={events.map((e) => ({ value: e, label: t(EVENT_LABELS[e] ?? e) }))}
                             onChange={(v) => set("event", v)} />
              )}
            </Labeled>
            {CALL_EVENTS.has(rule.event) && !rule.forms ? null : (
              <Labeled label={t("Only tickets of these forms (none ticked: all forms)")} at={join(at, "forms")} className="ed-wide">
                {() => (
                  <MultiCheck testid="rule-forms" values={rule.forms ?? []}
                              choices={(ctx.context.forms ?? []).map((f) => ({ value: f.name, label: f.title || f.name }))}
                              onChange={(v) => set("forms", v.length ? v : undefined)} />
                )}
              </Labeled>
            )}
          </div>
          <div className="ed-subsection">
            <h4>{t("Condition")}</h4>
            <ConditionEditor value={rule.when} at={join(at, "when")} fields={dispatchFields(ruleFields(rule, ctx.context.fields ?? []), ctx.locale, t)}
                             onChange={(when) => set("when", when)} />
          </div>
          <Anchor at={join(at, "actions")} className="ed-subsection" notesFirst>
            <h4>{t("Then")}</h4>
            {actions.length === 0 ? <p className="ed-hint">{t("No actions yet: add what the rule does.")}</p> : null}
            <ol className="ed-actions">
              {actions.map((action, i) => (
                <ActionEditor key={i} action={action} index={i} count={actions.length} at={join(at, "actions", i)}
                              rule={rule} catalogue={catalogue}
                              onChange={(a) => onChange({ ...rule, actions: actions.map((x, j) => (j === i ? a : x)) })}
                              onMove={(delta) => onChange({ ...rule, actions: move(actions, i, delta) })}
                              onRemove={() => onChange({ ...rule, actions: actions.filter((_, j) => j !== i) })} />
              ))}
            </ol>
            <button type="button" className="ed-button" data-testid="add-action" onClick={addAction}>+ {t("Add action")}</button>
          </Anchor>
        </div>
      ) : null}
    </Anchor>
  );
}
