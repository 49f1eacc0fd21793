/** The form document (hotline/platform/kinds/form/schema.json) and the edits that keep its parts
 * consistent: a field's name appears in schema.properties, schema.required, ui.order, ui.fields and
 * searchable, so adding, renaming and removing go through here. */
import { edit, freshName, move, renameKey } from "../common/update";

export type FieldType = "string" | "integer" | "number" | "boolean" | "array";
export type Widget =
  | "text" | "textarea" | "select" | "radio" | "checkboxes" | "checkbox" | "date" | "datetime" | "phone"
  | "address" | "directory" | "hidden";

export interface Option { const: string | number; title: string }

export interface Scalar {
  title?: string;
  description?: string;
  default?: unknown;
  readOnly?: boolean;
  enum?: (string | number)[];
  oneOf?: Option[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: "date" | "date-time" | "email" | "uri";
  minimum?: number;
  maximum?: number;
}

export interface FieldSchema extends Scalar {
  type: FieldType;
  title: string;
  items?: Scalar & { type: "string" | "integer" };
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export interface UiHints { widget?: Widget; help?: string; placeholder?: string; directory?: string }
export interface Status { name: string; label: string; color: string; initial?: boolean; final?: boolean }
export interface Transition { from: string; to: string; label?: string }
export interface Sla {
  first_response_minutes?: number;
  resolution_minutes?: number;
  business_hours?: boolean;
  warning_percent?: number;
}

export interface FormDoc {
  title: string;
  description?: string;
  schema: { type: "object"; properties: Record<string, FieldSchema>; required?: string[] };
  ui?: { order?: string[]; fields?: Record<string, UiHints> };
  statuses: Status[];
  transitions: Transition[];
  sla?: Sla;
  searchable?: string[];
  summary?: string;
  callback_on_resolve?: boolean;
}

/** Widget → the field types it can show (mirrors WIDGET_TYPES in the form lint). */
export const WIDGET_TYPES: Record<Widget, FieldType[]> = {
  text: ["string", "integer", "number"],
  textarea: ["string"],
  select: ["string", "integer"],
  radio: ["string", "integer", "boolean"],
  checkboxes: ["array"],
  checkbox: ["boolean"],
  date: ["string"],
  datetime: ["string"],
  phone: ["string"],
  address: ["string"],
  directory: ["string"],
  hidden: ["string", "integer", "number", "boolean", "array"],
};
export const CHOICE_WIDGETS: ReadonlySet<Widget> = new Set(["select", "radio", "checkboxes"]);

/** Keywords each type may carry besides the common ones; a type change drops the others. */
const TYPE_KEYWORDS: Record<FieldType, string[]> = {
  string: ["enum", "oneOf", "minLength", "maxLength", "pattern", "format"],
  integer: ["enum", "oneOf", "minimum", "maximum"],
  number: ["minimum", "maximum"],
  boolean: [],
  array: ["items", "minItems", "maxItems", "uniqueItems"],
};
const COMMON_KEYWORDS = ["type", "title", "description", "readOnly"];

/** The display order: ui.order first (known fields only), then the fields it does not list. */
export function fieldOrder(doc: FormDoc): string[] {
  const names = Object.keys(doc.schema?.properties ?? {});
  const listed = (doc.ui?.order ?? []).filter((n) => names.includes(n));
  return [...new Set(listed), ...names.filter((n) => !listed.includes(n))];
}

export function addField(doc: FormDoc, title: string): [FormDoc, string] {
  const name = freshName("field", Object.keys(doc.schema?.properties ?? {}));
  const next = edit(doc, (d) => {
    d.schema ??= { type: "object", properties: {} };
    d.schema.properties[name] = { type: "string", title };
    const order = fieldOrder(d);
    d.ui = { ...d.ui, order };
  });
  return [next, name];
}

export function removeField(doc: FormDoc, name: string): FormDoc {
  return edit(doc, (d) => {
    delete d.schema.properties[name];
    if (d.schema.required) d.schema.required = d.schema.required.filter((n) => n !== name);
    if (d.schema.required?.length === 0) delete d.schema.required;
    if (d.ui?.order) d.ui.order = d.ui.order.filter((n) => n !== name);
    if (d.ui?.fields) delete d.ui.fields[name];
    if (d.searchable) d.searchable = d.searchable.filter((n) => n !== name);
  });
}

export function renameField(doc: FormDoc, from: string, to: string): FormDoc {
  const swap = (list?: string[]) => list?.map((n) => (n === from ? to : n));
  return edit(doc, (d) => {
    d.schema.properties = renameKey(d.schema.properties, from, to);
    if (d.schema.required) d.schema.required = swap(d.schema.required);
    if (d.ui?.order) d.ui.order = swap(d.ui.order);
    if (d.ui?.fields && from in d.ui.fields) d.ui.fields = renameKey(d.ui.fields, from, to);
    if (d.searchable) d.searchable = swap(d.searchable);
    // The summary refers to fields as {{name}}: keep it pointing at the renamed field.
    if (d.summary) d.summary = d.summary.replace(new RegExp(`\\{\\{\\s*${from}\\s*\\}\\}`, "g"), `{{${to}}}`);
  });
}

export function moveField(doc: FormDoc, name: string, delta: number): FormDoc {
  const order = fieldOrder(doc);
  return edit(doc, (d) => {
    d.ui = { ...d.ui, order: move(order, order.indexOf(name), delta) };
  });
}

/** Moves a field before another one (drag and drop). */
export function placeField(doc: FormDoc, name: string, before: string): FormDoc {
  const order = fieldOrder(doc).filter((n) => n !== name);
  order.splice(order.indexOf(before), 0, name);
  return edit(doc, (d) => {
    d.ui = { ...d.ui, order };
  });
}

export function setField(doc: FormDoc, name: string, field: FieldSchema): FormDoc {
  return edit(doc, (d) => {
    d.schema.properties[name] = field;
  });
}

export function setHints(doc: FormDoc, name: string, hints: UiHints): FormDoc {
  return edit(doc, (d) => {
    const clean = Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined && v !== ""));
    d.ui ??= {};
    d.ui.fields ??= {};
    if (Object.keys(clean).length) d.ui.fields[name] = clean as UiHints;
    else delete d.ui.fields[name];
  });
}

export function setRequired(doc: FormDoc, name: string, on: boolean): FormDoc {
  return edit(doc, (d) => {
    const list = (d.schema.required ?? []).filter((n) => n !== name);
    if (on) list.push(name);
    if (list.length) d.schema.required = list;
    else delete d.schema.required;
  });
}

export function defaultWidget(field: FieldSchema): Widget {
  switch (field.type) {
    case "boolean": return "checkbox";
    case "array": return "checkboxes";
    case "integer": return field.oneOf || field.enum ? "select" : "text";
    case "number": return "text";
    default:
      if (field.oneOf || field.enum) return "select";
      if (field.format === "date") return "date";
      if (field.format === "date-time") return "datetime";
      return "text";
  }
}

/** A field of another type, keeping what still applies (label, options moved in or out of items). */
export function changeType(field: FieldSchema, type: FieldType): FieldSchema {
  const keep = new Set([...COMMON_KEYWORDS, ...TYPE_KEYWORDS[type]]);
  const next = Object.fromEntries(Object.entries(field).filter(([k]) => keep.has(k))) as FieldSchema;
  next.type = type;
  const options = field.type === "array" ? field.items : field;
  if (type === "array") {
    const items: FieldSchema["items"] = { type: "string" };
    if (options?.oneOf) items.oneOf = options.oneOf.map((o) => ({ ...o, const: String(o.const) }));
    else if (options?.enum) items.enum = options.enum.map(String);
    next.items = items;
  } else if (field.type === "array" && (type === "string" || type === "integer")) {
    if (options?.oneOf) next.oneOf = options.oneOf;
    if (options?.enum) next.enum = options.enum;
  }
  if (type === "integer") {
    // Options must be of the field's type (lint: bad-option): drop the ones that are not numbers.
    if (next.oneOf) next.oneOf = next.oneOf.filter((o) => !Number.isNaN(Number(o.const))).map((o) => ({ ...o, const: Number(o.const) }));
    if (next.enum) next.enum = next.enum.map(Number).filter((n) => !Number.isNaN(n));
    if (next.oneOf?.length === 0) delete next.oneOf;
    if (next.enum?.length === 0) delete next.enum;
  }
  if (type === "string") {
    if (next.oneOf) next.oneOf = next.oneOf.map((o) => ({ ...o, const: String(o.const) }));
    if (next.enum) next.enum = next.enum.map(String);
  }
  return next;
}

/** The schema's option list as rows (oneOf has labels; a bare enum uses the value as label). */
export function optionsOf(field: Scalar | undefined): Option[] {
  if (!field) return [];
  if (field.oneOf) return field.oneOf;
  return (field.enum ?? []).map((v) => ({ const: v, title: String(v) }));
}

/** Writes options as oneOf (labelled) and drops enum, or removes both when the list is empty. */
export function withOptions<S extends Scalar>(field: S, options: Option[]): S {
  const next = { ...field };
  delete next.enum;
  if (options.length) next.oneOf = options;
  else delete next.oneOf;
  return next;
}

export function renameStatus(doc: FormDoc, from: string, to: string): FormDoc {
  return edit(doc, (d) => {
    d.statuses = d.statuses.map((s) => (s.name === from ? { ...s, name: to } : s));
    d.transitions = (d.transitions ?? []).map((tr) => ({
      ...tr, from: tr.from === from ? to : tr.from, to: tr.to === from ? to : tr.to,
    }));
  });
}

export function removeStatus(doc: FormDoc, index: number): FormDoc {
  return edit(doc, (d) => {
    const [gone] = d.statuses.splice(index, 1);
    d.transitions = (d.transitions ?? []).filter((tr) => tr.from !== gone.name && tr.to !== gone.name);
  });
}
