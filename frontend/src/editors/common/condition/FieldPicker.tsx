/** The field a comparison reads, picked from the fields the context offers, grouped by where they come
 * from (a form, the IVR, the customer record, the call). */
import type { FieldRef } from "../../../shell/types";
import { useEnv } from "../env";

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
  const groups = new Map<string, FieldRef[]>();
  for (const f of fields) {
    if (!groups.has(f.source)) groups.set(f.source, []);
    groups.get(f.source)!.push(f);
  }
  const known = fields.some((f) => f.path === value);
  return (
    <select className="ed-input" value={value} data-testid="condition-field" onChange={(e) => onChange(e.target.value)}>
      {value === "" ? <option value="">{t("— choose —")}</option> : null}
      {known || value === "" ? null : <option value={value}>{value} ({t("unknown")})</option>}
      {[...groups].map(([source, refs]) => (
        <optgroup key={source} label={sourceTitle(source, ctx.context.forms ?? [], t)}>
          {refs.map((f) => (
            <option key={f.path} value={f.path}>{f.label && f.label !== f.path ? `${f.label} (${f.path})` : f.path}</option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
