/** The field a comparison reads, picked from the fields the context offers, grouped by where they come
 * from (a form, the IVR, the customer record, the call). */
import type { FieldRef } from "../../../shell/types";
import { useEnv } from "../env";
import { CondSelect, type CondChoice } from "./CondSelect";

function sourceTitle(source: string, forms: { name: string; title: string }[], t: (s: string) => string): string {
  const name = source.includes(":") ? source.slice(source.indexOf(":") + 1) : source;
  const form = forms.find((f) => f.name === name);
  return form ? `${t("Form")}: ${form.title}` : t(source);
}

interface Props {
  value: string;
  fields: FieldRef[];
  onChange: (path: string) => void;
}

export function FieldPicker({ value, fields, onChange }: Props) {
  const { ctx, t } = useEnv();
  const forms = ctx.context.forms ?? [];
  // The label first; the path only as grey text beside it, and not when the label is the path itself.
  const choices: CondChoice[] = fields.map((f) => ({
    value: f.path, label: f.label || f.path, code: f.label && f.label !== f.path ? f.path : undefined,
    group: sourceTitle(f.source, forms, t),
  }));
  return <CondSelect value={value} choices={choices} onChange={onChange} testid="condition-field"
                     className="ed-select-field" placeholder={t("Choose a field")} />;
}
