/**
 * rjsf's select for targets, scaled: a plain <select> while the tree is small, and past a few hundred nodes a
 * text box with suggestions (a <select> of a thousand options costs the browser a layout pass on every edit).
 */
import type { WidgetProps } from "@rjsf/utils";
import { getDefaultRegistry } from "@rjsf/core";

const LIMIT = 150;
const Plain = getDefaultRegistry().widgets.SelectWidget;

export function NodePicker(props: WidgetProps) {
  // A target's choices are an enum of ids with their labels beside it (PropertyPanel withTargets).
  const titles = props.schema?.["x-choice-titles"] as string[] | undefined;
  const raw = (props.options.enumOptions || []) as { value: unknown; label: string }[];
  const choices = titles ? raw.map((choice, i) => ({ ...choice, label: titles[i] ?? choice.label })) : raw;
  if (choices.length <= LIMIT || props.multiple) {
    return <Plain {...props} options={titles ? { ...props.options, enumOptions: choices } : props.options} />;
  }
  const list = `${props.id}__choices`;
  return (
    <>
      <input id={props.id} list={list} className="form-control" value={props.value ?? ""}
        disabled={props.disabled || props.readonly} required={props.required}
        onChange={(event) => props.onChange(event.target.value === "" ? undefined : event.target.value)}
        onBlur={(event) => props.onBlur(props.id, event.target.value)}
        onFocus={(event) => props.onFocus(props.id, event.target.value)} />
      <datalist id={list}>
        {choices.map((choice) => <option key={String(choice.value)} value={String(choice.value)}>{choice.label}</option>)}
      </datalist>
    </>
  );
}
