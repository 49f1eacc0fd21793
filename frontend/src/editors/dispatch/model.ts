/** The dispatch document (hotline/platform/kinds/dispatch/schema.json): ordered rules, each an event,
 * an optional condition and actions. */
import type { DesignerContext, FieldRef } from "../../shell/types";
import type { Condition } from "../common/condition/model";
import { freshName } from "../common/update";

export interface Action { type: string; [param: string]: unknown }
export interface Rule {
  name: string;
  label?: string;
  event: string;
  forms?: string[];
  when?: Condition;
  actions: Action[];
  stop?: boolean;
  enabled?: boolean;
}
export interface DispatchDoc { title?: string; description?: string; rules: Rule[] }

/** Events of a call (no ticket yet) and of a ticket (no live call), as in the dispatch lint. */
export const CALL_EVENTS: ReadonlySet<string> = new Set(["call.entered_queue", "call.abandoned"]);
export const TICKET_EVENTS: ReadonlySet<string> = new Set([
  "ticket.created", "ticket.updated", "ticket.status_changed", "ticket.sla_warning", "ticket.sla_breached",
]);
const CALL_ACTIONS: ReadonlySet<string> = new Set(["route_to_queue", "overflow"]);
const TICKET_ACTIONS: ReadonlySet<string> = new Set(["assign", "assign_by_coverage", "set_fields", "set_status"]);

export const EVENT_LABELS: Record<string, string> = {
  "call.entered_queue": "A call enters a queue",
  "call.abandoned": "A caller hangs up while waiting",
  "ticket.created": "A ticket is created",
  "ticket.updated": "A ticket is updated",
  "ticket.status_changed": "A ticket changes status",
  "ticket.sla_warning": "A ticket is about to be overdue",
  "ticket.sla_breached": "A ticket is overdue",
  "callback.due": "A callback is due",
};

/** The actions that fit an event (a call event has no ticket to change, a ticket event no call to move). */
export function actionFits(type: string, event: string): boolean {
  if (CALL_EVENTS.has(event)) return !TICKET_ACTIONS.has(type);
  if (TICKET_EVENTS.has(event)) return !CALL_ACTIONS.has(type);
  return true;
}

type Ref = FieldRef & { forms?: string[] };

/** The fields a rule's condition may read: what its event carries, and of the tickets only the fields
 * of the forms it is limited to. */
export function ruleFields(rule: Rule, fields: FieldRef[]): FieldRef[] {
  const call = CALL_EVENTS.has(rule.event);
  const ticket = TICKET_EVENTS.has(rule.event);
  return (fields as Ref[]).filter((f) => {
    const root = f.path.split(".")[0];
    if (call && root === "ticket") return false;
    if (ticket && (root === "call" || root === "var")) return false;
    if (root === "ticket" && rule.forms?.length && f.forms) return f.forms.some((n) => rule.forms!.includes(n));
    return true;
  });
}

/** Field names (without "ticket.") of the forms a rule applies to, for the actions that name a field. */
export function ruleFormFields(rule: Rule, fields: FieldRef[]): FieldRef[] {
  return ruleFields({ ...rule, event: "ticket.created" }, fields)
    .filter((f) => f.path.startsWith("ticket.") && f.source === "form");
}

/** Statuses of the forms a rule applies to (all forms when it names none). */
export function ruleStatuses(rule: Rule, context: DesignerContext): string[] {
  const forms = (context.forms ?? []).filter((f) => !rule.forms?.length || rule.forms.includes(f.name));
  return [...new Set(forms.flatMap((f) => f.statuses))];
}

export function newRule(doc: DispatchDoc, event: string, label: string): Rule {
  return { name: freshName("rule", (doc.rules ?? []).map((r) => r.name)), label, event, actions: [] };
}
