/** One action parameter, its input chosen from its schema: names of the tenant as selects, enums as
 * selects, numbers, yes/no, lists of skills, field values, and message templates as text. */
import { useEnv } from "../common/env";
import { Checkbox, Labeled, MultiCheck, NumberInput, SelectInput, TagsInput, TextInput } from "../common/inputs";
import type { ParamSpec } from "./actionSchema";
import { FieldValues } from "./FieldValues";
import type { Catalogue } from "./pickers";
import { choicesFor, skillChoices } from "./pickers";
import { ruleFormFields } from "./model";
import { priorityChoices } from "../common/priority";

/** Parameters whose text is long enough to want several lines. */
const MULTILINE = new Set(["text", "note"]);

/** English labels of the parameters (the schema names them in snake_case). */
export const PARAM_LABELS: Record<string, string> = {
  queue: "Queue", priority: "Priority (0-9)", skills: "Required skills", after_seconds: "After (seconds)",
  to: "To", target: "Assign to", name: "Name", directory: "Directory", address_field: "Address field",
  name_field: "Fill the name into", phone_field: "Fill the phone into", notify: "Notify by SMS",
  text: "Message", channel: "Channel", subject: "Subject", level: "Escalation level", note: "Note",
  fields: "Set fields", status: "New status", after_minutes: "After (minutes)", script: "Outbound script",
  // Where one parameter name means different things in different actions: "<action>.<parameter>".
  "escalate.target": "Escalate to", "assign.name": "Group, agent or department", "escalate.name": "Group, agent or department",
  "notify.to": "Recipient (phone, e-mail or web address)", "overflow.to": "Move the call to",
  "schedule_callback.queue": "Callback queue",
};

const ENUM_LABELS: Record<string, string> = {
  queue: "another queue", voicemail: "voicemail", callback: "callback", agent: "an agent", group: "a group",
  department: "a department", sms: "SMS", email: "e-mail", webhook: "webhook",
};

interface Props {
  action: string;
  spec: ParamSpec;
  value: unknown;
  at: string;
  catalogue: Catalogue;
  onChange: (value: unknown) => void;
}

export function ParamInput({ action, spec, value, at, catalogue, onChange }: Props) {
  const { ctx, t } = useEnv();
  const { key, schema } = spec;
  const label = t(PARAM_LABELS[`${action}.${key}`] ?? PARAM_LABELS[key] ?? schema.title ?? key);
  const testid = `param-${key}`;
  const choices = choicesFor(key, catalogue);
  const wide = MULTILINE.has(key) || key === "fields" || key === "skills";
  const help: string | undefined = schema["x-ref"] ? schema["x-own-description"] : schema.description;
  return (
    <Labeled label={label} at={at} required={spec.required} hint={help ? t(help) : undefined}
             className={wide ? "ed-wide" : undefined}>
      {(id) => {
        if (key === "fields" && schema.type === "object") {
          return <FieldValues value={(value as Record<string, string>) ?? {}} at={at}
                              fields={ruleFormFields(catalogue.rule, ctx.context.fields ?? [])} onChange={onChange} />;
        }
        if (key === "priority") {  // a level by its label (紧急（9）), stored as the number
          return <SelectInput id={id} testid={testid} value={value === undefined ? undefined : String(value)}
                              choices={priorityChoices(t, ctx.locale)} empty={spec.required ? undefined : t("None")}
                              onChange={(v) => onChange(v === undefined ? undefined : Number(v))} />;
        }
        if (key === "skills") {
          return <MultiCheck testid={testid} values={(value as string[]) ?? []} choices={skillChoices(ctx)}
                             onChange={(v) => onChange(v.length ? v : undefined)} />;
        }
        if (choices) {
          return <SelectInput id={id} testid={testid} value={value as string | undefined} choices={choices}
                              empty={spec.required ? undefined : t("None")} onChange={onChange} />;
        }
        if (Array.isArray(schema.enum)) {
          return <SelectInput id={id} testid={testid} value={value as string | undefined}
                              choices={schema.enum.map((v: string) => ({ value: v, label: t(ENUM_LABELS[v] ?? v) }))}
                              empty={spec.required ? undefined : t("None")} onChange={onChange} />;
        }
        if (schema.type === "boolean") {
          return <Checkbox testid={testid} label={t("yes")} checked={(value as boolean | undefined) ?? schema.default ?? false}
                           onChange={onChange} />;
        }
        if (schema.type === "integer" || schema.type === "number") {
          return <NumberInput id={id} testid={testid} value={value as number | undefined} integer={schema.type === "integer"}
                              min={schema.minimum} max={schema.maximum}
                              placeholder={schema.default !== undefined ? String(schema.default) : undefined} onChange={onChange} />;
        }
        if (schema.type === "array") {
          return <TagsInput id={id} testid={testid} values={(value as string[]) ?? []}
                            onChange={(v) => onChange(v.length ? v : undefined)} />;
        }
        return <TextInput id={id} testid={testid} value={value as string | undefined} multiline={MULTILINE.has(key)}
                          placeholder={schema["x-ref"] === "common_template" ? t("Text; insert values as {{ticket.number}}") : undefined}
                          onChange={onChange} />;
      }}
    </Labeled>
  );
}
