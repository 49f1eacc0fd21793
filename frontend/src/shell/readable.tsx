/** Readable renderings of pointers and values for people who never see JSON: diffs, findings, conflicts. */
import type { ReactNode } from "react";
import { OPS } from "../editors/common/condition/model";
import { EVENT_LABELS } from "../editors/dispatch/model";
import { pointerParts } from "./schema";
import { QUOTE_MAX, cut } from "./ShortText";
import type { Finding } from "./types";

type T = (s: string) => string;

const human = (key: string): string => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** Characters of one value kept in view in a diff cell (a label is cut at QUOTE_MAX, like findings); the full
 * text is the cell's hover title (QA: a 5,000-character label made the version diff ~16,000 px tall). */
export const VALUE_MAX = 2 * QUOTE_MAX;

/** A field's name for people: its title in the reader's language ("超时（秒）", "Timeout seconds", "标题"), never the
 * stored property name; a word that is no property name (a digit, a variable the analyst named) is kept as typed.
 * The capitalised word is looked up too, so the editors' own labels ("Title" → 标题) name a document's fields. */
export function fieldLabel(part: string, t: T): string {
  if (part in CONDITION_PARTS) return t(CONDITION_PARTS[part]);
  if (part in KEY_LABELS) return t(KEY_LABELS[part]);
  if (part in STRUCTURE) return english(t) ? STRUCTURE[part][0] : STRUCTURE[part][1];
  const said = t(part);
  if (said !== part) return said;
  if (!(/^[a-z][a-z0-9]*_[a-z0-9_]*$/.test(part) || /^[a-z]+$/.test(part))) return part;
  return t(human(part));
}

/** A comparison's own parts, named as the condition editor's columns are (not "Op"). */
const CONDITION_PARTS: Record<string, string> = { op: "Comparison", field: "Field", value: "Value" };

/** Stored keys the editors label in camelCase or by another word (the form editor's 最少字数, the dispatch
 * editor's 渠道), looked up through `t` (the diff's translator also reads the editors' table). */
const KEY_LABELS: Record<string, string> = {
  minLength: "Minimum length", maxLength: "Maximum length", minimum: "Minimum", maximum: "Maximum",
  minItems: "Choose at least", maxItems: "Choose at most", channel: "Channel", type: "Type",
};

/** A condition's structure words, [English, Chinese], as the condition builder says them (its "Condition" is not
 * the node type 条件分支, so these are not looked up through `t`). */
const STRUCTURE: Record<string, [string, string]> = {
  when: ["Condition", "条件"], all: ["All of", "全部满足"], any: ["Any of", "任一满足"], not: ["None of", "不满足"],
};

/** Whether `t` speaks English (it leaves a word the Chinese table translates as it is). */
const english = (t: T): boolean => t("when") === "when";

/** One entry of a list, by the noun the editors give one item ("Rule 6", "规则 6"), not the list's plural. */
const ITEM_NOUN: Record<string, [string, string]> = {
  rules: ["Rule", "规则"], actions: ["Action", "动作"], branches: ["Branch", "分支"], questions: ["Question", "问题"],
  statuses: ["Status", "状态"], transitions: ["Transition", "流转"], dispositions: ["Disposition", "结果分类"],
  windows: ["Call window", "拨打时段"], options: ["Option", "选项"],
};

/** Stored codes shown by their labels where the editors show them so (a notify's channel, an action's type). */
const VALUE_LABELS: Record<string, Record<string, string>> = {
  channel: { sms: "SMS", email: "e-mail", webhook: "webhook" },
  type: {
    route_to_queue: "Route to queue", overflow: "Overflow", assign: "Assign", assign_by_coverage: "Assign by coverage",
    notify: "Notify", escalate: "Escalate", set_fields: "Set fields", set_status: "Set status",
    schedule_callback: "Schedule callback", start_return_visit: "Start return visit",
  },
};

/** The words a diff needs beyond `t`: condition fields by their form/record label (ticket.branch → 网点). */
export interface DiffWords {
  fieldNames?: Record<string, string>;
  /** Option labels by condition field (ticket.category → attitude → 服务态度), as the condition builder offers them. */
  optionLabels?: Record<string, Record<string, string>>;
  /** The field of the comparison whose value a diff row shows alone (…/when/value): its options by label. */
  valueField?: string;
}

/** A comparison's value by its option's label where the field has one (服务态度), else as stored. */
function optionLabel(words: DiffWords, field: unknown, value: unknown): string | undefined {
  if (typeof field !== "string" || (typeof value !== "string" && typeof value !== "number")) return undefined;
  return words.optionLabels?.[field]?.[String(value)];
}

const OP_LABEL: Record<string, string> = Object.fromEntries(OPS.map((o) => [o.op, o.label]));

/** An item's own name (a rule's label, a status's name), for counting list entries "2（名称）" as the editors do. */
const itemName = (item: any): string | undefined => {
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const name = item.label || item.title || item.name;
  return typeof name === "string" && name ? cut(name, QUOTE_MAX) : undefined;
};

/** A comparison of a condition ({field, op, value}) in words: "网点 等于 北京", "备注 不为空". */
function comparison(value: any, t: T, words: DiffWords, short: boolean): string | null {
  if (!value || typeof value !== "object" || Array.isArray(value) || typeof value.op !== "string"
    || !("field" in value) || Object.keys(value).some((k) => !["field", "op", "value"].includes(k))) return null;
  const field = typeof value.field === "string" && value.field
    ? words.fieldNames?.[value.field] ?? value.field : t("(no field chosen)");
  const op = OP_LABEL[value.op] ? t(OP_LABEL[value.op]) : value.op;
  if (!("value" in value)) return `${field} ${op}`;
  const one = (v: any) => optionLabel(words, value.field, v) ?? scalar(v, t, short);
  const shown = Array.isArray(value.value) ? value.value.map(one).join(t(", ")) : one(value.value);
  return `${field} ${op} ${shown}`;
}

/** One value in words: yes/no, a comparison's operator or field by its words (key: the property holding it). */
function scalar(value: any, t: T, short: boolean, words: DiffWords = {}, key?: string): string {
  if (typeof value === "boolean") return t(value ? "yes" : "no");
  if (key === "op" && typeof value === "string" && OP_LABEL[value]) return t(OP_LABEL[value]);
  if (key === "field" && typeof value === "string" && words.fieldNames?.[value]) return words.fieldNames[value];
  if (key === "event" && typeof value === "string" && EVENT_LABELS[value]) return t(EVENT_LABELS[value]);
  const option = key === "value" ? optionLabel(words, words.valueField, value) : undefined;
  if (option !== undefined) return short ? cut(option, VALUE_MAX) : option;
  if (key && typeof value === "string" && VALUE_LABELS[key]?.[value]) return t(VALUE_LABELS[key][value]);
  // A name is cut as the place column cuts it (QUOTE_MAX); other text at VALUE_MAX; the whole on hover.
  const max = key && ["label", "title", "name"].includes(key) ? QUOTE_MAX : VALUE_MAX;
  return short ? cut(String(value), max) : String(value);
}

/**
 * "/nodes/main_menu/options/9" → "主菜单 (main_menu) › 按键选项 › 9"; "/rules/0/actions/1" → "rules 1 (name) ›
 * actions 2": a node by its label, fields by their label through `t`, list items counted from 1 as the cards count
 * them, map keys (a menu's digit, a variable) as typed.
 */
export function readablePointer(pointer: string, body?: any, t: T = (s) => s): string {
  const parts = pointerParts(pointer);
  if (!parts.length) return t("the document");
  const out: string[] = [];
  let node: any = body;
  // A form's field by its title ("「联系电话」字段"), not "Schema › Properties › phone"; its "items" is structure.
  const field = parts[0] === "schema" && parts[1] === "properties" && parts.length > 2;
  parts.forEach((part, index) => {
    const parent = node;
    node = node && typeof node === "object" ? node[part] : undefined;
    if (field && index < 2) return;
    if (field && index === 2) {
      out.push(t("the “{label}” field").replace("{label}", node?.title || part));
      return;
    }
    if (field && part === "items" && index > 2) return;
    if (index === 0 && part === "nodes" && parts.length > 1) return; // the node's own name says it
    if (index === 1 && parts[0] === "nodes") {
      out.push(node && typeof node === "object" && node.label ? `${cut(String(node.label), QUOTE_MAX)} (${part})` : part);
      return;
    }
    if (Array.isArray(parent) && /^\d+$/.test(part)) {
      const name = itemName(node);
      const counted = `${Number(part) + 1}${name ? ` (${name})` : ""}`;
      const noun = ITEM_NOUN[parts[index - 1]];
      if (noun && out.length) out[out.length - 1] = `${english(t) ? noun[0] : noun[1]} ${counted}`;
      else if (out.length) out[out.length - 1] = `${out[out.length - 1]} ${counted}`; else out.push(counted);
      return;
    }
    if (index === 1 && parts[0] === "pages" && node && typeof node === "object") {
      // An outbound page by its title (开场确认), as the script editor's cards name it, not its key.
      const title = typeof node.title === "string" && node.title ? cut(node.title, QUOTE_MAX) : part;
      out.push(title);
      return;
    }
    const key = index > 0 && ["options", "values", "assign", "fields", "headers", "variables"].includes(parts[index - 1]);
    out.push(key ? part : fieldLabel(part, t));
  });
  return out.join(" › ");
}

/** Where a finding is: the server's words for it when it sent them (every kind, in the page's language), else
 * the pointer made readable here. */
export function findingPlace(finding: Finding, body?: any, t: T = (s) => s): string {
  return finding.place?.length ? finding.place.join(" › ") : readablePointer(finding.pointer, body, t);
}

/** A node's position (where the designer draws it) is layout, not flow: it never shows in a diff (layout is stored
 * apart from the flow since 5ddd0f2; older versions still carry positions). */
const LAYOUT = /^\/nodes\/[^/]+\/position(\/|$)/;
const NODE = /^\/nodes\/([^/]+)$/;

/** Flattens nested values into "a › b: value" lines, keys by their label, list entries counted from 1 with their
 * name, a condition's comparison in words, an empty object or list as "(empty)"; positions are left out. `short`
 * cuts long text (VALUE_MAX); the uncut lines are the hover title. */
function lines(value: any, prefix: string, t: T, words: DiffWords, short: boolean, key?: string): string[] {
  const line = (text: string) => `${prefix}${prefix ? ": " : ""}${text}`;
  if (value === null || typeof value !== "object") return [line(scalar(value, t, short, words, key))];
  const said = comparison(value, t, words, short);
  if (said !== null) return [line(said)];
  const entries: [string, any][] = Array.isArray(value)
    ? value.map((v, i) => [itemName(v) ? `${i + 1} (${itemName(v)})` : String(i + 1), v])
    : Object.entries(value).filter(([key]) => key !== "position");
  if (!entries.length) return [line(t("(empty)"))];
  const noun = Array.isArray(value) && key ? ITEM_NOUN[key] : undefined;
  return entries.flatMap(([entry, v]) => {
    const titled = key === "pages" && v && typeof v === "object" && typeof v.title === "string" && v.title;
    const name = Array.isArray(value) ? entry : titled ? cut(titled, QUOTE_MAX) : fieldLabel(entry, t);
    // a list of values ("is one of") keeps its key: each item is an option, said by its label
    const itemKey = Array.isArray(value) ? (key === "value" ? key : undefined) : entry;
    if (noun && prefix) {
      // "Rules › 1 › …" reads "Rule 1 › …": the list's plural is replaced by one item's noun.
      const parts = prefix.split(" › ");
      parts[parts.length - 1] = `${english(t) ? noun[0] : noun[1]} ${entry}`;
      return lines(v, parts.join(" › "), t, words, short, itemKey);
    }
    return lines(v, prefix ? `${prefix} › ${name}` : name, t, words, short, itemKey);
  });
}

/** A value as short lines of text: strings bare, objects as "field: value" lines (nested fields joined with ›);
 * long text cut (VALUE_MAX) with the whole value on hover, the cell's height bounded by the style sheet. */
export function readableValue(value: any, t: T = (s) => s, words: DiffWords = {}, key?: string): ReactNode {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  const shown = lines(value, "", t, words, true, key).join("\n");
  const whole = lines(value, "", t, words, false, key).join("\n");
  if (typeof value !== "object" && shown === whole) return shown;
  return <pre className="value" title={shown === whole ? undefined : whole}>{shown}</pre>;
}

export interface Change { op: "added" | "removed" | "changed"; pointer: string; old?: any; new?: any }

/** A node's content as the flow sees it (its position is layout). */
function content(node: any): string {
  if (!node || typeof node !== "object") return JSON.stringify(node);
  const { position: _position, ...rest } = node;
  return JSON.stringify(rest, Object.keys(rest).sort());
}

const nodeName = (id: string, node: any): string => (node?.label ? `${cut(String(node.label), QUOTE_MAX)} (${id})` : id);
/** The node's uncut label, the hover title of a cut one. */
const nodeTitle = (node: any): string | undefined =>
  (node?.label && Array.from(String(node.label)).length > QUOTE_MAX ? String(node.label) : undefined);

const lastPart = (pointer: string): string | undefined => pointerParts(pointer).slice(-1)[0];

type Row = { kind: "change"; change: Change } | { kind: "node"; op: "added" | "removed"; id: string; node: any }
  | { kind: "renamed"; from: string; to: string; node: any };

/** Node-level additions and deletions paired into renames (same content, another id), the rest as they are. */
function rows(changes: Change[]): Row[] {
  const added = new Map<string, Change>(), removed = new Map<string, Change>();
  for (const c of changes) {
    const id = NODE.exec(c.pointer)?.[1];
    if (id && c.op === "added") added.set(id, c);
    if (id && c.op === "removed") removed.set(id, c);
  }
  const renamedTo = new Map<string, string>();
  const taken = new Set<string>();
  for (const [from, gone] of removed) {
    const same = content(gone.old);
    const to = [...added.keys()].find((id) => !taken.has(id) && content(added.get(id)!.new) === same);
    if (to) { renamedTo.set(from, to); taken.add(to); }
  }
  const out: Row[] = [];
  for (const change of changes) {
    if (LAYOUT.test(change.pointer)) continue;
    const id = NODE.exec(change.pointer)?.[1];
    if (id && change.op === "removed" && renamedTo.has(id)) {
      out.push({ kind: "renamed", from: id, to: renamedTo.get(id)!, node: change.old });
    } else if (id && change.op === "added" && taken.has(id)) {
      continue; // shown with its rename
    } else if (id && change.op !== "changed") {
      out.push({ kind: "node", op: change.op, id, node: change.op === "added" ? change.new : change.old });
    } else {
      out.push({ kind: "change", change });
    }
  }
  return out;
}

/** The key a changed cell is shown under and its words: a comparison's value (…/when/value, or one item of it)
 * names the comparison's field, read from the document, so the value is said by its option's label. */
function valueWords(pointer: string, body: any, words: DiffWords): [string | undefined, DiffWords] {
  const parts = pointerParts(pointer);
  const at = parts.length >= 2 && parts[parts.length - 1] !== "value" && parts[parts.length - 2] === "value"
    && /^\d+$/.test(parts[parts.length - 1]) ? parts.length - 1 : parts.length;
  if (parts[at - 1] !== "value") return [lastPart(pointer), words];
  let comparison: any = body;
  for (const part of parts.slice(0, at - 1)) comparison = comparison?.[part];
  const field = comparison && typeof comparison === "object" ? comparison.field : undefined;
  return ["value", typeof field === "string" ? { ...words, valueField: field } : words];
}

/** Side-by-side table of changes: where, before, after. `schema` (the kind's) names node types. */
export function ChangeTable({ changes, t, body, testid, schema, words = {} }: {
  changes: Change[]; t: (s: string, p?: Record<string, string | number>) => string; body?: any; testid?: string; schema?: any;
  /** Condition fields by label (the designer context's, as the editors name them). */
  words?: DiffWords;
}) {
  const shown = rows(changes);
  if (!shown.length) return <p data-testid={testid} className="muted">{t("No differences")}</p>;
  const typeName = (type: unknown) => t(schema?.$defs?.[String(type)]?.title || String(type ?? "?"));
  // A whole node is summed up by its name and type; its other fields by their labels, never as stored keys.
  const nodeFields = (node: any) => {
    if (!node || typeof node !== "object") return readableValue(node, t, words);
    const { type: _type, label: _label, position: _position, ...rest } = node;
    return Object.keys(rest).length ? readableValue(rest, t, words) : null;
  };
  return (
    <table className="diff" data-testid={testid}>
      <thead><tr><th>{t("Where")}</th><th>{t("Before")}</th><th>{t("After")}</th></tr></thead>
      <tbody>
        {shown.map((row, i) => {
          if (row.kind === "renamed") {
            return (
              <tr key={i} className="change-renamed node-change">
                <td colSpan={3} title={nodeTitle(row.node)}><span className="op op-renamed">{t("Renamed")}</span> {nodeName(row.from, row.node)} → {nodeName(row.to, row.node)}
                  {" "}<span className="muted">· {typeName(row.node?.type)}</span></td>
              </tr>
            );
          }
          if (row.kind === "node") {
            const what = <>{nodeName(row.id, row.node)} <span className="muted">· {typeName(row.node?.type)}</span></>;
            return (
              <tr key={i} className={`change-${row.op} node-change`}>
                <td title={nodeTitle(row.node)}><span className={`op op-${row.op}`}>{t(row.op === "added" ? "Node added" : "Node deleted")}</span> {what}</td>
                <td className="old">{row.op === "removed" ? nodeFields(row.node) : ""}</td>
                <td className="new">{row.op === "added" ? nodeFields(row.node) : ""}</td>
              </tr>
            );
          }
          const change = row.change;
          const [key, cellWords] = valueWords(change.pointer, body, words);
          return (
            <tr key={i} className={`change-${change.op}`}>
              <td title={nodeTitle(body?.nodes?.[pointerParts(change.pointer)[0] === "nodes" ? pointerParts(change.pointer)[1] : ""])}>
                <span className={`op op-${change.op}`}>{t(change.op)}</span> {readablePointer(change.pointer, body, t)}</td>
              <td className="old">{change.op === "added" ? "" : readableValue(change.old, t, cellWords, key)}</td>
              <td className="new">{change.op === "removed" ? "" : readableValue(change.new, t, cellWords, key)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
