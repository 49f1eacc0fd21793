/** What a valid value of a field looks like: pattern (with presets, since analysts rarely write
 * regular expressions), lengths, ranges, number of choices, date/e-mail formats. */
import { useT } from "../common/env";
import { Labeled, NumberInput, SelectInput, TextInput } from "../common/inputs";
import { join } from "../common/pointer";
import type { FieldSchema } from "./model";

/** Common patterns of Chinese contact centres, by the English label the string table translates. */
const PATTERNS: { label: string; pattern: string }[] = [
  { label: "Mobile number", pattern: "^1[3-9][0-9]{9}$" },
  { label: "Phone number (mobile or landline)", pattern: "^\\+?[0-9]{7,20}$" },
  { label: "Waybill number (10-20 letters or digits)", pattern: "^[0-9A-Za-z]{10,20}$" },
  { label: "Postal code", pattern: "^[0-9]{6}$" },
  { label: "ID card number", pattern: "^[0-9]{17}[0-9Xx]$" },
];

interface Props {
  field: FieldSchema;
  at: string;
  onChange: (field: FieldSchema) => void;
}

function set<K extends keyof FieldSchema>(field: FieldSchema, key: K, value: FieldSchema[K] | undefined): FieldSchema {
  const next = { ...field };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

export function FieldRules({ field, at, onChange }: Props) {
  const t = useT();
  if (field.type === "string") {
    const preset = PATTERNS.find((p) => p.pattern === field.pattern);
    const choice = field.pattern === undefined ? "" : preset ? preset.pattern : "custom";
    return (
      <div className="ed-grid">
        <Labeled label={t("Format check")} at={join(at, "pattern")} className="ed-wide"
                 hint={t("The value must match this regular expression")}>
          {(id) => (
            <div className="ed-row">
              <SelectInput id={id} value={choice} empty={t("None")} testid="field-pattern-preset"
                           choices={[...PATTERNS.map((p) => ({ value: p.pattern, label: t(p.label) })),
                                     { value: "custom", label: t("Custom pattern") }]}
                           onChange={(v) => onChange(set(field, "pattern", v === "custom" ? field.pattern ?? "" : v))} />
              {choice === "custom" || (field.pattern !== undefined && !preset) ? (
                <TextInput value={field.pattern} optional={false} testid="field-pattern"
                           onChange={(v) => onChange(set(field, "pattern", v))} />
              ) : null}
            </div>
          )}
        </Labeled>
        <Labeled label={t("Minimum length")} at={join(at, "minLength")}>
          {(id) => <NumberInput id={id} integer min={0} value={field.minLength} onChange={(v) => onChange(set(field, "minLength", v))} />}
        </Labeled>
        <Labeled label={t("Maximum length")} at={join(at, "maxLength")}>
          {(id) => <NumberInput id={id} integer min={1} value={field.maxLength} onChange={(v) => onChange(set(field, "maxLength", v))} />}
        </Labeled>
        <Labeled label={t("Value format")} at={join(at, "format")}>
          {(id) => (
            <SelectInput id={id} value={field.format} empty={t("Any text")}
                         choices={[{ value: "date", label: t("Date") }, { value: "date-time", label: t("Date and time") },
                                   { value: "email", label: t("E-mail address") }, { value: "uri", label: t("Web address") }]}
                         onChange={(v) => onChange(set(field, "format", v as FieldSchema["format"]))} />
          )}
        </Labeled>
      </div>
    );
  }
  if (field.type === "integer" || field.type === "number") {
    const integer = field.type === "integer";
    return (
      <div className="ed-grid">
        <Labeled label={t("Minimum")} at={join(at, "minimum")}>
          {(id) => <NumberInput id={id} integer={integer} value={field.minimum} onChange={(v) => onChange(set(field, "minimum", v))} />}
        </Labeled>
        <Labeled label={t("Maximum")} at={join(at, "maximum")}>
          {(id) => <NumberInput id={id} integer={integer} value={field.maximum} onChange={(v) => onChange(set(field, "maximum", v))} />}
        </Labeled>
      </div>
    );
  }
  if (field.type === "array") {
    return (
      <div className="ed-grid">
        <Labeled label={t("Choose at least")} at={join(at, "minItems")}>
          {(id) => <NumberInput id={id} integer min={0} value={field.minItems} onChange={(v) => onChange(set(field, "minItems", v))} />}
        </Labeled>
        <Labeled label={t("Choose at most")} at={join(at, "maxItems")}>
          {(id) => <NumberInput id={id} integer min={1} value={field.maxItems} onChange={(v) => onChange(set(field, "maxItems", v))} />}
        </Labeled>
      </div>
    );
  }
  return null;
}
