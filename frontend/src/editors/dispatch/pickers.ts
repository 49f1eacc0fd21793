/** Parameters that name something of the tenant get a select of those names instead of a text box. */
import type { EditorContext } from "../../shell/types";
import type { Choice } from "../common/inputs";
import type { Rule } from "./model";
import { ruleFormFields, ruleStatuses } from "./model";

export interface Catalogue {
  ctx: EditorContext;
  rule: Rule;
  /** Names of the tenant's outbound scripts (for start_return_visit). */
  scripts: Choice[];
}

const FIELD_PARAMS = new Set(["address_field", "name_field", "phone_field"]);

export function choicesFor(key: string, { ctx, rule, scripts }: Catalogue): Choice[] | null {
  const named = (list: { name: string; title: string }[] | undefined) =>
    (list ?? []).map((x) => ({ value: x.name, label: x.title && x.title !== x.name ? `${x.title} (${x.name})` : x.name }));
  if (key === "queue") return named(ctx.context.queues);
  if (key === "directory") return named(ctx.context.directory_groups);
  if (key === "script") return scripts;
  if (key === "status") return ruleStatuses(rule, ctx.context).map((s) => ({ value: s, label: s }));
  if (FIELD_PARAMS.has(key)) {
    return ruleFormFields(rule, ctx.context.fields ?? []).map((f) => {
      const name = f.path.slice("ticket.".length);
      return { value: name, label: f.label && f.label !== name ? `${f.label} (${name})` : name };
    });
  }
  return null;
}

export function skillChoices(ctx: EditorContext): Choice[] {
  return (ctx.context.skills ?? []).map((s) => ({ value: s.name, label: s.title || s.name }));
}
