/** Everything about one field: name, label, type, required, how it is shown (widget, help,
 * placeholder, directory), its options, its validity rules and its default. */
import { useEnv } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, Labeled, NameInput, SelectInput, TextInput } from "../common/inputs";
import { join, ptr } from "../common/pointer";
import { DefaultInput } from "./DefaultInput";
import { FieldRules } from "./FieldRules";
import type { FieldSchema, FieldType, FormDoc, UiHints, Widget } from "./model";
import {
  WIDGET_TYPES, changeType, defaultWidget, optionsOf, renameField, setField, setHints, setRequired, withOptions,
} from "./model";
import { OptionsEditor } from "./OptionsEditor";

const TYPES: { value: FieldType; label: string }[] = [
  { value: "string", label: "Text" },
  { value: "integer", label: "Whole number" },
  { value: "number", label: "Number" },
  { value: "boolean", label: "Yes / no" },
  { value: "array", label: "Multiple choice" },
];

const WIDGETS: { value: Widget; label: string }[] = [
  { value: "text", label: "Single-line input" },
  { value: "textarea", label: "Multi-line text" },
  { value: "select", label: "Drop-down list" },
  { value: "radio", label: "Radio buttons" },
  { value: "checkboxes", label: "Checkboxes" },
  { value: "checkbox", label: "Single checkbox" },
  { value: "date", label: "Date picker" },
  { value: "datetime", label: "Date and time picker" },
  { value: "phone", label: "Phone number" },
  { value: "address", label: "Address" },
  { value: "directory", label: "Pick from directory" },
  { value: "hidden", label: "Hidden" },
];

interface Props {
  doc: FormDoc;
  name: string;
  onChange: (doc: FormDoc) => void;
  onRenamed: (name: string) => void;
}

export function FieldEditor({ doc, name, onChange, onRenamed }: Props) {
  const { ctx, t } = useEnv();
  const field = doc.schema.properties[name];
  const hints: UiHints = doc.ui?.fields?.[name] ?? {};
  const at = ptr("schema", "properties", name);
  const ui = ptr("ui", "fields", name);
  const widget = hints.widget ?? defaultWidget(field);
  const required = (doc.schema.required ?? []).includes(name);
  const update = (next: FieldSchema) => onChange(setField(doc, name, next));
  const hint = (next: Partial<UiHints>) => onChange(setHints(doc, name, { ...hints, ...next }));

  const setType = (type: FieldType) => {
    const next = changeType(field, type);
    let d = setField(doc, name, next);
    // Keep the widget only if it can still show the field; otherwise fall back to the type's default.
    if (hints.widget && !WIDGET_TYPES[hints.widget].includes(type)) d = setHints(d, name, { ...hints, widget: defaultWidget(next) });
    onChange(d);
  };

  const isArray = field.type === "array";
  const optionHolder = isArray ? field.items : field;
  const optionsAt = join(isArray ? join(at, "items") : at, optionHolder?.enum && !optionHolder.oneOf ? "enum" : "oneOf");
  const showOptions = field.type === "string" || field.type === "integer" || isArray;
  const widgets = WIDGETS.filter((w) => WIDGET_TYPES[w.value].includes(field.type) || w.value === hints.widget);

  return (
    <Anchor at={at} className="ed-field-editor" testid="field-editor" notesFirst>
      <Anchor at={ui} notesFirst />
      <div className="ed-grid">
        <Labeled label={t("Label")} at={join(at, "title")} required>
          {(id) => <TextInput id={id} value={field.title} optional={false} testid="field-label"
                              onChange={(v) => update({ ...field, title: v ?? "" })} />}
        </Labeled>
        <Labeled label={t("Field name")} at={at + "/name"} hint={t("Used in rules and summaries; letters, digits, _")}>
          {(id) => <NameInput id={id} value={name} testid="field-name"
                              taken={Object.keys(doc.schema.properties).filter((n) => n !== name)}
                              labels={Object.fromEntries(Object.entries(doc.schema.properties).map(([n, f]) => [n, f.title || n]))}
                              onCommit={(to) => { onChange(renameField(doc, name, to)); onRenamed(to); }} />}
        </Labeled>
        <Labeled label={t("Type")} at={join(at, "type")}>
          {(id) => (
            <select id={id} className="ed-input" value={field.type} data-testid="field-type"
                    onChange={(e) => setType(e.target.value as FieldType)}>
              {TYPES.map((o) => <option key={o.value} value={o.value}>{t(o.label)}</option>)}
            </select>
          )}
        </Labeled>
        <Labeled label={t("Shown as")} at={join(ui, "widget")}>
          {(id) => (
            <SelectInput id={id} value={hints.widget} testid="field-widget" empty={`${t("Automatic")} (${t(WIDGETS.find((w) => w.value === widget)?.label ?? widget)})`}
                         choices={widgets.map((w) => ({ value: w.value, label: t(w.label) }))}
                         onChange={(v) => hint({ widget: v as Widget | undefined, directory: v === "directory" ? hints.directory : undefined })} />
          )}
        </Labeled>
        {hints.widget === "directory" ? (
          <Labeled label={t("Directory")} at={join(ui, "directory")} required>
            {(id) => (
              <SelectInput id={id} value={hints.directory} testid="field-directory"
                           choices={(ctx.context.directory_groups ?? []).map((g) => ({ value: g.name, label: g.title || g.name }))}
                           onChange={(v) => hint({ directory: v })} />
            )}
          </Labeled>
        ) : null}
        <div className="ed-field ed-checks">
          <Checkbox label={t("Required")} checked={required} testid="field-required"
                    onChange={(on) => onChange(setRequired(doc, name, on))} />
          <Anchor at={join(at, "readOnly")}>
            <Checkbox label={t("Read-only for agents")} checked={field.readOnly ?? false}
                      onChange={(on) => update(on ? { ...field, readOnly: true } : (({ readOnly: _r, ...rest }) => rest as FieldSchema)(field))} />
          </Anchor>
        </div>
        <Labeled label={t("Help text")} at={join(ui, "help")} className="ed-wide">
          {(id) => <TextInput id={id} value={hints.help} testid="field-help" onChange={(v) => hint({ help: v })} />}
        </Labeled>
        <Labeled label={t("Placeholder")} at={join(ui, "placeholder")}>
          {(id) => <TextInput id={id} value={hints.placeholder} onChange={(v) => hint({ placeholder: v })} />}
        </Labeled>
        <Labeled label={t("Default value")} at={join(at, "default")}>
          {(id) => <DefaultInput id={id} field={field} onChange={(v) => update(v === undefined
            ? (({ default: _d, ...rest }) => rest as FieldSchema)(field) : { ...field, default: v })} />}
        </Labeled>
      </div>
      {showOptions ? (
        <div className="ed-subsection">
          <h4>{t("Options")}</h4>
          <p className="ed-hint">{t("Leave empty to let agents type any value")}</p>
          <OptionsEditor options={optionsOf(optionHolder)} at={optionsAt}
                         integer={(isArray ? field.items?.type : field.type) === "integer"}
                         onChange={(options) => update(isArray
                           ? { ...field, items: withOptions(field.items ?? { type: "string" as const }, options) }
                           : withOptions(field, options))} />
        </div>
      ) : null}
      <div className="ed-subsection">
        <h4>{t("Validation")}</h4>
        <FieldRules field={field} at={at} onChange={update} />
      </div>
    </Anchor>
  );
}
