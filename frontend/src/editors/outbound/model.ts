/** The outbound script document (hotline/platform/kinds/outbound/schema.json) and the edits that keep
 * page ids and disposition codes consistent wherever they are referred to. */
import type { FieldRef } from "../../shell/types";
import type { Condition } from "../common/condition/model";
import { edit, freshName, renameKey } from "../common/update";

export type QuestionType = "choice" | "multi" | "text" | "number" | "rating" | "yesno";
export interface QuestionOption { value: string; label: string; digit?: string }
export interface Question {
  name: string;
  label: string;
  type: QuestionType;
  options?: QuestionOption[];
  required?: boolean;
  min?: number;
  max?: number;
}
export interface Branch { when: Condition; next: string }
export interface Page {
  title?: string;
  say?: string;
  questions?: Question[];
  branches?: Branch[];
  next?: string;
  disposition?: string;
}
export type Outcome = "success" | "refused" | "callback" | "retry" | "dnc" | "wrong_number";
export interface Disposition { code: string; label: string; outcome: Outcome; final?: boolean }
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export interface CallWindow { days: Weekday[]; start: string; end: string }
export interface Retry { max_attempts: number; delay_minutes: number }
export interface Dialing {
  mode: "preview" | "progressive" | "predictive" | "agentless";
  pacing_ratio?: number;
  max_abandon_rate?: number;
  ring_timeout_seconds?: number;
  timezone: string;
  windows: CallWindow[];
  retries?: Partial<Record<"busy" | "no_answer" | "failed", Retry>>;
  caller_id?: string;
  max_attempts_per_contact?: number;
}
/** Stores the call's answers as a ticket of `form`: form field -> text with {{answer.x}} / {{contact.x}}. */
export interface CreateTicket { form: string; fields: Record<string, string>; on?: string[] }
export interface OutboundDoc {
  title: string;
  description?: string;
  start: string;
  pages: Record<string, Page>;
  dispositions: Disposition[];
  dialing: Dialing;
  create_ticket?: CreateTicket;
}

export const CHOICE_TYPES: ReadonlySet<QuestionType> = new Set(["choice", "multi"]);
export const RANGE_TYPES: ReadonlySet<QuestionType> = new Set(["number", "rating"]);

/** Fields of a contact-list row a branch may read (CONTACT_FIELDS in the outbound lint). */
export const CONTACT_FIELDS = ["name", "phone", "address", "timezone", "customer_id", "ticket_id", "ticket_number",
  "note", "email", "company", "language", "attempt"];

/** What a branch condition may read: the script's answers, the contact, the customer, the call. */
export function branchFields(doc: OutboundDoc, context: FieldRef[]): FieldRef[] {
  const answers: (FieldRef & { option_labels?: Record<string, string> })[] = Object.values(doc.pages ?? {}).flatMap((page) => (page.questions ?? []).map((q) => ({
    path: `answer.${q.name}`,
    label: q.label || q.name,
    type: q.type === "multi" ? "array" : RANGE_TYPES.has(q.type) ? "number" : q.type === "yesno" ? "boolean" : "string",
    options: CHOICE_TYPES.has(q.type) ? (q.options ?? []).map((o) => o.value) : undefined,
    option_labels: Object.fromEntries((q.options ?? []).map((o) => [o.value, o.label])),
    source: "answer",
  })));
  const contact: FieldRef[] = CONTACT_FIELDS.map((f) => ({
    path: `contact.${f}`, label: f, type: f === "attempt" || f === "customer_id" || f === "ticket_id" ? "integer" : "string",
    source: "contact",
  }));
  const others = context.filter((f) => f.path.startsWith("customer.") || f.path.startsWith("call."));
  return [...answers, ...contact, ...others];
}

/** The dialing policy a new script starts with: office hours on weekdays in China's time zone. */
export const DEFAULT_DIALING: Dialing = {
  mode: "progressive", timezone: "Asia/Shanghai",
  windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" }],
};

export function addPage(doc: OutboundDoc, title: string): [OutboundDoc, string] {
  const id = freshName("page", Object.keys(doc.pages ?? {}));
  return [edit(doc, (d) => {
    d.pages = { ...d.pages, [id]: { title } };
    if (!d.start) d.start = id;
    // A new script has no dialing policy yet; it is required, so the first page brings the default one.
    d.dialing ??= structuredClone(DEFAULT_DIALING);
  }), id];
}

export function renamePage(doc: OutboundDoc, from: string, to: string): OutboundDoc {
  const swap = (id?: string) => (id === from ? to : id);
  return edit(doc, (d) => {
    d.pages = renameKey(d.pages, from, to);
    if (d.start === from) d.start = to;
    for (const page of Object.values(d.pages)) {
      if (page.next !== undefined) page.next = swap(page.next);
      for (const b of page.branches ?? []) b.next = swap(b.next)!;
    }
  });
}

export function removePage(doc: OutboundDoc, id: string): OutboundDoc {
  return edit(doc, (d) => {
    delete d.pages[id];
    // Links to the removed page go with it rather than dangle.
    for (const page of Object.values(d.pages)) {
      if (page.next === id) delete page.next;
      if (page.branches) page.branches = page.branches.filter((b) => b.next !== id);
    }
    if (d.start === id) d.start = Object.keys(d.pages)[0] ?? "";
  });
}

export function renameDisposition(doc: OutboundDoc, from: string, to: string): OutboundDoc {
  return edit(doc, (d) => {
    d.dispositions = d.dispositions.map((x) => (x.code === from ? { ...x, code: to } : x));
    for (const page of Object.values(d.pages ?? {})) if (page.disposition === from) page.disposition = to;
    if (d.create_ticket?.on) d.create_ticket.on = d.create_ticket.on.map((c) => (c === from ? to : c));
  });
}

/** Contact fields a ticket field may be filled with. */
export const TICKET_CONTACT_FIELDS = ["name", "phone", "address", "customer_id", "ticket_number", "note", "email",
  "company"];

/** What may fill a ticket field: each question's answer, then the contact's fields ({{answer.x}}, {{contact.x}}). */
export function ticketSources(doc: OutboundDoc): { value: string; label: string; kind: "answer" | "contact" }[] {
  const answers = Object.values(doc.pages ?? {}).flatMap((p) => (p.questions ?? []).map((q) => ({
    value: `{{answer.${q.name}}}`, label: q.label || q.name, kind: "answer" as const,
  })));
  const contact = TICKET_CONTACT_FIELDS.map((f) => ({ value: `{{contact.${f}}}`, label: f, kind: "contact" as const }));
  return [...answers, ...contact];
}

/** `{{answer.from}}` -> `{{answer.to}}` in a template text (spaces inside the braces allowed). */
export function renameAnswerIn(text: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`\\{\\{(\\s*)answer\\.${escaped}(\\s*)\\}\\}`, "g"), `{{$1answer.${to}$2}}`);
}

export function questionNames(doc: OutboundDoc): string[] {
  return Object.values(doc.pages ?? {}).flatMap((p) => (p.questions ?? []).map((q) => q.name));
}

/** Renames a question and the answer.<name> operands that read it, wherever conditions nest. */
export function renameQuestion(doc: OutboundDoc, pageId: string, index: number, to: string): OutboundDoc {
  const from = doc.pages[pageId].questions![index].name;
  const rewrite = (c: unknown): unknown => {
    if (Array.isArray(c)) return c.map(rewrite);
    if (c && typeof c === "object") {
      return Object.fromEntries(Object.entries(c).map(([k, v]) =>
        [k, k === "field" && v === `answer.${from}` ? `answer.${to}` : rewrite(v)]));
    }
    return c;
  };
  return edit(doc, (d) => {
    d.pages[pageId].questions![index].name = to;
    for (const page of Object.values(d.pages)) {
      if (page.branches) page.branches = page.branches.map((b) => ({ ...b, when: rewrite(b.when) as Condition }));
    }
    // the ticket made from the answers reads the question under its new name too
    const fields = d.create_ticket?.fields;
    if (fields) for (const key of Object.keys(fields)) fields[key] = renameAnswerIn(fields[key], from, to);
  });
}

/** Page ids in the order a call meets them (start, then breadth-first along branches and next), then the
 * pages no path reaches. Stored key order is not kept by every database, so the flow gives the order. */
export function pageOrder(doc: OutboundDoc): string[] {
  const pages = doc.pages ?? {};
  const seen: string[] = [];
  const queue = doc.start in pages ? [doc.start] : [];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.includes(id) || !(id in pages)) continue;
    seen.push(id);
    const page = pages[id];
    queue.push(...(page.branches ?? []).map((b) => b.next), ...(page.next ? [page.next] : []));
  }
  return [...seen, ...Object.keys(pages).filter((id) => !seen.includes(id))];
}
