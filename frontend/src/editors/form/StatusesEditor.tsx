/** The ticket statuses: name, label, colour, which one new tickets start in and which ones close. */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, ListButtons, NameInput, Section, TextInput } from "../common/inputs";
import { ptr } from "../common/pointer";
import { edit, freshName, move } from "../common/update";
import type { FormDoc, Status } from "./model";
import { removeStatus, renameStatus } from "./model";

interface Props {
  doc: FormDoc;
  onChange: (doc: FormDoc) => void;
}

export function StatusesEditor({ doc, onChange }: Props) {
  const t = useT();
  const statuses = doc.statuses ?? [];
  const set = (i: number, status: Status) => onChange(edit(doc, (d) => { d.statuses[i] = status; }));
  const setInitial = (i: number) =>
    // Exactly one initial status (lint: multiple-initial-statuses): ticking one unticks the others.
    onChange(edit(doc, (d) => {
      d.statuses = d.statuses.map((s, j) => {
        const { initial: _i, ...rest } = s;
        return j === i ? { ...rest, initial: true } : rest;
      });
    }));
  const add = () => {
    const name = freshName("status", statuses.map((s) => s.name));
    onChange(edit(doc, (d) => {
      // The first status of a new form is where tickets start; transitions is required (even empty).
      d.statuses = [...(d.statuses ?? []), { name, label: t("New status"), color: "#607d8b", ...(d.statuses?.length ? {} : { initial: true }) }];
      d.transitions ??= [];
    }));
  };
  return (
    <Section title={t("Statuses")} at={ptr("statuses")} testid="statuses">
      <table className="ed-table">
        <thead>
          <tr>
            <th>{t("Label")}</th><th>{t("Name")}</th><th>{t("Colour")}</th>
            <th>{t("Initial")}</th><th>{t("Final")}</th><th />
          </tr>
        </thead>
        <tbody>
          {statuses.map((s, i) => (
            <tr key={i} data-testid={`status-${s.name}`}>
              <td>
                <Anchor at={ptr("statuses", i)}>
                  <Anchor at={ptr("statuses", i, "label")}>
                    <TextInput value={s.label} optional={false} onChange={(v) => set(i, { ...s, label: v ?? "" })} />
                  </Anchor>
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("statuses", i, "name")}>
                  <NameInput value={s.name} taken={statuses.filter((_, j) => j !== i).map((x) => x.name)}
                             onCommit={(to) => onChange(renameStatus(doc, s.name, to))} />
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("statuses", i, "color")}>
                  <input type="color" className="ed-color" value={/^#[0-9a-fA-F]{6}$/.test(s.color) ? s.color : "#000000"}
                         aria-label={t("Colour")} onChange={(e) => set(i, { ...s, color: e.target.value })} />
                  <span className="ed-status-chip" style={{ background: s.color }}>{s.label}</span>
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("statuses", i, "initial")}>
                  <input type="radio" name="initial-status" checked={s.initial ?? false} aria-label={t("Initial")}
                         data-testid="status-initial"
                         onChange={() => setInitial(i)} />
                </Anchor>
              </td>
              <td>
                <Anchor at={ptr("statuses", i, "final")}>
                  <Checkbox label="" checked={s.final ?? false} testid="status-final"
                            onChange={(on) => set(i, on ? { ...s, final: true } : (({ final: _f, ...rest }) => rest)(s))} />
                </Anchor>
              </td>
              <td>
                <ListButtons index={i} count={statuses.length}
                             onMove={(delta) => onChange(edit(doc, (d) => { d.statuses = move(d.statuses, i, delta); }))}
                             onRemove={() => onChange(removeStatus(doc, i))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="ed-button" data-testid="add-status" onClick={add}>+ {t("Add status")}</button>
    </Section>
  );
}
