/** 试运行规则 / Try the rules: the editor's current draft (unsaved edits included) runs on a chosen ticket or
 * recent call by the real engine on the server, in a dry run (POST /api/dispatch/trial, docs/dispatch.md);
 * each rule says whether its condition held, which part failed on what values, and what it would do.
 * Everything shown is text in React elements: nothing of the tenant goes through innerHTML. */
import { Alert, Button, Select, Space, Tag } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { EditorContext } from "../../shell/types";
import type { Translate } from "../common/env";
import { OPS } from "../common/condition/model";
import type { DispatchDoc } from "./model";
import { CALL_EVENTS, EVENT_LABELS, TICKET_EVENTS } from "./model";

interface TicketChoice { number: string; form_title: string; status: string; summary: { label: string; value: string }[] }
interface CallChoice { uuid: string; caller: string; queue: string | null; at: string }
interface Part { field: string; label: string | null; op: string; negated: boolean; missing: boolean; actual: unknown; expected?: unknown }
interface Effect { kind: string; [key: string]: unknown }
interface ActionResult { type: string; title: string; status: string; status_words: string; reason: string | null; effects: Effect[] }
interface RuleResult {
  number: number; name: string; label: string | null; verdict: string; failed?: Part[]; outcome?: string;
  warnings?: string[]; actions?: ActionResult[];
}
interface TrialResult { event: string; rules: RuleResult[] }

const VERDICTS: Record<string, [string, string]> = {
  ran: ["Condition held", "green"],
  condition_false: ["Condition not met", "default"],
  other_event: ["Not for this event", "default"],
  disabled: ["Disabled", "default"],
  other_form: ["Not for this ticket's form", "default"],
  not_reached: ["Not reached: an earlier rule stopped the run", "default"],
  no_ticket: ["Ticket not found", "red"],
};
const OUTCOMES: Record<string, string> = {
  fired: "Would do every action", partial: "Some actions could not be done", skipped: "Skipped: something it names is gone",
};
const CHANNELS: Record<string, string> = { sms: "SMS", email: "e-mail", webhook: "webhook" };
/** An action's status in a dry run: nothing was done, so each says what *would* happen (QA of issue 16, fixc18 item 5). */
const WOULD: Record<string, string> = {
  done: "Would do", skipped: "Would be skipped", failed: "Would fail",
  unassigned: "Nobody to assign: would go on the dispatch list",
};
/** Where an escalation goes, in words (dispatch schema escalate.target); English keys carry their English text. */
const TARGETS_EN: Record<string, string> = { agent: "agent", group: "group", department: "department" };

/** 升级到 部门「质量管理部」（第 2 级）: an escalation as one phrase, not its keys (QA of issue 16, fixc18 item 3). */
function Escalation({ action, t, locale }: { action: ActionResult; t: Translate; locale: string }) {
  const fact = (key: string) => action.effects.find((e) => e.kind === "fact" && e.key === key)?.value;
  const target = String(fact("target") ?? "");
  const targetWords = locale === "en" ? (TARGETS_EN[target] ?? target) : t(`escalation.${target}`);
  const note = fact("note");
  return (
    <>
      <div data-testid="trial-escalation">
        {t("Escalated to {target} {name} (level {level})").replace("{target}", targetWords)
          .replace("{name}", text(fact("name"))).replace("{level}", text(fact("level") ?? 1))}
      </div>
      {note ? <div className="ed-hint">{t("Note")}: {text(note)}</div> : null}
    </>
  );
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join("、");
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function PartLine({ part, ctx, t }: { part: Part; ctx: EditorContext; t: Translate }) {
  const label = part.label ?? ctx.context.fields?.find((f) => f.path === part.field)?.label ?? part.field;
  const op = OPS.find((o) => o.op === part.op)?.label ?? part.op;
  const wanted = part.expected === undefined ? "" : ` ${text(part.expected)}`;
  return (
    <li data-testid="trial-failed-part">
      <strong>{label}</strong>{" "}
      {part.missing ? t("has no value") : <>{t("is")} <q>{text(part.actual)}</q></>}
      {"; "}{t(part.negated ? "the rule needs it not to be" : "the rule needs")} {t(op)}{wanted}
    </li>
  );
}

function EffectLine({ effect, action, t }: { effect: Effect; action: ActionResult; t: Translate }) {
  if (effect.kind === "message") {
    return (
      <div className="ed-trial-message" data-testid="trial-message">
        <div>{t("Send")} {t(CHANNELS[String(effect.channel)] ?? String(effect.channel))} → {text(effect.to)}
          {effect.subject ? <> · {text(effect.subject)}</> : null}</div>
        <div className="ed-trial-text">{text(effect.text)}</div>
      </div>
    );
  }
  if (effect.kind === "set_field") return <div>{t("Set field")} {text(effect.label)} → {text(effect.value)}</div>;
  if (effect.kind === "status") {
    return effect.which === "to" ? <div>{t("Status")} → {text(effect.value)}</div> : null;
  }
  if (action.type === "assign" && effect.key === "name") return <div>{t("Assign to")} {text(effect.value)}</div>;
  if (action.type === "assign" && effect.key !== "name") return null;
  return <div className="ed-hint">{t(String(effect.key))}: {text(effect.value)}</div>;
}

function RuleLine({ rule, ctx, t }: { rule: RuleResult; ctx: EditorContext; t: Translate }) {
  const [words, colour] = VERDICTS[rule.verdict] ?? [rule.verdict, "default"];
  return (
    <li className="ed-trial-rule" data-testid={`trial-rule-${rule.number}`} data-verdict={rule.verdict}>
      <div>
        <strong>{t("Rule")} {rule.number}</strong> {rule.label || rule.name}{" "}
        <Tag color={colour}>{t(words)}</Tag>
        {rule.outcome ? <Tag color={rule.outcome === "fired" ? "blue" : "orange"}>{t(OUTCOMES[rule.outcome] ?? rule.outcome)}</Tag> : null}
      </div>
      {rule.failed?.length ? <ul className="ed-trial-parts">{rule.failed.map((p, i) => <PartLine key={i} part={p} ctx={ctx} t={t} />)}</ul> : null}
      {rule.actions?.length ? (
        <ol className="ed-trial-actions">
          {rule.actions.map((a, i) => (
            <li key={i} data-testid="trial-action">
              {t(a.title)} <Tag>{t(WOULD[a.status] ?? a.status_words)}</Tag>{a.reason ? <span className="ed-hint">{a.reason}</span> : null}
              {a.type === "escalate" ? <Escalation action={a} t={t} locale={ctx.locale} />
                : a.effects.map((e, j) => <EffectLine key={j} effect={e} action={a} t={t} />)}
            </li>
          ))}
        </ol>
      ) : null}
      {rule.warnings?.map((w, i) => <div key={i} className="ed-hint">⚠ {w}</div>)}
    </li>
  );
}

export function TrialPanel({ doc, ctx, t }: { doc: DispatchDoc; ctx: EditorContext; t: Translate }) {
  const events = useMemo(() => [...new Set((doc.rules ?? []).map((r) => r.event))], [doc]);
  const hasCalls = events.some((e) => CALL_EVENTS.has(e));
  const [on, setOn] = useState<"ticket" | "call">("ticket");
  const offered = events.filter((e) => (on === "ticket" ? TICKET_EVENTS : CALL_EVENTS).has(e));
  const [event, setEvent] = useState<string | undefined>(undefined);
  const [ticketChoices, setTickets] = useState<TicketChoice[]>([]);
  const [calls, setCalls] = useState<CallChoice[]>([]);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<TrialResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  // Each key typed asks again; only the answer to the latest question may fill the list.
  const asked = useRef(0);
  const search = useCallback((q: string) => {
    const query = q.trim() ? `?q=${encodeURIComponent(q.trim().slice(0, 64))}` : "";
    const mine = ++asked.current;
    ctx.api<{ tickets: TicketChoice[] }>("GET", `/dispatch/trial/tickets${query}`)
      .then((r) => { if (mine === asked.current) setTickets(r.tickets); })
      .catch(() => { if (mine === asked.current) setTickets([]); });
  }, [ctx]);
  useEffect(() => { search(""); }, [search]);
  useEffect(() => {
    if (on === "call") ctx.api<{ calls: CallChoice[] }>("GET", "/dispatch/trial/calls").then((r) => setCalls(r.calls)).catch(() => setCalls([]));
  }, [ctx, on]);
  const chosenEvent = event && offered.includes(event) ? event : offered[0];

  const run = () => {
    if (!picked || !chosenEvent) return;
    setRunning(true);
    setError(null);
    ctx.api<TrialResult>("POST", "/dispatch/trial", { draft: doc, event: chosenEvent, [on]: picked })
      .then((r) => setResult(r))
      .catch((e: unknown) => { setResult(null); setError(e instanceof Error ? e.message : String(e)); })
      .finally(() => setRunning(false));
  };

  const ticketOptions = ticketChoices.map((c) => ({
    value: c.number,
    label: (
      <span data-testid={`trial-ticket-${c.number}`}>
        {c.number} · {c.form_title} · {c.status}
        {c.summary.length ? <span className="ed-hint"> — {c.summary.map((s) => `${s.label}: ${s.value}`).join("；")}</span> : null}
      </span>
    ),
  }));
  const callOptions = calls.map((c) => ({
    value: c.uuid,
    label: <span data-testid={`trial-call-${c.uuid}`}>{c.at} · {c.caller}{c.queue ? ` · ${c.queue}` : ""}</span>,
  }));

  return (
    <div data-testid="dispatch-trial">
      <p className="ed-hint">{t("Runs the rules as they are on screen (unsaved edits included) on a real ticket: nothing is saved, sent or changed.")}</p>
      <Space wrap className="ed-trial-controls">
        {hasCalls ? (
          <Select value={on} onChange={(v) => { setOn(v); setPicked(undefined); setResult(null); }} data-testid="trial-on"
                  options={[{ value: "ticket", label: t("A ticket") }, { value: "call", label: t("A recent call") }]} style={{ width: 140 }} />
        ) : null}
        <Select showSearch={on === "ticket" ? { filterOption: false, onSearch: search } : undefined} value={picked}
                onChange={(v) => setPicked(v)} placeholder={t(on === "ticket" ? "Ticket number, or pick a recent ticket" : "Pick a recent call")}
                options={on === "ticket" ? ticketOptions : callOptions} className="ed-trial-pick"
                data-testid="trial-pick" notFoundContent={t("Nothing found")} />
        <Select value={chosenEvent} onChange={(v) => setEvent(v)} data-testid="trial-event" style={{ minWidth: 180 }}
                options={offered.map((e) => ({ value: e, label: t(EVENT_LABELS[e] ?? e) }))} />
        <Button type="primary" onClick={run} loading={running} disabled={!picked || !chosenEvent} data-testid="trial-run">
          {t("Try the rules")}
        </Button>
      </Space>
      {error ? <Alert type="error" showIcon title={error} data-testid="trial-error" /> : null}
      {result ? <ol className="ed-trial-result" data-testid="trial-result">{result.rules.map((r) => <RuleLine key={r.number} rule={r} ctx={ctx} t={t} />)}</ol> : null}
    </div>
  );
}
