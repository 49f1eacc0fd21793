/** antd's Select for the condition builder's lists (field, operator, group kind, a value from options), like the
 * rest of the designer: searchable by its words, the stored code at most as grey text beside the label, and a
 * value naming no choice still shown, marked, so a bad reference stays visible next to its finding. */
import { Select } from "antd";
import type { DefaultOptionType } from "antd/es/select";
import { useT } from "../env";

export interface CondChoice { value: string; label: string; code?: string; group?: string }

const VIRTUAL_PAST = 100;

interface Props {
  value: string | undefined;
  choices: CondChoice[];
  onChange: (value: string) => void;
  testid?: string;
  className?: string;
  /** Shown while nothing is chosen (default "— choose —"). */
  placeholder?: string;
}

function option(c: CondChoice) {
  return {
    value: c.value, title: c.label, search: `${c.label} ${c.code ?? ""}`.toLowerCase(),
    label: <span className="ed-option">{c.label}{c.code ? <span className="ed-code">{c.code}</span> : null}</span>,
  };
}

export function CondSelect({ value, choices, onChange, testid, className, placeholder }: Props) {
  const t = useT();
  const known = !value || choices.some((c) => c.value === value);
  const all = known ? choices : [...choices, { value: value!, label: `${value} (${t("unknown")})` }];
  const groups = new Map<string, CondChoice[]>();
  for (const c of all) {
    const key = c.group ?? "";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  const options: DefaultOptionType[] = [...groups].flatMap(([group, list]): DefaultOptionType[] => (group
    ? [{ label: group, title: group, options: list.map(option) }] : list.map(option)));
  const labelOf = (v: unknown) => all.find((c) => c.value === v)?.label ?? String(v ?? "");
  return (
    <Select data-testid={testid} className={`ed-select ${className ?? ""}`} value={value || undefined} options={options}
      placeholder={placeholder ?? t("— choose —")} showSearch popupMatchSelectWidth={false} virtual={all.length > VIRTUAL_PAST}
      filterOption={(input, opt) => String((opt as { search?: string } | undefined)?.search ?? "").includes(input.toLowerCase())}
      labelRender={(props) => labelOf(props.value)} onChange={(v: string) => onChange(v)} />
  );
}
