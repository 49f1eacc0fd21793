/** The form as a whole: title, description, the one-line summary in ticket lists, the fields agents
 * search by, and the call-back reminder on resolve. */
import { useT } from "../common/env";
import { Checkbox, Labeled, MultiCheck, Section, TextInput } from "../common/inputs";
import { ptr } from "../common/pointer";
import { assign, edit } from "../common/update";
import type { FormDoc } from "./model";
import { fieldOrder } from "./model";

interface Props {
  doc: FormDoc;
  onChange: (doc: FormDoc) => void;
}

export function GeneralEditor({ doc, onChange }: Props) {
  const t = useT();
  const set = (key: keyof FormDoc, value: unknown) => onChange(edit(doc, (d) => assign(d, key, value)));
  const names = fieldOrder(doc);
  const choices = names.map((n) => ({ value: n, label: doc.schema.properties[n]?.title || n }));
  return (
    <Section title={t("Form")} testid="form-general">
      <div className="ed-grid">
        <Labeled label={t("Title")} at={ptr("title")} required>
          {(id) => <TextInput id={id} value={doc.title} optional={false} testid="form-title" onChange={(v) => set("title", v ?? "")} />}
        </Labeled>
        <Labeled label={t("Description")} at={ptr("description")} className="ed-wide">
          {(id) => <TextInput id={id} value={doc.description} multiline onChange={(v) => set("description", v)} />}
        </Labeled>
        <Labeled label={t("Summary in ticket lists")} at={ptr("summary")} className="ed-wide"
                 hint={t("Click a field to insert it")}>
          {(id) => (
            <>
              <TextInput id={id} value={doc.summary} testid="form-summary" onChange={(v) => set("summary", v)} />
              <div className="ed-chips">
                {choices.map((c) => (
                  <button key={c.value} type="button" className="ed-chip"
                          onClick={() => set("summary", `${doc.summary ?? ""}{{${c.value}}}`)}>{c.label}</button>
                ))}
              </div>
            </>
          )}
        </Labeled>
        <Labeled label={t("Agents search tickets by (at most 5)")} at={ptr("searchable")} className="ed-wide">
          {() => <MultiCheck testid="searchable" values={doc.searchable ?? []} choices={choices}
                             onChange={(v) => set("searchable", v.length ? v : undefined)} />}
        </Labeled>
        <Labeled label={t("After resolving")} at={ptr("callback_on_resolve")}>
          {() => <Checkbox label={t("Remind an agent to call the customer back")} checked={doc.callback_on_resolve ?? false}
                           onChange={(on) => set("callback_on_resolve", on || undefined)} />}
        </Labeled>
      </div>
    </Section>
  );
}
