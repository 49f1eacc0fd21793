/** Small controlled inputs every editor uses. Each writes a typed value (numbers as numbers, an emptied
 * optional input as undefined so the key is removed) — the user never sees or types JSON. */
import { useEffect, useId, useState } from "react";
import type { ReactNode } from "react";
import { Anchor } from "./findings";
import { useT } from "./env";
import { NAME_PATTERN } from "./update";

interface LabeledProps {
  label: string;
  at: string;
  hint?: string;
  required?: boolean;
  className?: string;
  children: (id: string) => ReactNode;
}

/** A label, an input and the findings that point at it. */
export function Labeled({ label, at, hint, required, className, children }: LabeledProps) {
  const id = useId();
  return (
    <Anchor at={at} className={`ed-field ${className ?? ""}`}>
      <label htmlFor={id} className="ed-label">
        {label}
        {required ? <span className="ed-required">*</span> : null}
      </label>
      {children(id)}
      {hint ? <div className="ed-hint">{hint}</div> : null}
    </Anchor>
  );
}

interface TextProps {
  id?: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  testid?: string;
  placeholder?: string;
  multiline?: boolean;
  /** When false, an emptied input writes "" instead of removing the key. */
  optional?: boolean;
}

export function TextInput({ id, value, onChange, testid, placeholder, multiline, optional = true }: TextProps) {
  const change = (v: string) => onChange(v === "" && optional ? undefined : v);
  return multiline ? (
    <textarea id={id} className="ed-input" rows={3} value={value ?? ""} data-testid={testid}
              placeholder={placeholder} onChange={(e) => change(e.target.value)} />
  ) : (
    <input id={id} className="ed-input" type="text" value={value ?? ""} data-testid={testid}
           placeholder={placeholder} onChange={(e) => change(e.target.value)} />
  );
}

interface NumberProps {
  id?: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  integer?: boolean;
  min?: number;
  max?: number;
  step?: number;
  testid?: string;
  placeholder?: string;
}

/** Keeps what the user typed while it is not yet a number ("-", "1.") and writes only numbers. */
export function NumberInput({ id, value, onChange, integer, min, max, step, testid, placeholder }: NumberProps) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  useEffect(() => {
    if (value === undefined ? text !== "" : Number(text) !== value) setText(value === undefined ? "" : String(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only outside changes of value reset the text
  }, [value]);
  return (
    <input id={id} className="ed-input ed-number" type="number" value={text} min={min} max={max}
           step={step ?? (integer ? 1 : "any")} data-testid={testid} placeholder={placeholder}
           onChange={(e) => {
             setText(e.target.value);
             if (e.target.value.trim() === "") onChange(undefined);
             else {
               const n = Number(e.target.value);
               if (!Number.isNaN(n)) onChange(integer ? Math.trunc(n) : n);
             }
           }} />
  );
}

export interface Choice {
  value: string;
  label: string;
}

interface SelectProps {
  id?: string;
  value: string | undefined;
  choices: Choice[];
  onChange: (value: string | undefined) => void;
  testid?: string;
  /** Label of the "nothing chosen" entry; without it a value must be chosen. */
  empty?: string;
}

/** A select that also shows a current value missing from the choices (so a bad reference stays
 * visible next to its finding until the user picks a real one). */
export function SelectInput({ id, value, choices, onChange, testid, empty }: SelectProps) {
  const t = useT();
  const known = value === undefined || choices.some((c) => c.value === value);
  return (
    <select id={id} className="ed-input" value={value ?? ""} data-testid={testid}
            onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
      {empty !== undefined || value === undefined ? <option value="">{empty ?? t("— choose —")}</option> : null}
      {known ? null : <option value={value}>{value} ({t("unknown")})</option>}
      {choices.map((c) => (
        <option key={c.value} value={c.value}>{c.label}</option>
      ))}
    </select>
  );
}

interface CheckProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  testid?: string;
}

export function Checkbox({ checked, onChange, label, testid }: CheckProps) {
  return (
    <label className="ed-check">
      <input type="checkbox" checked={checked} data-testid={testid} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

interface MultiProps {
  values: string[];
  choices: Choice[];
  onChange: (values: string[]) => void;
  testid?: string;
}

/** Several choices as checkboxes, keeping values that are not (or no longer) among the choices. */
export function MultiCheck({ values, choices, onChange, testid }: MultiProps) {
  const t = useT();
  const unknown = values.filter((v) => !choices.some((c) => c.value === v));
  const all = [...choices, ...unknown.map((v) => ({ value: v, label: `${v} (${t("unknown")})` }))];
  return (
    <div className="ed-multi" data-testid={testid}>
      {all.map((c) => (
        <Checkbox key={c.value} label={c.label} checked={values.includes(c.value)}
                  onChange={(on) => onChange(on ? [...values, c.value] : values.filter((v) => v !== c.value))} />
      ))}
      {all.length === 0 ? <span className="ed-hint">{t("nothing to choose from")}</span> : null}
    </div>
  );
}

interface NameProps {
  id?: string;
  value: string;
  taken: string[];
  onCommit: (name: string) => void;
  testid?: string;
  /** What each taken name is called (a field's label), so a clash says who holds the name. */
  labels?: Record<string, string>;
}

/** A machine name (field, status, page…): checked as typed, committed on blur or Enter, so other
 * parts of the document that refer to it are renamed once, and never to a duplicate or invalid name.
 * A refused name stays in the box with its reason under it until it is fixed (reverting it silently on blur
 * left the analyst guessing why the rename "did not take"); Escape puts the current name back. */
export function NameInput({ id, value, taken, onCommit, testid, labels }: NameProps) {
  const t = useT();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const problem = text === value ? null
    : !NAME_PATTERN.test(text) ? t("Use letters, digits, _ or -, starting with a letter")
    : taken.includes(text)
      ? (labels?.[text] ? t("This name is already used by “{label}”").replace("{label}", labels[text]) : t("This name is already used"))
      : null;
  const commit = () => {
    if (text !== value && problem === null) onCommit(text);
  };
  return (
    <>
      <input id={id} className={`ed-input ed-mono${problem ? " ed-invalid" : ""}`} value={text} data-testid={testid}
             aria-invalid={problem ? true : undefined}
             onChange={(e) => setText(e.target.value)} onBlur={commit}
             onKeyDown={(e) => {
               if (e.key === "Enter") { e.preventDefault(); commit(); }
               if (e.key === "Escape") setText(value);
             }} />
      {problem ? <div className="ed-finding ed-error" role="alert" data-testid={testid ? `${testid}-problem` : undefined}>{problem}</div> : null}
    </>
  );
}

interface ListButtonsProps {
  index: number;
  count: number;
  /** Without it only the remove button shows (for items whose order is not the user's to choose). */
  onMove?: (delta: number) => void;
  onRemove: () => void;
  testid?: string;
}

/** Up / down / remove for an item of an ordered list (buttons, so keyboards and tests can use them). */
export function ListButtons({ index, count, onMove, onRemove, testid }: ListButtonsProps) {
  const t = useT();
  return (
    <span className="ed-list-buttons">
      {onMove ? (
        <>
          <button type="button" className="ed-icon" title={t("Move up")} aria-label={t("Move up")}
                  disabled={index === 0} data-testid={testid ? `${testid}-up` : undefined}
                  onClick={(e) => { e.stopPropagation(); onMove(-1); }}>↑</button>
          <button type="button" className="ed-icon" title={t("Move down")} aria-label={t("Move down")}
                  disabled={index === count - 1} data-testid={testid ? `${testid}-down` : undefined}
                  onClick={(e) => { e.stopPropagation(); onMove(1); }}>↓</button>
        </>
      ) : null}
      <button type="button" className="ed-icon ed-danger" title={t("Remove")} aria-label={t("Remove")}
              data-testid={testid ? `${testid}-remove` : undefined}
              onClick={(e) => { e.stopPropagation(); onRemove(); }}>✕</button>
    </span>
  );
}

/** A titled part of an editor; with `at`, findings pointing at that part show under its title. */
export function Section({ title, at, children, testid, actions }:
  { title: string; at?: string; children: ReactNode; testid?: string; actions?: ReactNode }) {
  const head = (
    <header className="ed-section-head">
      <h3>{title}</h3>
      {actions}
    </header>
  );
  if (at === undefined) {
    return <section className="ed-section" data-testid={testid}>{head}{children}</section>;
  }
  return (
    <Anchor as="section" at={at} className="ed-section" testid={testid} notesFirst>
      {head}
      {children}
    </Anchor>
  );
}

interface TagsProps {
  id?: string;
  values: string[];
  onChange: (values: string[]) => void;
  testid?: string;
  placeholder?: string;
}

/** A list of short texts as chips: type one and press Enter (or a comma) to add it. */
export function TagsInput({ id, values, onChange, testid, placeholder }: TagsProps) {
  const t = useT();
  const [text, setText] = useState("");
  const add = () => {
    const parts = text.split(/[,，]/).map((s) => s.trim()).filter((s) => s && !values.includes(s));
    if (parts.length) onChange([...values, ...parts]);
    setText("");
  };
  return (
    <div className="ed-tags">
      {values.map((v) => (
        <span key={v} className="ed-chip">
          {v}
          <button type="button" className="ed-icon" aria-label={t("Remove")}
                  onClick={() => onChange(values.filter((x) => x !== v))}>✕</button>
        </span>
      ))}
      <input id={id} className="ed-input ed-tag-input" value={text} data-testid={testid}
             placeholder={placeholder ?? t("type and press Enter")}
             onChange={(e) => setText(e.target.value)} onBlur={add}
             onKeyDown={(e) => {
               if (e.key === "Enter" || e.key === ",") { e.preventDefault(); add(); }
             }} />
    </div>
  );
}
