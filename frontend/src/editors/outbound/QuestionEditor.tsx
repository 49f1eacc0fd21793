/** One question the agent asks (or the IVR asks in agentless mode): label, name, type, required, the
 * options with their keypad digit, or the range of a number / rating. */
import { useEnv } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, Labeled, ListButtons, NameInput, NumberInput, SelectInput, TextInput } from "../common/inputs";
import { join } from "../common/pointer";
import { assign, freshName, move } from "../common/update";
import type { Question, QuestionOption, QuestionType } from "./model";
import { CHOICE_TYPES, RANGE_TYPES } from "./model";

const TYPES: { value: QuestionType; label: string }[] = [
  { value: "choice", label: "Single choice" },
  { value: "multi", label: "Multiple choice" },
  { value: "yesno", label: "Yes / no" },
  { value: "rating", label: "Rating" },
  { value: "number", label: "Number" },
  { value: "text", label: "Free text" },
];
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => ({ value: d, label: d }));

interface Props {
  question: Question;
  at: string;
  index: number;
  count: number;
  taken: string[];
  onChange: (q: Question) => void;
  onRename: (name: string) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

export function QuestionEditor({ question, at, index, count, taken, onChange, onRename, onMove, onRemove }: Props) {
  const { t } = useEnv();
  const set = (key: keyof Question, value: unknown) => {
    const next = { ...question };
    assign(next, key, value);
    onChange(next);
  };
  const setType = (type: QuestionType) => {
    const next: Question = { ...question, type };
    if (CHOICE_TYPES.has(type)) next.options ??= [{ value: "1", label: t("Option {n}").replace("{n}", "1"), digit: "1" }];
    else delete next.options;
    if (!RANGE_TYPES.has(type)) { delete next.min; delete next.max; }
    if (type === "rating" && next.min === undefined && next.max === undefined) { next.min = 1; next.max = 5; }
    onChange(next);
  };
  const options = question.options ?? [];
  const setOptions = (list: QuestionOption[]) => set("options", list);
  const setOption = (i: number, o: QuestionOption) => setOptions(options.map((x, j) => (j === i ? o : x)));
  const addOption = () => {
    const value = freshName(String(options.length + 1), options.map((o) => o.value));
    const used = new Set(options.map((o) => o.digit));
    const digit = DIGITS.map((d) => d.value).find((d) => d !== "0" && !used.has(d));
    setOptions([...options, { value, label: t("Option {n}").replace("{n}", String(options.length + 1)), ...(digit ? { digit } : {}) }]);
  };
  return (
    <Anchor at={at} as="li" className="ed-question" testid={`question-${question.name}`} notesFirst>
      <div className="ed-row">
        <span className="ed-step">{index + 1}</span>
        <Labeled label={t("Question")} at={join(at, "label")} className="ed-grow">
          {(id) => <TextInput id={id} value={question.label} optional={false} testid="question-label"
                              onChange={(v) => set("label", v ?? "")} />}
        </Labeled>
        <Labeled label={t("Answer type")} at={join(at, "type")}>
          {(id) => (
            <select id={id} className="ed-input" value={question.type} data-testid="question-type"
                    onChange={(e) => setType(e.target.value as QuestionType)}>
              {TYPES.map((o) => <option key={o.value} value={o.value}>{t(o.label)}</option>)}
            </select>
          )}
        </Labeled>
        <Labeled label={t("Answer name")} at={join(at, "name")}>
          {(id) => <NameInput id={id} value={question.name} taken={taken} testid="question-name" onCommit={onRename} />}
        </Labeled>
        <Checkbox label={t("Required")} checked={question.required ?? false} testid="question-required"
                  onChange={(on) => set("required", on || undefined)} />
        <ListButtons index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {CHOICE_TYPES.has(question.type) ? (
        <Anchor at={join(at, "options")} className="ed-options" notesFirst>
          <table className="ed-table">
            <thead><tr><th>{t("Label")}</th><th>{t("Recorded value")}</th><th>{t("Keypad digit")}</th><th /></tr></thead>
            <tbody>
              {options.map((o, i) => (
                <tr key={i}>
                  <td>
                    <Anchor at={join(at, "options", i)}>
                      <Anchor at={join(at, "options", i, "label")}>
                        <TextInput value={o.label} optional={false} testid="option-label" onChange={(v) => setOption(i, { ...o, label: v ?? "" })} />
                      </Anchor>
                    </Anchor>
                  </td>
                  <td>
                    <Anchor at={join(at, "options", i, "value")}>
                      <TextInput value={o.value} optional={false} testid="option-value" onChange={(v) => setOption(i, { ...o, value: v ?? "" })} />
                    </Anchor>
                  </td>
                  <td>
                    <Anchor at={join(at, "options", i, "digit")}>
                      <SelectInput value={o.digit} choices={DIGITS} empty={t("None")}
                                   onChange={(v) => setOption(i, v === undefined ? (({ digit: _d, ...rest }) => rest)(o) : { ...o, digit: v })} />
                    </Anchor>
                  </td>
                  <td>
                    <ListButtons index={i} count={options.length} onMove={(d) => setOptions(move(options, i, d))}
                                 onRemove={() => setOptions(options.filter((_, j) => j !== i))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="ed-button" data-testid="add-option" onClick={addOption}>+ {t("Add option")}</button>
        </Anchor>
      ) : null}
      {RANGE_TYPES.has(question.type) ? (
        <div className="ed-row">
          <Labeled label={t("Minimum")} at={join(at, "min")}>
            {(id) => <NumberInput id={id} value={question.min} onChange={(v) => set("min", v)} />}
          </Labeled>
          <Labeled label={t("Maximum")} at={join(at, "max")}>
            {(id) => <NumberInput id={id} value={question.max} onChange={(v) => set("max", v)} />}
          </Labeled>
        </div>
      ) : null}
    </Anchor>
  );
}
