/**
 * The fields a condition node offers, named as people know them: a variable by where it is set in this IVR (the
 * collect node's label, "查运单 › eta" for a lookup's column, the set node's label), unless the IVR declares it
 * with a description; the call's and customer's attributes in the reader's language. The designer context names
 * a variable only by its code ("eta"), which the builder showed as "eta (var.eta)".
 */
import type { FieldRef } from "../shell/types";

/** Node types whose `variable` property names the variable they set (hotline/designer/api/context.py). */
const SETS_VARIABLE = new Set(["collect", "ticket", "survey", "urge", "callback", "voicemail"]);

export const RECORD_LABELS: Record<string, [string, string]> = {
  "call.caller": ["来电号码", "Caller number"], "call.did": ["呼入号码", "Dialled number"],
  "call.uuid": ["通话编号", "Call id"], "call.tenant": ["租户", "Tenant"], "call.hour": ["当前小时", "Hour"],
  "call.weekday": ["星期", "Weekday"], "call.date": ["日期", "Date"], "call.time": ["时间", "Time"],
  "call.queue": ["队列", "Queue"], "call.wait_seconds": ["等待秒数", "Seconds waited"], "call.attempt": ["尝试次数", "Attempt"],
  "customer.id": ["客户编号", "Customer id"], "customer.name": ["客户姓名", "Customer name"],
  "customer.phone": ["客户电话", "Customer phone"], "customer.phones": ["客户全部电话", "Customer phones"],
  "customer.address": ["客户地址", "Customer address"], "customer.vip": ["VIP 客户", "VIP customer"],
  "customer.monthly_settlement": ["月结客户", "Monthly settlement"], "customer.flags": ["客户标记", "Customer flags"],
  "customer.note": ["客户备注", "Customer note"], "customer.email": ["客户邮箱", "Customer email"],
  "customer.company": ["客户公司", "Customer company"],
};

/** The call's fields whose values are codes, by label (the context lists call.weekday's options as mon…sun,
 * which the Chinese UI showed as they are). ValueInput reads `option_labels`. */
export const OPTION_LABELS: Record<string, Record<string, [string, string]>> = {
  "call.weekday": {
    mon: ["周一", "Monday"], tue: ["周二", "Tuesday"], wed: ["周三", "Wednesday"], thu: ["周四", "Thursday"],
    fri: ["周五", "Friday"], sat: ["周六", "Saturday"], sun: ["周日", "Sunday"],
  },
};

/** Variable name → where this IVR sets it, in words. */
export function variableLabels(nodes: Record<string, any>): Map<string, string> {
  const labels = new Map<string, string>();
  const add = (name: unknown, label: string) => {
    if (typeof name === "string" && name && !labels.has(name)) labels.set(name, label);
  };
  for (const [id, node] of Object.entries<any>(nodes || {})) {
    if (!node || typeof node !== "object") continue;
    const title = typeof node.label === "string" && node.label.trim() ? node.label.trim() : id;
    if (SETS_VARIABLE.has(node.type)) add(node.variable, title);
    if (node.type === "lookup" && node.assign && typeof node.assign === "object") {
      for (const [name, column] of Object.entries<unknown>(node.assign)) add(name, `${title} › ${typeof column === "string" && column ? column : name}`);
    }
    if (node.type === "set" && node.values && typeof node.values === "object") {
      for (const name of Object.keys(node.values)) add(name, `${title} › ${name}`);
    }
  }
  return labels;
}

/**
 * The IVR-readable fields relabelled: a declared description wins, then where the variable is set, then its name.
 * The designer context lists the variables of every IVR of the tenant; a variable this IVR neither sets nor
 * declares with a label is another flow's and is left out (QA 16: a small IVR offered "location", "urge_no"…),
 * and one this IVR sets that the context does not list yet (a node added since the page loaded) is added.
 */
export function labelledFields(fields: FieldRef[], nodes: Record<string, any>, locale: string): FieldRef[] {
  const set = variableLabels(nodes);
  const listed = new Set<string>();
  const out: FieldRef[] = [];
  for (const f of fields) {
    if (f.path.startsWith("var.")) {
      const name = f.path.slice(4);
      const declared = f.label && f.label !== name ? f.label : undefined;
      if (!declared && !set.has(name)) continue;
      listed.add(name);
      out.push({ ...f, label: declared ?? set.get(name) ?? name });
      continue;
    }
    const known = RECORD_LABELS[f.path];
    const codes = OPTION_LABELS[f.path];
    const option_labels = codes && Object.fromEntries(Object.entries(codes).map(([code, words]) => [code, locale === "en" ? words[1] : words[0]]));
    out.push({ ...f, ...(known ? { label: locale === "en" ? known[1] : known[0] } : {}), ...(option_labels ? { option_labels } : {}) });
  }
  for (const [name, label] of set) {
    if (!listed.has(name)) out.push({ path: `var.${name}`, label, type: "string", source: "ivr" });
  }
  return out;
}
