/** `create_ticket`: which form the call's answers become a ticket of, what fills each of its fields (an answer
 * of the script or a field of the contact), and on which call results. Pickers only: the tenant's forms and
 * fields, the script's questions and dispositions, each by its label. */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, Labeled, Section, SelectInput } from "../common/inputs";
import { ptr } from "../common/pointer";
import { edit } from "../common/update";
import type { EditorContext } from "../../shell/types";
import type { CreateTicket, OutboundDoc } from "./model";
import { ticketSources } from "./model";

interface Props {
  doc: OutboundDoc;
  ctx: EditorContext;
  onChange: (doc: OutboundDoc) => void;
}

/** Words of the contact fields a ticket may take (the stored `{{contact.x}}` is never shown). */
const CONTACT_WORDS: Record<string, string> = {
  name: "Contact's name", phone: "Contact's phone", address: "Contact's address", customer_id: "Contact's customer id",
  ticket_number: "Contact's ticket number", note: "Contact's note", email: "Contact's email", company: "Contact's company",
};

type FormField = { path: string; label: string; source: string; forms?: string[] };

export function TicketPanel({ doc, ctx, onChange }: Props) {
  const t = useT();
  const spec = doc.create_ticket;
  const forms = ctx.context.forms ?? [];
  const set = (change: (c: CreateTicket) => void) => onChange(edit(doc, (d) => { change(d.create_ticket!); }));
  const fields = ((ctx.context.fields ?? []) as FormField[])
    .filter((f) => f.source === "form" && f.path.startsWith("ticket.") && spec && (f.forms ?? []).includes(spec.form));
  const sources = ticketSources(doc).map((s) => ({
    value: s.value,
    label: s.kind === "answer" ? `${t("Answer")}: ${s.label}` : t(CONTACT_WORDS[s.label] ?? s.label),
  }));
  return (
    <Section title={t("Ticket from the answers")} at={ptr("create_ticket")} testid="create-ticket">
      <Checkbox label={t("Store the answers as a ticket")} checked={spec !== undefined} testid="create-ticket-on"
                onChange={(on) => onChange(edit(doc, (d) => {
                  if (on) d.create_ticket = { form: forms[0]?.name ?? "", fields: {} };
                  else delete d.create_ticket;
                }))} />
      {spec ? (
        <>
          <div className="ed-grid">
            <Labeled label={t("Ticket form")} at={ptr("create_ticket", "form")} required>
              {(id) => <SelectInput id={id} value={spec.form || undefined} testid="ticket-form"
                                    choices={forms.map((f) => ({ value: f.name, label: f.title || f.name }))}
                                    onChange={(v) => set((c) => { c.form = v ?? ""; c.fields = {}; })} />}
            </Labeled>
          </div>
          <Anchor at={ptr("create_ticket", "fields")}>
            <table className="ed-table" data-testid="ticket-fields">
              <thead><tr><th>{t("Form field")}</th><th>{t("Filled with")}</th></tr></thead>
              <tbody>
                {fields.map((f) => {
                  const name = f.path.slice("ticket.".length);
                  const current = spec.fields[name];
                  // a text written in the JSON (a fixed value, words around a variable) is kept and shown as text
                  const choices = current !== undefined && !sources.some((c) => c.value === current)
                    ? [{ value: current, label: `${t("Text")}: ${current}` }, ...sources] : sources;
                  return (
                    <tr key={name} data-testid={`ticket-field-${name}`}>
                      <td>{f.label || name}</td>
                      <td>
                        <Anchor at={ptr("create_ticket", "fields", name)}>
                          <SelectInput value={current} choices={choices} empty={t("(not filled)")}
                                       testid="ticket-source"
                                       onChange={(v) => set((c) => {
                                         if (v === undefined) delete c.fields[name]; else c.fields[name] = v;
                                       })} />
                        </Anchor>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {fields.length === 0 ? <p className="ed-hint">{t("Choose a published form to map its fields.")}</p> : null}
          </Anchor>
          <Anchor at={ptr("create_ticket", "on")}>
            <p className="ed-label">{t("Made when the call ends with")}</p>
            <p className="ed-hint">{t("None ticked: every result whose outcome is success.")}</p>
            {(doc.dispositions ?? []).map((d) => (
              <Checkbox key={d.code} label={d.label || d.code} testid={`ticket-on-${d.code}`}
                        checked={(spec.on ?? []).includes(d.code)}
                        onChange={(on) => set((c) => {
                          const next = on ? [...(c.on ?? []), d.code] : (c.on ?? []).filter((x) => x !== d.code);
                          if (next.length) c.on = next; else delete c.on;
                        })} />
            ))}
          </Anchor>
        </>
      ) : null}
    </Section>
  );
}
