/**
 * rjsf's select in the property panel (targets, queues, forms, data tables and columns, enums): antd's Select with
 * search, so a node or a queue is found by typing part of its name or label. Its list is virtual past a hundred
 * choices, so a thousand-node IVR's target picker costs no more than a small one's (the plain <select> needed a
 * text box with suggestions past 150 nodes). Multiple choices keep rjsf's own widget.
 */
import type { WidgetProps } from "@rjsf/utils";
import { getDefaultRegistry } from "@rjsf/core";
import { Select } from "antd";
import { useMemo } from "react";

const VIRTUAL_PAST = 100;
const Plain = getDefaultRegistry().widgets.SelectWidget;

export function NodePicker(props: WidgetProps) {
  // A target's choices are an enum of ids with their labels beside it (PropertyPanel withTargets).
  const titles = props.schema?.["x-choice-titles"] as string[] | undefined;
  const raw = (props.options.enumOptions || []) as { value: unknown; label: string }[];
  const choices = useMemo(() => (titles ? raw.map((choice, i) => ({ ...choice, label: titles[i] ?? choice.label })) : raw),
    [raw, titles]);
  // Options keyed by their index: a choice's value may be any JSON value, a Select's must be a string or number.
  const options = useMemo(() => choices.map((choice, i) => ({ value: i, label: choice.label })), [choices]);
  if (props.multiple) return <Plain {...props} />;
  const index = choices.findIndex((choice) => JSON.stringify(choice.value) === JSON.stringify(props.value));
  return (
    <Select id={props.id} value={index >= 0 ? index : undefined} options={options} showSearch optionFilterProp="label"
      virtual={options.length > VIRTUAL_PAST} allowClear={!props.required} style={{ width: "100%" }}
      placeholder={props.placeholder || undefined} disabled={props.disabled || props.readonly}
      status={props.rawErrors?.length ? "error" : undefined} popupMatchSelectWidth={false}
      onChange={(i: number | undefined) => props.onChange(i === undefined ? undefined : choices[i]?.value)}
      onBlur={() => props.onBlur(props.id, props.value)} onFocus={() => props.onFocus(props.id, props.value)} />
  );
}
