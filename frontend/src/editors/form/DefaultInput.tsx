/** The value a new ticket starts with, as an input of the field's own kind. */
import { useT } from "../common/env";
import { MultiCheck, NumberInput, SelectInput, TextInput } from "../common/inputs";
import type { FieldSchema } from "./model";
import { optionsOf } from "./model";

interface Props {
  id: string;
  field: FieldSchema;
  onChange: (value: unknown) => void;
}

export function DefaultInput({ id, field, onChange }: Props) {
  const t = useT();
  const value = field.default;
  if (field.type === "boolean") {
    return (
      <SelectInput id={id} value={value === undefined ? undefined : String(value)} empty={t("None")}
                   choices={[{ value: "true", label: t("yes") }, { value: "false", label: t("no") }]}
                   onChange={(v) => onChange(v === undefined ? undefined : v === "true")} />
    );
  }
  if (field.type === "array") {
    const options = optionsOf(field.items);
    return (
      <MultiCheck values={Array.isArray(value) ? value.map(String) : []}
                  choices={options.map((o) => ({ value: String(o.const), label: o.title }))}
                  onChange={(vs) => onChange(vs.length ? vs.map((v) => (field.items?.type === "integer" ? Number(v) : v)) : undefined)} />
    );
  }
  const options = optionsOf(field);
  if (options.length) {
    return (
      <SelectInput id={id} value={value === undefined ? undefined : String(value)} empty={t("None")}
                   choices={options.map((o) => ({ value: String(o.const), label: o.title }))}
                   onChange={(v) => onChange(v !== undefined && field.type === "integer" ? Number(v) : v)} />
    );
  }
  if (field.type === "integer" || field.type === "number") {
    return <NumberInput id={id} integer={field.type === "integer"} value={typeof value === "number" ? value : undefined}
                        onChange={onChange} />;
  }
  return <TextInput id={id} value={typeof value === "string" ? value : undefined} onChange={onChange} />;
}
