/** How the campaign dials: mode and pacing, the abandon-rate cap, when calls may be made (windows in the
 * callee's time zone), retries per failure and the per-contact cap. */
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import { Checkbox, Labeled, ListButtons, MultiCheck, NumberInput, Section, SelectInput, TextInput } from "../common/inputs";
import { join, ptr } from "../common/pointer";
import { assign, edit, move } from "../common/update";
import type { CallWindow, Dialing, OutboundDoc, Retry, Weekday } from "./model";
import { DEFAULT_DIALING } from "./model";

const MODES = [
  { value: "preview", label: "Preview (agent reads the contact, then dials)" },
  { value: "progressive", label: "Progressive (dials when an agent is free)" },
  { value: "predictive", label: "Predictive (dials ahead of free agents)" },
  { value: "agentless", label: "Agentless (recorded questions, keypad answers)" },
];
const DAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_LABELS: Record<Weekday, string> = { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" };
const TIMEZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Urumqi", "Asia/Singapore", "Asia/Tokyo", "UTC"];
/** Times offered for windows: every half hour, and 24:00 for "until midnight" (the schema's hhmm). */
const TIMES = [...Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`), "24:00"]
  .map((v) => ({ value: v, label: v }));
const RETRY_KINDS = [
  { key: "busy", label: "Line busy" },
  { key: "no_answer", label: "No answer" },
  { key: "failed", label: "Call failed" },
] as const;

interface Props {
  doc: OutboundDoc;
  onChange: (doc: OutboundDoc) => void;
}

export function DialingPolicy({ doc, onChange }: Props) {
  const t = useT();
  const dialing: Dialing = doc.dialing ?? DEFAULT_DIALING;
  const at = ptr("dialing");
  const update = (change: (d: Dialing) => void) => onChange(edit(doc, (x) => {
    x.dialing ??= structuredClone(dialing);
    change(x.dialing);
  }));
  const set = (key: keyof Dialing, value: unknown) => update((d) => assign(d, key, value));
  const windows = dialing.windows ?? [];
  const setWindow = (i: number, w: CallWindow) => update((d) => { d.windows[i] = w; });
  const retries = dialing.retries ?? {};
  const setRetry = (key: "busy" | "no_answer" | "failed", retry: Retry | undefined) => update((d) => {
    d.retries = { ...d.retries };
    assign(d.retries, key, retry);
    if (Object.keys(d.retries).length === 0) delete d.retries;
  });
  const timezones = TIMEZONES.includes(dialing.timezone) || !dialing.timezone ? TIMEZONES : [dialing.timezone, ...TIMEZONES];
  return (
    <Section title={t("Dialing policy")} at={at} testid="dialing-policy">
      <div className="ed-grid">
        <Labeled label={t("Dialing mode")} at={join(at, "mode")} required className="ed-wide">
          {(id) => <SelectInput id={id} value={dialing.mode} testid="dialing-mode" choices={MODES.map((m) => ({ value: m.value, label: t(m.label) }))}
                                onChange={(v) => set("mode", v ?? "progressive")} />}
        </Labeled>
        {dialing.mode === "predictive" ? (
          <Labeled label={t("Calls per free agent")} at={join(at, "pacing_ratio")}>
            {(id) => <NumberInput id={id} min={1} max={5} step={0.1} value={dialing.pacing_ratio} placeholder="1"
                                  onChange={(v) => set("pacing_ratio", v)} />}
          </Labeled>
        ) : null}
        <Labeled label={t("Abandoned calls at most (%)")} at={join(at, "max_abandon_rate")}
                 hint={t("Calls answered with no agent free; regulators cap this, 3% is usual")}>
          {/* Stored as a fraction (0.03), shown as a percentage. */}
          {(id) => <NumberInput id={id} min={0} max={20} step={0.5} testid="dialing-abandon"
                                value={dialing.max_abandon_rate === undefined ? undefined : Math.round(dialing.max_abandon_rate * 1000) / 10}
                                placeholder="3" onChange={(v) => set("max_abandon_rate", v === undefined ? undefined : Math.round(v * 10) / 1000)} />}
        </Labeled>
        <Labeled label={t("Ring for (seconds)")} at={join(at, "ring_timeout_seconds")}>
          {(id) => <NumberInput id={id} integer min={5} max={120} value={dialing.ring_timeout_seconds} placeholder="30"
                                onChange={(v) => set("ring_timeout_seconds", v)} />}
        </Labeled>
        <Labeled label={t("Time zone of contacts without one")} at={join(at, "timezone")} required>
          {(id) => <SelectInput id={id} value={dialing.timezone} choices={timezones.map((z) => ({ value: z, label: z }))}
                                onChange={(v) => set("timezone", v ?? "Asia/Shanghai")} />}
        </Labeled>
        <Labeled label={t("Caller number shown")} at={join(at, "caller_id")}>
          {(id) => <TextInput id={id} value={dialing.caller_id} placeholder="4006608899" onChange={(v) => set("caller_id", v)} />}
        </Labeled>
        <Labeled label={t("Attempts per contact at most")} at={join(at, "max_attempts_per_contact")}>
          {(id) => <NumberInput id={id} integer min={1} max={50} value={dialing.max_attempts_per_contact} placeholder="5"
                                onChange={(v) => set("max_attempts_per_contact", v)} />}
        </Labeled>
      </div>
      <Anchor at={join(at, "windows")} className="ed-subsection" notesFirst>
        <h4>{t("Calling windows")}</h4>
        <ol className="ed-windows">
          {windows.map((w, i) => (
            <Anchor key={i} at={join(at, "windows", i)} as="li" className="ed-row" testid={`window-${i}`}>
              <Anchor at={join(at, "windows", i, "days")}>
                <MultiCheck values={w.days} choices={DAYS.map((d) => ({ value: d, label: t(DAY_LABELS[d]) }))}
                            onChange={(days) => setWindow(i, { ...w, days: DAYS.filter((d) => days.includes(d)) })} />
              </Anchor>
              <Anchor at={join(at, "windows", i, "start")}>
                <SelectInput value={w.start} choices={TIMES} testid="window-start" onChange={(v) => setWindow(i, { ...w, start: v ?? "09:00" })} />
              </Anchor>
              <span>–</span>
              <Anchor at={join(at, "windows", i, "end")}>
                <SelectInput value={w.end} choices={TIMES} testid="window-end" onChange={(v) => setWindow(i, { ...w, end: v ?? "18:00" })} />
              </Anchor>
              <ListButtons index={i} count={windows.length} onMove={(d) => update((x) => { x.windows = move(x.windows, i, d); })}
                           onRemove={() => update((x) => { x.windows.splice(i, 1); })} />
            </Anchor>
          ))}
        </ol>
        <button type="button" className="ed-button" data-testid="add-window"
                onClick={() => update((d) => { d.windows = [...(d.windows ?? []), { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" }]; })}>
          + {t("Add calling window")}
        </button>
      </Anchor>
      <Anchor at={join(at, "retries")} className="ed-subsection" notesFirst>
        <h4>{t("Retries")}</h4>
        <table className="ed-table">
          <thead><tr><th /><th>{t("Retry")}</th><th>{t("Attempts")}</th><th>{t("Wait (minutes)")}</th></tr></thead>
          <tbody>
            {RETRY_KINDS.map(({ key, label }) => {
              const retry = retries[key];
              return (
                <tr key={key} data-testid={`retry-${key}`}>
                  <td>{t(label)}</td>
                  <td>
                    <Checkbox label="" checked={retry !== undefined}
                              onChange={(on) => setRetry(key, on ? { max_attempts: 1, delay_minutes: 60 } : undefined)} />
                  </td>
                  <td>
                    <Anchor at={join(at, "retries", key, "max_attempts")}>
                      {retry ? <NumberInput integer min={0} max={20} value={retry.max_attempts}
                                            onChange={(v) => setRetry(key, { ...retry, max_attempts: v ?? 0 })} /> : null}
                    </Anchor>
                  </td>
                  <td>
                    <Anchor at={join(at, "retries", key, "delay_minutes")}>
                      {retry ? <NumberInput integer min={1} max={10080} value={retry.delay_minutes}
                                            onChange={(v) => setRetry(key, { ...retry, delay_minutes: v ?? 1 })} /> : null}
                    </Anchor>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Anchor>
    </Section>
  );
}
