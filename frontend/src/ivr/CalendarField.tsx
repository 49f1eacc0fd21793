/**
 * An hours node's calendar: by default the tenant's business calendar (shown in words, nothing stored), or a
 * calendar of its own, started from a copy of the tenant's and edited with the schema's form. Before, the
 * panel showed an empty calendar form with required fields, as if the node needed one. The choice is antd's
 * Radio group; the calendar's own times and dates take antd's pickers (calendarWidgets.tsx).
 */
import type { FieldProps } from "@rjsf/utils";
import { Radio } from "antd";
import type { EditorContext } from "../shell/types";
import { ivrT, type T } from "./strings";
import "./settings.css";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_ZH: Record<string, string> = { mon: "周一", tue: "周二", wed: "周三", thu: "周四", fri: "周五", sat: "周六", sun: "周日" };
const DAY_EN: Record<string, string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };

/** "周一 08:00–21:00；周日 09:00–18:00 (Asia/Shanghai)" — days with the same hours are not merged (short anyway). */
export function calendarSummary(calendar: any, locale: string, t: T): string {
  if (!calendar || typeof calendar !== "object") return t("no business calendar is set for the tenant");
  const names = locale === "en" ? DAY_EN : DAY_ZH;
  const parts = DAYS.filter((d) => Array.isArray(calendar.weekly?.[d]) && calendar.weekly[d].length)
    .map((d) => `${names[d]} ${calendar.weekly[d].map((r: any) => `${r.start}–${r.end}`).join(", ")}`);
  const holidays = Array.isArray(calendar.holidays) ? calendar.holidays.length : 0;
  return `${parts.join(locale === "en" ? "; " : "；")} (${calendar.timezone || "?"})`
    + (holidays ? (locale === "en" ? `; ${holidays} holidays` : `；节假日 ${holidays} 天`) : "");
}

export function CalendarField(props: FieldProps) {
  const { formData, onChange, fieldPathId, registry, disabled, readonly } = props;
  const ctx = (registry.formContext as { ctx: EditorContext }).ctx;
  const t = ivrT(ctx);
  const tenant = (ctx.context as any).calendar;
  const own = formData && typeof formData === "object" && Object.keys(formData).length > 0;
  const ObjectField = registry.fields.ObjectField;
  const setOwn = (wanted: boolean) => onChange(wanted
    ? (tenant ? structuredClone(tenant) : { timezone: "Asia/Shanghai", weekly: {} })
    : undefined, fieldPathId.path);
  return (
    <fieldset className="calendar-field" id={fieldPathId.$id}>
      <legend>{props.uiSchema?.["ui:title"] || props.schema.title || t("Business calendar")}</legend>
      <Radio.Group value={own ? "own" : "tenant"} disabled={disabled || readonly} className="calendar-choice"
        onChange={(event) => setOwn(event.target.value === "own")}>
        <Radio value="tenant" data-testid="calendar-tenant">{t("The tenant's business calendar")}</Radio>
        <div className="muted calendar-summary" data-testid="calendar-summary">{calendarSummary(tenant, ctx.locale, t)}</div>
        <Radio value="own" data-testid="calendar-own">{t("A calendar of its own (starts as a copy of the tenant's)")}</Radio>
      </Radio.Group>
      {own ? <ObjectField {...props} uiSchema={{ ...(props.uiSchema || {}), "ui:field": undefined, "ui:title": " " }} /> : null}
    </fieldset>
  );
}
