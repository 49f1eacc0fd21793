/** The choices of a select / radio / checkboxes field: value (stored) and label (shown to agents). */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { ListButtons, TextInput } from "../common/inputs";
import { join } from "../common/pointer";
import { freshName, move } from "../common/update";
import type { Option } from "./model";

interface Props {
  options: Option[];
  /** Pointer of the schema's oneOf (or enum) list the options are written to. */
  at: string;
  integer: boolean;
  onChange: (options: Option[]) => void;
}

export function OptionsEditor({ options, at, integer, onChange }: Props) {
  const t = useT();
  const set = (i: number, option: Option) => onChange(options.map((o, j) => (j === i ? option : o)));
  const add = () => {
    const taken = options.map((o) => String(o.const));
    const value = integer ? String(Math.max(0, ...options.map((o) => Number(o.const) || 0)) + 1) : freshName("option", taken);
    onChange([...options, { const: integer ? Number(value) : value, title: t("New option") }]);
  };
  return (
    <Anchor at={at} className="ed-options" testid="field-options" notesFirst>
      <table className="ed-table">
        <thead>
          <tr><th>{t("Label")}</th><th>{t("Stored value")}</th><th /></tr>
        </thead>
        <tbody>
          {options.map((o, i) => (
            <tr key={i}>
              <td>
                <Anchor at={join(at, i, "title")}>
                  <TextInput value={o.title} optional={false} testid="option-label"
                             onChange={(v) => set(i, { ...o, title: v ?? "" })} />
                </Anchor>
              </td>
              <td>
                <Anchor at={join(at, i)}>
                  <Anchor at={join(at, i, "const")}>
                    <TextInput value={String(o.const)} optional={false} testid="option-value"
                               onChange={(v) => set(i, { ...o, const: integer && v !== "" && !Number.isNaN(Number(v)) ? Number(v) : v ?? "" })} />
                  </Anchor>
                </Anchor>
              </td>
              <td>
                <ListButtons index={i} count={options.length} onMove={(d) => onChange(move(options, i, d))}
                             onRemove={() => onChange(options.filter((_, j) => j !== i))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="ed-button" data-testid="add-option" onClick={add}>+ {t("Add option")}</button>
    </Anchor>
  );
}
