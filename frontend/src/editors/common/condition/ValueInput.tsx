/** The value side of a comparison, shaped by the field and the operator: options become a select (or
 * checkboxes for "is one of"), yes/no a select, numbers a number input, anything else text. */
import type { FieldRef } from "../../../shell/types";
import { useT } from "../env";
import { MultiCheck, NumberInput, TagsInput, TextInput } from "../inputs";
import { CondSelect } from "./CondSelect";
import { LIST_VALUE, NO_VALUE, isNumeric } from "./model";
import type { Op } from "./model";

interface Props {
  field: FieldRef | undefined;
  op: Op;
  value: unknown;
  onChange: (value: unknown) => void;
}

export function ValueInput({ field, op, value, onChange }: Props) {
  const t = useT();
  const testid = "condition-value";
  if (NO_VALUE.has(op)) return null;
  const options = field?.options ?? [];
  // Labels of option values where the field list carries them (answers of a script; ticket fields if the
  // context adds option_labels): agents' words instead of stored codes.
  const labels = (field as (FieldRef & { option_labels?: Record<string, string> }) | undefined)?.option_labels ?? {};
  const choices = options.map((o) => ({ value: o, label: labels[o] && labels[o] !== o ? `${labels[o]} (${o})` : o }));
  const picks = options.map((o) => ({ value: o, label: labels[o] || o, code: labels[o] && labels[o] !== o ? o : undefined }));
  if (LIST_VALUE.has(op)) {
    const values = (Array.isArray(value) ? value : []).map(String);
    const typed = (list: string[]) => (isNumeric(field) ? list.map(Number).filter((n) => !Number.isNaN(n)) : list);
    return options.length ? (
      <MultiCheck testid={testid} values={values} onChange={(v) => onChange(typed(v))} choices={choices} />
    ) : (
      <TagsInput testid={testid} values={values} onChange={(v) => onChange(typed(v))} />
    );
  }
  if (options.length && (op === "eq" || op === "ne" || (isNumeric(field) && ["gt", "gte", "lt", "lte"].includes(op)))) {
    return (
      <CondSelect testid={testid} value={value === undefined ? undefined : String(value)} choices={picks}
                  onChange={(v) => onChange(isNumeric(field) ? Number(v) : v)} />
    );
  }
  if (field?.type === "boolean") {
    return (
      <CondSelect testid={testid} value={value === undefined ? undefined : String(value)}
                  choices={[{ value: "true", label: t("yes") }, { value: "false", label: t("no") }]}
                  onChange={(v) => onChange(v === "true")} />
    );
  }
  if (isNumeric(field) || ["gt", "gte", "lt", "lte"].includes(op)) {
    return (
      <NumberInput testid={testid} value={typeof value === "number" ? value : undefined}
                   integer={field?.type === "integer"} onChange={(n) => onChange(n ?? 0)} />
    );
  }
  return (
    <TextInput testid={testid} value={value === undefined ? "" : String(value)} optional={false}
               placeholder={op === "matches" ? t("a regular expression") : undefined}
               onChange={(v) => onChange(v ?? "")} />
  );
}
