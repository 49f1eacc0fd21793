/**
 * The selected node's properties as a form generated with rjsf from its node type's schema: targets become a
 * choice of the existing nodes, prompts get the prompt picker, and each finding shows on its field.
 */
import { useEffect, useMemo, useState } from "react";
import Form, { getDefaultRegistry } from "@rjsf/core";
import type { ObjectFieldTemplateProps } from "@rjsf/utils";
import type { EditorContext, Finding } from "../shell/types";
import { deref, pointerParts } from "../shell/schema";
import { validator } from "../shell/validator";
import { errorSchema, flash, rjsfId } from "../shell/errors";
import { refName } from "../shell/schema";
import { isNext, keypadOrder, type NodeType, type Port } from "./graph";
import { CalendarField } from "./CalendarField";
import { DateInput, TextOrTime } from "./calendarWidgets";
import { ConditionField } from "./ConditionField";
import { fieldTitle, localizeSchema } from "./fieldText";
import { BUTTONS, TitleField, WrapIfAdditional, renameNewKeys, translateString } from "./formKit";
import { NodePicker } from "./NodePicker";
import { PromptField } from "./PromptField";
import { errorId, type FieldErrorProps } from "@rjsf/utils";
import { QUOTE_MAX, ShortText } from "../shell/ShortText";
import { PRIORITY_LEVELS, priorityLabel } from "../editors/common/priority";
import { zh as EDITOR_ZH } from "../editors/strings";

const HIDDEN = new Set(["type", "position"]);

/** Keyword carrying an enum's labels, index for index (read by NodePicker; Ajv runs with strict: false). */
export const CHOICE_TITLES = "x-choice-titles";

/** A node as people read it everywhere (pickers, findings): its label, then its id in brackets; the id alone
 * when it has no label. */
export function nodeName(id: string, label?: string): string {
  return label ? `${label} (${id})` : id;
}

/** Replaces every "next" reference with a choice of node ids (labelled), keeping the current value choosable.
 * An `enum` with its labels beside it, not a `oneOf` of consts: for a oneOf rjsf looks for the matching branch by
 * validating the value against each one, and Ajv compiled a thousand one-const schemas per target field — on a
 * 1,000-node IVR the first click on a box took 10-20 s before its properties showed. */
function withTargets(schema: any, ids: string[], titles: string[]): any {
  if (Array.isArray(schema)) return schema.map((s) => withTargets(s, ids, titles));
  if (!schema || typeof schema !== "object") return schema;
  if (isNext(schema)) {
    return { type: "string", title: schema.title, description: schema.description, enum: ids, [CHOICE_TITLES]: titles };
  }
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) out[key] = withTargets(value, ids, titles);
  return out;
}

/** What a map's key is called next to each entry (a menu's digit, a variable's name). */
const KEY_LABELS: Record<string, string> = {
  options: "Digit", values: "Variable", assign: "Variable", fields: "Field", headers: "Header",
};

/** The tenant's resources a node names, offered as lists (Studio/Connect style) instead of typed names. */
export interface Resources {
  queues?: { name: string; title: string }[]; forms?: { name: string; title: string }[];
  skills?: { name: string; title: string }[];
  data_tables?: { name: string; title: string; columns?: string[] }[];
}

/** A choice of existing resources; a value naming none of them stays choosable, marked, so nothing changes. */
function pick(list: { name: string; title: string }[], current: unknown, base: any): any {
  const choices = list.map((r) => ({ const: r.name, title: r.title && r.title !== r.name ? `${r.title} (${r.name})` : r.name }));
  if (typeof current === "string" && current && !list.some((r) => r.name === current)) choices.push({ const: current, title: `${current} ⚠` });
  return choices.length ? { type: "string", title: base?.title, description: base?.description, oneOf: choices } : base;
}

/** Fields that name a resource: queue and form as a list, skills as checkboxes. */
function withResources(schema: any, uiSchema: any, resources: Resources, node: any): void {
  const props = schema.properties || {};
  for (const key of ["queue", "form"] as const) {
    const list = key === "queue" ? resources.queues : resources.forms;
    if (props[key] && list?.length) props[key] = pick(list, node?.[key], props[key]);
  }
  // A lookup's data table from the tenant's tables, and what to keep from the found row from that table's columns.
  const tables = resources.data_tables || [];
  if (Array.isArray(props.source?.oneOf) && tables.length) {
    props.source = { ...props.source, oneOf: props.source.oneOf.map((branch: any) => (branch?.properties?.table
      ? { ...branch, properties: { ...branch.properties, table: pick(tables, node?.source?.table, branch.properties.table) } } : branch)) };
  }
  const columns = tables.find((table) => table.name === node?.source?.table)?.columns || [];
  if (props.assign && columns.length) {
    const current = Object.values<unknown>(node?.assign || {});
    const column = pick(columns.map((c) => ({ name: c, title: c })), undefined, props.assign.additionalProperties);
    for (const extra of current) if (typeof extra === "string" && extra && !columns.includes(extra)) column.oneOf.push({ const: extra, title: `${extra} ⚠` });
    props.assign = { ...props.assign, additionalProperties: column };
  }
  if (props.skills && resources.skills?.length) {
    const current: unknown[] = Array.isArray(node?.skills) ? node.skills : [];
    props.skills = { ...props.skills, items: pick(resources.skills, undefined, {}), uniqueItems: true };
    for (const extra of current) {
      if (typeof extra === "string" && !resources.skills.some((s) => s.name === extra)) props.skills.items.oneOf.push({ const: extra, title: `${extra} ⚠` });
    }
    uiSchema.skills = { ...uiSchema.skills, "ui:widget": "checkboxes" };
  }
}

/** A queue's priority chosen by its words (紧急（9） / Urgent (9)), stored as the level: the dispatch editor, the
 * desk and messages word a level so (editors/common/priority.ts, platform/words.py); the panel showed a bare 0-9
 * number box. */
function withPriorityWords(schema: any, locale: string): void {
  const priority = schema.properties?.priority;
  if (priority?.type !== "integer") return;
  const zhWords = !locale.startsWith("en");
  const word = (s: string) => (zhWords ? EDITOR_ZH[s] ?? s : s);
  schema.properties.priority = { ...priority, oneOf: PRIORITY_LEVELS.map((level) => (
    { const: level, title: priorityLabel(level, word, zhWords ? "zh" : "en") })) };
}

/**
 * A lookup moved to another data table keeps only the columns that table has: a variable copying a column the
 * new table lacks is cleared (its value "", which lint asks to pick again) instead of silently naming a column
 * of the old table. Returns the node unchanged when its table did not change or the columns are unknown.
 */
export function resetColumns(before: any, after: any, tables: Resources["data_tables"] = []): any {
  const from = before?.source?.table, to = after?.source?.table;
  if (!to || from === to || !after?.assign || typeof after.assign !== "object") return after;
  const columns = tables?.find((table) => table.name === to)?.columns;
  if (!columns?.length) return after;
  let changed = false;
  const assign: Record<string, unknown> = {};
  for (const [variable, column] of Object.entries<unknown>(after.assign)) {
    const keep = typeof column === "string" && columns.includes(column);
    if (!keep && column !== "") changed = true;
    assign[variable] = keep ? column : "";
  }
  return changed ? { ...after, assign } : after;
}

/** Where in the node a finding is, as the panel's own field titles say it ("最少位数", "按键选项 › 9", "分支 2 › 条件"):
 * never the stored property name (`max_digits`); list items counted from 1, map keys (a digit, a variable) as typed. */
export function fieldPath(parts: string[], locale: string): string {
  return parts.map((part, i) => {
    if (/^\d+$/.test(part) && i > 0 && parts[i - 1] !== "options") return String(Number(part) + 1);
    if (i > 0 && ["options", "values", "assign", "fields", "headers"].includes(parts[i - 1])) return part;
    return fieldTitle(part, undefined, locale);
  }).join(" › ");
}

/** A branch's "when" is edited by the condition builder (ConditionField), never by rjsf's generated form: rjsf
 * gets a plain object there, since resolving the condition's allOf (value: an array for in / not_in, a string for
 * matches) logged "could not merge subschemas in allOf" on every condition node. The server still validates the
 * full schema. Copies what it changes: the root schema is shared. */
function plainConditions(schema: any): void {
  const branches = schema?.properties?.branches;
  const when = branches?.items?.properties?.when;
  if (!when) return;
  schema.properties.branches = { ...branches, items: { ...branches.items,
    properties: { ...branches.items.properties, when: { type: "object", ...(when.title ? { title: when.title } : {}) } } } };
}

export function panelSchema(root: any, nodeType: NodeType, nodes: Record<string, any>, ports: Port[],
  t: (s: string) => string = (s) => s, locale = "zh_CN", resources: Resources = {}, node: any = {}, selfId?: string): { schema: any; uiSchema: any } {
  const base = deref(root, root.$defs?.base) || {};
  const properties: Record<string, any> = {};
  for (const [key, value] of Object.entries<any>({ ...(base.properties || {}), ...(nodeType.schema.properties || {}) })) {
    if (!HIDDEN.has(key)) properties[key] = value;
  }
  // Every target the node points at now stays choosable, even a missing one, so nothing is silently changed.
  // A node is named as in the findings, label first and id after ("预约回电 (callback_1)"; NodePicker greys the id).
  // The node itself is no target of its own unless it points at itself already; an unconnected target ("") is
  // no choice but the picker's placeholder (未连接 / Not connected).
  const ids = new Set(Object.keys(nodes));
  const pointed = new Set(ports.map((p) => p.target ?? ""));
  const choices = [...ids].filter((id) => id !== selfId || pointed.has(id))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((id) => ({ const: id, title: nodeName(id, nodes[id]?.label) }));
  for (const value of pointed) if (value && !ids.has(value)) choices.push({ const: value, title: `${value} ⚠` });
  // Localized first: localizeSchema turns a property's string enum into labelled consts, which targets must not be.
  const schema = withTargets(localizeSchema({
    type: "object", title: t(nodeType.title), description: nodeType.description, properties,
    required: (nodeType.schema.required || []).filter((k: string) => !HIDDEN.has(k)), $defs: root.$defs,
  }, locale), choices.map((c) => c.const), choices.map((c) => c.title));
  schema.title = t(nodeType.title);
  // The schema's own order (prompt, then what the caller types, then where they go), name first, note last.
  const uiSchema: any = { "ui:submitButtonOptions": { norender: true },
    "ui:order": ["label", ...Object.keys(properties).filter((k) => k !== "label" && k !== "note"), "*", "note"] };
  for (const [key, value] of Object.entries<any>(properties)) {
    // Field names are the schema's property names; people read them in their own language.
    uiSchema[key] = { "ui:title": fieldTitle(key, value?.title, locale) };
    if (KEY_LABELS[key]) uiSchema[key].additionalProperties = { "ui:options": { keyLabel: t(KEY_LABELS[key]) } };
    // A menu's digits are added with the panel's own button, which picks the next free key of the keypad.
    if (key === "options") uiSchema[key]["ui:options"] = { addable: false, ObjectFieldTemplate: KeypadObject };
    if (refName(value) === "prompt") Object.assign(uiSchema[key], { "ui:field": "prompt", "ui:fieldReplacesAnyOrOneOf": true });
    if (key === "note") Object.assign(uiSchema[key], { "ui:widget": "textarea", "ui:options": { rows: 2 } });
    // An hours node's calendar: the tenant's by default (nothing stored), or its own.
    if (refName(value) === "calendar") Object.assign(uiSchema[key], { "ui:field": "calendar" });
    // A condition's branches: the condition builder for each "when" (the dispatch editor's).
    if (key === "branches") uiSchema[key].items = { when: { "ui:field": "condition", "ui:fieldReplacesAnyOrOneOf": true } };
  }
  withResources(schema, uiSchema, resources, node);
  withPriorityWords(schema, locale);
  plainConditions(schema);
  // A choice of object shapes (a lookup's source: 数据表 / 内置数据 / Webhook): rjsf titled the chosen shape with
  // the field's title again under its selector ("数据源*" twice); the shape's own fields follow without it.
  for (const [key, value] of Object.entries<any>(schema.properties || {})) {
    if (uiSchema[key]?.["ui:field"] || !Array.isArray(value?.oneOf)) continue;
    if (value.oneOf.some((branch: any) => branch?.type === "object" || branch?.properties)) {
      uiSchema[key].oneOf = value.oneOf.map(() => ({ "ui:options": { label: false } }));
    }
  }
  return { schema, uiSchema };
}

const DefaultObject = getDefaultRegistry().templates.ObjectFieldTemplate;
/** A menu's keys in keypad order (1–9, 0, *, #), as on the canvas (graph.keypadOrder): a JavaScript object puts
 * "0" first and "#"/"*" last in the order they were added, and rjsf's ui:order cannot name the key "*" (its
 * wildcard). */
function KeypadObject(props: ObjectFieldTemplateProps) {
  const properties = [...props.properties].sort((a, b) => keypadOrder(a.name, b.name));
  return <DefaultObject {...props} properties={properties} />;
}

const FIELDS = { prompt: PromptField, condition: ConditionField, calendar: CalendarField };
const WIDGETS = { SelectWidget: NodePicker, TextWidget: TextOrTime, DateWidget: DateInput };
/** A field's findings under it, long tenant text shortened as in the findings panel (full text on hover). */
function FieldErrors({ errors = [], fieldPathId }: FieldErrorProps) {
  const shown = errors.filter((e) => !!e);
  if (!shown.length) return null;
  return (
    <div>
      <ul id={errorId(fieldPathId)} className="error-detail bs-callout bs-callout-info">
        {shown.map((e, i) => <li className="text-danger" key={i}>{typeof e === "string" ? <ShortText text={e} /> : e}</li>)}
      </ul>
    </div>
  );
}

const TEMPLATES = { ButtonTemplates: BUTTONS, WrapIfAdditionalTemplate: WrapIfAdditional, TitleFieldTemplate: TitleField,
  FieldErrorTemplate: FieldErrors } as any;

export function PropertyPanel({ id, node, nodeType, nodes, ports, root, findings, focusPointer, ctx, onChange, onPromptAdded }: {
  id: string; node: any; nodeType: NodeType; nodes: Record<string, any>; ports: Port[]; root: any; findings: Finding[];
  focusPointer: string | null; ctx: EditorContext; onChange: (node: any) => void; onPromptAdded: () => void;
}) {
  // The target choices depend only on the nodes' ids and labels: rebuilt when those change, not on every edit
  // (on a 1,000-node tree each target select has a thousand options).
  const choicesKey = useMemo(() => Object.keys(nodes).map((k) => `${k}\u0001${nodes[k]?.label ?? ""}`).join("\u0002"), [nodes]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableNodes = useMemo(() => nodes, [choicesKey]);
  // Only the resource-naming values matter to the lists (a value naming nothing stays choosable).
  const named = `${node?.queue ?? ""}\u0001${node?.form ?? ""}\u0001${Array.isArray(node?.skills) ? node.skills.join(",") : ""}`
    + `\u0001${node?.source?.table ?? ""}\u0001${JSON.stringify(node?.assign ?? null)}`;
  const { schema, uiSchema } = useMemo(() => panelSchema(root, nodeType, stableNodes, ports, ctx.t, ctx.locale, ctx.context, node, id),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [root, nodeType, stableNodes, ports, ctx.t, ctx.locale, ctx.context, named, id]);
  const translate = useMemo(() => translateString(ctx.locale), [ctx.locale]);
  // Bumped when an rjsf "newKey" was renamed: rjsf keeps its own list of map keys, so the form is rebuilt.
  const [generation, setGeneration] = useState(0);
  const extraErrors = useMemo(() => {
    const errors = errorSchema(findings, ["nodes", id]);
    delete errors.__errors; // node-level ones are listed above the form already
    return errors;
  }, [findings, id]);
  const formData = useMemo(() => {
    const copy = { ...node };
    for (const key of HIDDEN) delete copy[key];
    return copy;
  }, [node]);
  // The nodes let a condition name a variable by the node that sets it (conditionFields.ts).
  const formContext = useMemo(() => ({ ctx, onPromptAdded, nodes: stableNodes }), [ctx, onPromptAdded, stableNodes]);

  useEffect(() => {
    if (focusPointer === null) return;
    const parts = pointerParts(focusPointer);
    if (parts[0] !== "nodes" || parts[1] !== id) return;
    // Wait a frame: the panel may just have been opened for this node.
    window.setTimeout(() => {
      for (let n = parts.length; n >= 2; n--) if (flash(rjsfId(parts.slice(2, n)))) break;
    }, 50);
  }, [focusPointer, id]);

  return (
    <div className="property-form">
      {findings.length ? (
        <ul className="node-findings" data-testid="node-findings">
          {findings.map((f, i) => <li key={i} className={f.severity}>
            <ShortText text={fieldPath(pointerParts(f.pointer).slice(2), ctx.locale) || nodes[id]?.label || id} max={QUOTE_MAX} />: <ShortText text={f.message} /></li>)}
        </ul>
      ) : null}
      {/* Keyed by the node's ports as well: rjsf keeps its own copy of the data and missed a digit added from
          outside the form (the "add menu option" button) until another node was selected. */}
      <Form key={`${id}\u0002${generation}\u0002${ports.map((p) => p.handle).join("\u0001")}`} schema={schema} uiSchema={uiSchema} formData={formData} validator={validator} fields={FIELDS} widgets={WIDGETS}
        templates={TEMPLATES} translateString={translate}
        formContext={formContext} extraErrors={extraErrors} showErrorList={false} noHtml5Validate
        disabled={!ctx.canWrite} experimental_defaultFormStateBehavior={{ emptyObjectFields: "skipDefaults" }}
        onChange={(event) => {
          const renamed = renameNewKeys(event.formData);
          const reset = resetColumns(node, renamed, ctx.context.data_tables);
          // rjsf keeps its own copy of the data: rebuilt when a key was renamed or a column cleared.
          if (reset !== event.formData) setGeneration((g) => g + 1);
          const next = { type: node.type, ...reset, ...(node.position ? { position: node.position } : {}) };
          for (const [key, value] of Object.entries(next)) if (value === undefined) delete (next as any)[key];
          if (JSON.stringify(next) !== JSON.stringify(node)) onChange(next);
        }} />
    </div>
  );
}
