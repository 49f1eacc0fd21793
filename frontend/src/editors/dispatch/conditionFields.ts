/**
 * The fields a dispatch rule's condition offers, named in the reader's language: the ticket's own attributes
 * (处理人, 创建时间…) and the customer's and call's (as the IVR condition builder names them), the code only as
 * the grey text beside the label. The designer context names these by their code ("assignee", "vip"), which
 * the builder showed as "assignee (ticket.assignee)" in the Chinese UI (QA of issue 16, fixc18 item 2).
 */
import type { FieldRef } from "../../shell/types";
import { RECORD_LABELS } from "../../ivr/conditionFields";
import { PRIORITY_LEVELS, priorityWord } from "../common/priority";

const TICKET_LABELS: Record<string, [string, string]> = {
  "ticket.id": ["工单内部编号", "Ticket id"], "ticket.number": ["工单号", "Ticket number"],
  "ticket.form": ["工单表单", "Ticket form"], "ticket.status": ["工单状态", "Ticket status"],
  "ticket.assignee": ["处理人", "Assignee"], "ticket.priority": ["优先级", "Priority"],
  "ticket.created_at": ["创建时间", "Created at"], "ticket.updated_at": ["更新时间", "Updated at"],
  "ticket.first_response_due": ["首次响应时限", "First response due"],
  "ticket.resolution_due": ["完成时限", "Resolution due"], "ticket.customer_id": ["客户编号", "Customer id"],
  "ticket.overdue": ["已超时", "Overdue"], "ticket.group": ["处理组", "Group"],
};

/** The context's fields with the ticket's, customer's and call's attributes labelled; form fields keep their titles. */
export function dispatchFields(fields: FieldRef[], locale: string, t: (s: string) => string = (s) => s): FieldRef[] {
  return fields.map((f) => {
    if (f.source === "form") return f;
    const known = TICKET_LABELS[f.path] ?? RECORD_LABELS[f.path];
    const out = known ? { ...f, label: locale === "en" ? known[1] : known[0] } : f;
    // The ticket's priority is offered by its levels' words (紧急, the level grey beside it), not typed as a number.
    if (f.path === "ticket.priority") {
      return { ...out, options: PRIORITY_LEVELS.map(String),
        option_labels: Object.fromEntries(PRIORITY_LEVELS.map((n) => [String(n), priorityWord(n, t)])) } as FieldRef;
    }
    return out;
  });
}
