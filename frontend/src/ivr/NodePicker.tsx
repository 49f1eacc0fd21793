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
  // A node reads "label (id)": the id greyed beside the label; searched by either (`text`).
  const options = useMemo(() => choices.map((choice, i) => {
    const id = typeof choice.value === "string" ? choice.value : "";
    const suffix = ` (${id})`;
    const named = titles && id && choice.label.endsWith(suffix) ? choice.label.slice(0, -suffix.length) : null;
    return { value: i, title: choice.label, text: choice.label,
      label: named === null ? choice.label : <span>{named} <span className="node-id" style={{ color: "#8c8c8c" }}>{id}</span></span> };
  }), [choices, titles]);
  const t = (props.registry?.formContext as any)?.ctx?.t as ((s: string) => string) | undefined;
  // A target not connected yet shows as the placeholder, not as a choice.
  const placeholder = props.placeholder || (titles && t ? t("Not connected") : undefined);
  if (props.multiple) return <Plain {...props} />;
  const index = choices.findIndex((choice) => JSON.stringify(choice.value) === JSON.stringify(props.value));
  return (
    <Select id={props.id} value={index >= 0 ? index : undefined} options={options} showSearch optionFilterProp="text"
      virtual={options.length > VIRTUAL_PAST} allowClear={!props.required} style={{ width: "100%" }}
      placeholder={placeholder} disabled={props.disabled || props.readonly}
      status={props.rawErrors?.length ? "error" : undefined} popupMatchSelectWidth={false}
      onChange={(i: number | undefined) => props.onChange(i === undefined ? undefined : choices[i]?.value)}
      onBlur={() => props.onBlur(props.id, props.value)} onFocus={() => props.onFocus(props.id, props.value)} />
  );
}
