/** The form designer: fields (list + the selected field's settings) beside the live preview, then the
 * statuses and their changes, the SLA and the form-wide settings. */
import { useEffect, useMemo, useState } from "react";
import type { EditorProps } from "../../shell/types";
import { EnvContext, makeT } from "../common/env";
import { EditorFrame } from "../common/findings";
import { Section } from "../common/inputs";
import { segments } from "../common/pointer";
import { FieldEditor } from "./FieldEditor";
import { FieldList } from "./FieldList";
import { FormPreview } from "./FormPreview";
import { GeneralEditor } from "./GeneralEditor";
import type { FormDoc } from "./model";
import { addField, fieldOrder } from "./model";
import { SlaEditor } from "./SlaEditor";
import { StatusesEditor } from "./StatusesEditor";
import { TransitionsEditor } from "./TransitionsEditor";
import "../editors.css";

/** The field a pointer is about (/schema/properties/<name>/…, /ui/fields/<name>/…), if any. */
function fieldOf(pointer: string | null): string | null {
  if (pointer == null) return null;
  const [a, b, name] = segments(pointer);
  return (a === "schema" && b === "properties") || (a === "ui" && b === "fields") ? name ?? null : null;
}

export function FormEditor({ draft, onChange, findings, focusPointer, ctx }: EditorProps<FormDoc>) {
  const env = useMemo(() => ({ ctx, t: makeT(ctx) }), [ctx]);
  const t = env.t;
  const doc: FormDoc = draft ?? ({} as FormDoc);
  const names = fieldOrder(doc);
  const [selected, setSelected] = useState<string | null>(names[0] ?? null);

  useEffect(() => {
    const name = fieldOf(focusPointer);
    if (name) setSelected(name);
  }, [focusPointer]);

  const current = selected !== null && names.includes(selected) ? selected : null;

  return (
    <EnvContext.Provider value={env}>
      <EditorFrame findings={findings} focusPointer={focusPointer} disabled={!ctx.canWrite} className="ed-form-editor">
        <div className="ed-columns">
          <div className="ed-col-main">
            <Section title={t("Fields")} at="/schema" testid="fields">
              <div className="ed-fields-layout">
                <FieldList doc={doc} selected={current} findings={findings} onSelect={setSelected} onChange={onChange}
                           onAdd={() => {
                             const [next, name] = addField(doc, t("New field"));
                             onChange(next);
                             setSelected(name);
                           }} />
                {current ? (
                  <FieldEditor key={current} doc={doc} name={current} onChange={onChange} onRenamed={setSelected} />
                ) : (
                  <p className="ed-hint">{t("Select a field to edit it, or add one.")}</p>
                )}
              </div>
            </Section>
            <StatusesEditor doc={doc} onChange={onChange} />
            <TransitionsEditor doc={doc} onChange={onChange} />
            <SlaEditor doc={doc} onChange={onChange} />
            <GeneralEditor doc={doc} onChange={onChange} />
          </div>
          <aside className="ed-col-side">
            <FormPreview draft={doc} />
          </aside>
        </div>
      </EditorFrame>
    </EnvContext.Provider>
  );
}
