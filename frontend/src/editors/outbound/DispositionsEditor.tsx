/** The results a call can end with: code, label, what it means for the campaign, final or not. */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, ListButtons, NameInput, Section, SelectInput, TextInput } from "../common/inputs";
import { ptr } from "../common/pointer";
import { edit, freshName, move } from "../common/update";
import type { Disposition, Outcome, OutboundDoc } from "./model";
import { renameDisposition } from "./model";

const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: "success", label: "Success" },
  { value: "refused", label: "Refused" },
  { value: "callback", label: "Call back later" },
  { value: "retry", label: "Try again" },
  { value: "dnc", label: "Do not call again" },
  { value: "wrong_number", label: "Wrong number" },
];

interface Props {
  doc: OutboundDoc;
  onChange: (doc: OutboundDoc) => void;
}

export function DispositionsEditor({ doc, onChange }: Props) {
  const t = useT();
  const list = doc.dispositions ?? [];
  const set = (i: number, d: Disposition) => onChange(edit(doc, (x) => { x.dispositions[i] = d; }));
  const add = () => {
    const code = freshName("result", list.map((d) => d.code));
    onChange(edit(doc, (x) => { x.dispositions = [...(x.dispositions ?? []), { code, label: t("New result"), outcome: "success" }]; }));
  };
  return (
    <Section title={t("Call results (dispositions)")} at={ptr("dispositions")} testid="dispositions">
      <table className="ed-table">
        <thead>
          <tr><th>{t("Label")}</th><th>{t("Code")}</th><th>{t("Outcome")}</th><th>{t("Final")}</th><th /></tr>
        </thead>
        <tbody>
          {list.map((d, i) => (
            <tr key={i} data-testid={`disposition-${d.code}`}>
              <td>
                <Anchor at={ptr("dispositions", i)}>
                  <Anchor at={ptr("dispositions", i, "label")}>
                    <TextInput value={d.label} optional={false} testid="disposition-label" onChange={(v) => set(i, { ...d, label: v ?? "" })} />
                  </Anchor>
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("dispositions", i, "code")}>
                  <NameInput value={d.code} taken={list.filter((_, j) => j !== i).map((x) => x.code)} testid="disposition-code"
                             onCommit={(to) => onChange(renameDisposition(doc, d.code, to))} />
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("dispositions", i, "outcome")}>
                  <SelectInput value={d.outcome} choices={OUTCOMES.map((o) => ({ value: o.value, label: t(o.label) }))}
                               testid="disposition-outcome" onChange={(v) => set(i, { ...d, outcome: (v ?? "success") as Outcome })} />
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("dispositions", i, "final")}>
                  {/* final defaults to true in the schema: only "not final" is written. */}
                  <Checkbox label="" checked={d.final ?? true}
                            onChange={(on) => set(i, on ? (({ final: _f, ...rest }) => rest)(d) : { ...d, final: false })} />
                </Anchor>
              </td>
              <td>
                <ListButtons index={i} count={list.length}
                             onMove={(delta) => onChange(edit(doc, (x) => { x.dispositions = move(x.dispositions, i, delta); }))}
                             onRemove={() => onChange(edit(doc, (x) => { x.dispositions.splice(i, 1); }))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="ed-button" data-testid="add-disposition" onClick={add}>+ {t("Add result")}</button>
    </Section>
  );
}
