/** Service level: minutes to first response and to resolution, clock or business hours, warning point. */
import { useT } from "../common/env";
import { Checkbox, Labeled, NumberInput, Section } from "../common/inputs";
import { ptr } from "../common/pointer";
import { assign, edit } from "../common/update";
import type { FormDoc, Sla } from "./model";

interface Props {
  doc: FormDoc;
  onChange: (doc: FormDoc) => void;
}

export function SlaEditor({ doc, onChange }: Props) {
  const t = useT();
  const sla: Sla = doc.sla ?? {};
  const set = (key: keyof Sla, value: number | boolean | undefined) =>
    onChange(edit(doc, (d) => {
      d.sla = { ...d.sla };
      assign(d.sla, key, value);
      if (Object.keys(d.sla).length === 0) delete d.sla;
    }));
  return (
    <Section title={t("Service level (SLA)")} at={ptr("sla")} testid="sla">
      <div className="ed-grid">
        <Labeled label={t("First response within (minutes)")} at={ptr("sla", "first_response_minutes")}>
          {(id) => <NumberInput id={id} integer min={1} value={sla.first_response_minutes} testid="sla-first-response"
                                onChange={(v) => set("first_response_minutes", v)} />}
        </Labeled>
        <Labeled label={t("Resolution within (minutes)")} at={ptr("sla", "resolution_minutes")}>
          {(id) => <NumberInput id={id} integer min={1} value={sla.resolution_minutes} testid="sla-resolution"
                                onChange={(v) => set("resolution_minutes", v)} />}
        </Labeled>
        <Labeled label={t("Warn at (% of the time used)")} at={ptr("sla", "warning_percent")}>
          {(id) => <NumberInput id={id} integer min={1} max={99} value={sla.warning_percent} placeholder="80"
                                onChange={(v) => set("warning_percent", v)} />}
        </Labeled>
        <Labeled label={t("Counting")} at={ptr("sla", "business_hours")}>
          {() => <Checkbox label={t("Count business hours only")} checked={sla.business_hours ?? true}
                           onChange={(on) => set("business_hours", on)} />}
        </Labeled>
      </div>
    </Section>
  );
}
