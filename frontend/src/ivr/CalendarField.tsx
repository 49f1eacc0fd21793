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

const DAY_ZH_FULL: Record<string, string> = { mon: "星期一", tue: "星期二", wed: "星期三", thu: "星期四", fri: "星期五", sat: "星期六", sun: "星期日" };
const DAY_EN_FULL: Record<string, string> = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" };

/**
 * The calendar's schema as the panel shows it: the schema keys `weekly` by any weekday name (a map), which
 * rjsf draws as key boxes in the stored order ("fri, fri 1 … mon", PostgreSQL's key order) with codes for
 * titles; here the seven days are fields of their own, Monday first, titled in the reader's language, and the
 * make-up days are explained without the property name. The document keeps the schema's shape.
 */
export function ownCalendarSchema(schema: any, locale: string): any {
  const en = locale === "en";
  const p = schema?.properties || {};
  const dayList = p.weekly?.additionalProperties ?? { type: "array" };
  const names = en ? DAY_EN_FULL : DAY_ZH_FULL;
  return {
    ...schema,
    description: undefined,
    properties: {
      ...p,
      timezone: { ...p.timezone, title: en ? "Time zone" : "时区" },
      weekly: {
        type: "object", title: en ? "Weekly hours (a day without hours is closed)" : "每周营业时间（没有时段的日子不营业）",
        properties: Object.fromEntries(DAYS.map((d) => [d, { ...dayList, title: names[d] }])),
        additionalProperties: false,
      },
      holidays: { ...p.holidays, title: en ? "Holidays (closed)" : "节假日（休息）" },
      workdays: { ...p.workdays, title: en ? "Make-up working days" : "调休上班日",
        description: en ? "These dates open with the make-up day hours below." : "这些日期按下面的「调休日营业时间」营业。" },
      workday_hours: { ...p.workday_hours, title: en ? "Make-up day hours" : "调休日营业时间" },
    },
  };
}

/** List items read by their picker, not "节假日（休息）-1*". */
const OWN_UI = {
  holidays: { items: { "ui:label": false } }, workdays: { items: { "ui:label": false } },
  workday_hours: { items: { "ui:label": false } },
  weekly: Object.fromEntries(DAYS.map((d) => [d, { items: { "ui:label": false } }])),
};

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
      {own ? <ObjectField {...props} schema={ownCalendarSchema(props.schema, ctx.locale)}
        uiSchema={{ ...(props.uiSchema || {}), ...OWN_UI, "ui:field": undefined, "ui:title": " " }} /> : null}
    </fieldset>
  );
}
