/**
 * rjsf widgets for a calendar's times and dates: antd's TimePicker (HH:mm) and DatePicker (YYYY-MM-DD), so
 * opening hours and holidays are picked, not typed to a pattern. The document keeps the schema's strings;
 * the end of a day, "24:00", which no clock shows, is offered as a button under the time picker.
 */
import type { WidgetProps } from "@rjsf/utils";
import { getDefaultRegistry } from "@rjsf/core";
import { Button, DatePicker, TimePicker } from "antd";
import dayjs from "dayjs";

const HHMM = "HH:mm";
const DAY = "YYYY-MM-DD";
const END_OF_DAY = "24:00";
const defaults = getDefaultRegistry().widgets;

/** The schema's hhmm (common.schema.json): a text field with this pattern is a time of day. */
function isTimeOfDay(schema: any): boolean {
  return typeof schema?.pattern === "string" && schema.pattern.startsWith("^([01][0-9]|2[0-3]):[0-5][0-9]$");
}

function TimeOfDay(props: WidgetProps) {
  const { id, value, onChange, onBlur, disabled, readonly, rawErrors, formContext } = props;
  const t = (formContext as any)?.ctx?.t ?? ((s: string) => s);
  const endOfDay = value === END_OF_DAY;
  return (
    <TimePicker id={id} data-testid={`time-${id}`} format={HHMM} needConfirm={false} size="small" allowClear={false}
      value={typeof value === "string" && !endOfDay && /^\d\d:\d\d$/.test(value) ? dayjs(value, HHMM) : null}
      placeholder={endOfDay ? END_OF_DAY : t("Time")} className={endOfDay ? "time-end-of-day" : undefined}
      status={rawErrors?.length ? "error" : undefined} disabled={disabled || readonly}
      onChange={(time) => onChange(time ? time.format(HHMM) : undefined)} onBlur={() => onBlur(id, value)}
      renderExtraFooter={() => (
        <Button type="link" size="small" data-testid={`end-of-day-${id}`} onClick={() => onChange(END_OF_DAY)}>
          {t("End of day")} (24:00)</Button>
      )} />
  );
}

/** Text fields: a time of day gets the time picker, anything else rjsf's own text box. */
export function TextOrTime(props: WidgetProps) {
  if (isTimeOfDay(props.schema)) return <TimeOfDay {...props} />;
  const Text = defaults.TextWidget;
  return <Text {...props} />;
}

/** A date (format "date"): antd's DatePicker, stored as YYYY-MM-DD. */
export function DateInput(props: WidgetProps) {
  const { id, value, onChange, onBlur, disabled, readonly, rawErrors } = props;
  return (
    <DatePicker id={id} data-testid={`date-${id}`} format={DAY} needConfirm={false} size="small"
      value={typeof value === "string" && value ? dayjs(value, DAY) : null} status={rawErrors?.length ? "error" : undefined}
      disabled={disabled || readonly} onChange={(day) => onChange(day ? day.format(DAY) : undefined)}
      onBlur={() => onBlur(id, value)} />
  );
}
