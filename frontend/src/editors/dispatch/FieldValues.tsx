/** set_fields: which ticket field gets which value, one row each (field picked from the rule's forms). */
import type { FieldRef } from "../../shell/types";
import { useEnv } from "../common/env";
import { priorityChoices } from "../common/priority";
import { Anchor } from "../common/findings";
import { SelectInput, TextInput } from "../common/inputs";
import { join } from "../common/pointer";
import { renameKey } from "../common/update";

type Values = Record<string, string | number | boolean>;

/** Ticket attributes a rule may write besides the form's fields (WRITABLE_TICKET_FIELDS in the lint). */
const WRITABLE = ["priority", "group", "assignee"];

interface Props {
  value: Values;
  at: string;
  fields: FieldRef[];
  onChange: (value: Values | undefined) => void;
}

function typed(text: string, field: FieldRef | undefined): string | number | boolean {
  if (field?.type === "boolean") return text === "true";
  if ((field?.type === "integer" || field?.type === "number") && text.trim() !== "" && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

export function FieldValues({ value, at, fields, onChange }: Props) {
  const { ctx, t } = useEnv();
  const entries = Object.entries(value ?? {});
  const byName = new Map(fields.map((f) => [f.path.slice("ticket.".length), f]));
  const choices = [...byName].map(([name, f]) => ({ value: name, label: f.label && f.label !== name ? `${f.label} (${name})` : name }))
    .concat(WRITABLE.filter((n) => !byName.has(n)).map((n) => ({ value: n, label: t(n) })));
  const set = (next: Values) => onChange(Object.keys(next).length ? next : undefined);
  const free = choices.find((c) => !(c.value in (value ?? {})));
  return (
    <div className="ed-field-values">
      {entries.map(([name, v]) => {
        const field = byName.get(name);
        return (
          <Anchor key={name} at={join(at, name)} className="ed-row">
            <SelectInput value={name} choices={choices.filter((c) => c.value === name || !(c.value in value))}
                         onChange={(to) => to && set(renameKey(value, name, to))} />
            <span>=</span>
            {name === "priority" && !field ? (
              <SelectInput value={v === "" ? undefined : String(v)} choices={priorityChoices(t, ctx.locale)} testid="priority-value"
                           onChange={(text) => set({ ...value, [name]: text === undefined ? "" : Number(text) })} />
            ) : field?.options?.length || field?.type === "boolean" ? (
              <SelectInput value={String(v)}
                           choices={(field.type === "boolean" ? ["true", "false"] : field.options!).map((o) => ({
                             value: o, label: o === "true" ? t("yes") : o === "false" ? t("no") : o,
                           }))}
                           onChange={(text) => set({ ...value, [name]: typed(text ?? "", field) })} />
            ) : (
              <TextInput value={String(v)} optional={false} onChange={(text) => set({ ...value, [name]: typed(text ?? "", field) })} />
            )}
            <button type="button" className="ed-icon ed-danger" aria-label={t("Remove")}
                    onClick={() => set(Object.fromEntries(entries.filter(([k]) => k !== name)))}>✕</button>
          </Anchor>
        );
      })}
      {free ? (
        <button type="button" className="ed-button" data-testid="add-field-value"
                onClick={() => set({ ...value, [free.value]: "" })}>+ {t("Set a field")}</button>
      ) : null}
    </div>
  );
}
