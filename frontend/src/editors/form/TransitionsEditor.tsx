/** The allowed status changes: from → to, with the label of the button agents press. */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { ListButtons, Section, SelectInput, TextInput } from "../common/inputs";
import { ptr } from "../common/pointer";
import { edit, move } from "../common/update";
import type { FormDoc, Transition } from "./model";

interface Props {
  doc: FormDoc;
  onChange: (doc: FormDoc) => void;
}

export function TransitionsEditor({ doc, onChange }: Props) {
  const t = useT();
  const transitions = doc.transitions ?? [];
  const choices = (doc.statuses ?? []).map((s) => ({ value: s.name, label: s.label || s.name }));
  const set = (i: number, tr: Transition) => onChange(edit(doc, (d) => { d.transitions[i] = tr; }));
  const add = () => {
    const statuses = doc.statuses ?? [];
    const from = statuses.find((s) => s.initial)?.name ?? statuses[0]?.name ?? "";
    const to = statuses.find((s) => s.name !== from)?.name ?? from;
    onChange(edit(doc, (d) => { d.transitions = [...(d.transitions ?? []), { from, to }]; }));
  };
  return (
    <Section title={t("Allowed status changes")} at={ptr("transitions")} testid="transitions">
      <table className="ed-table">
        <thead>
          <tr><th>{t("From")}</th><th /><th>{t("To")}</th><th>{t("Button label")}</th><th /></tr>
        </thead>
        <tbody>
          {transitions.map((tr, i) => (
            <tr key={i}>
              <td>
                <Anchor at={ptr("transitions", i)}>
                  <Anchor at={ptr("transitions", i, "from")}>
                    <SelectInput value={tr.from} choices={choices} onChange={(v) => set(i, { ...tr, from: v ?? "" })} />
                  </Anchor>
                </Anchor>
              </td>
              <td>→</td>
              <td>
                <Anchor at={ptr("transitions", i, "to")}>
                  <SelectInput value={tr.to} choices={choices} onChange={(v) => set(i, { ...tr, to: v ?? "" })} />
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("transitions", i, "label")}>
                  <TextInput value={tr.label} onChange={(v) => set(i, v === undefined
                    ? (({ label: _l, ...rest }) => rest)(tr) : { ...tr, label: v })} />
                </Anchor>
              </td>
              <td>
                <ListButtons index={i} count={transitions.length}
                             onMove={(delta) => onChange(edit(doc, (d) => { d.transitions = move(d.transitions, i, delta); }))}
                             onRemove={() => onChange(edit(doc, (d) => { d.transitions.splice(i, 1); }))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="ed-button" data-testid="add-transition" onClick={add}>+ {t("Add status change")}</button>
    </Section>
  );
}
