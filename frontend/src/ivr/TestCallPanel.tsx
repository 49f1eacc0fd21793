/**
 * The in-browser test call: the draft or a published version runs through the real flow engine against the
 * simulator (the /api/test-calls endpoints); this panel is its phone: keypad, prompts heard, variables, path.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../shell/api";
import type { EditorContext } from "../shell/types";
import { wayText, type CallStep } from "./callPath";
import { ivrT } from "./strings";

/** When the call pretends to start, in the tenant's zone (the start's answer). */
export interface CallClock { at: string; zone: string; offset: string }

export interface CallState {
  id: string; status: "waiting_input" | "running" | "ended"; current_node: string | null;
  prompts: { node: string; text: string; audio_url: string | null }[]; path: string[]; variables: Record<string, unknown>;
  outcome: string | null; events?: CallEvent[]; clock?: CallClock;
  /** Which way each step of `path` went (same order). */
  steps?: CallStep[];
  /** What went wrong, per node (null: the runtime itself), when the call ended with an error. */
  errors?: { node: string | null; reason: string }[];
}

/** An event of the call; `mock` (a lookup answered by the analyst's mock) and `keys_dropped` are shown by the path. */
export interface CallEvent {
  type: string; node?: string | null; result?: string; values?: Record<string, string>;
  label?: string; most?: number; keys?: string;
}

/** What a lookup node returns in this test call (the API's `mocks`; "real" is not sent). */
export interface MockChoice { result: "real" | "found" | "not_found" | "failed"; values: Record<string, string> }

/** The choices in words (stored codes never shown). */
const MOCK_RESULTS: [MockChoice["result"], string][] = [
  ["real", "Real lookup"], ["found", "Found"], ["not_found", "Not found"], ["failed", "Failed / time-out"],
];
/** The longest mock value the server takes (runtime/trial/mocks.py MAX_VALUE). */
const MOCK_MAX = 500;

/** The mocks to send: real ones left out, empty values dropped. */
export function mocksToSend(mocks: Record<string, MockChoice>): Record<string, { result: string; values?: Record<string, string> }> {
  const out: Record<string, { result: string; values?: Record<string, string> }> = {};
  for (const [id, mock] of Object.entries(mocks)) {
    if (mock.result === "real") continue;
    const values = Object.fromEntries(Object.entries(mock.values).filter(([, v]) => v !== ""));
    out[id] = mock.result === "found" ? { result: "found", values } : { result: mock.result };
  }
  return out;
}

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
const keyId = (key: string) => (key === "*" ? "star" : key === "#" ? "hash" : key);

/** A call's state in words (the API's status codes). */
const STATUSES: Record<string, string> = { waiting_input: "Waiting for a key", running: "Running", ended: "Ended" };

/** "UTC+08:00": the zone's offset at `at` (now by default), as the shell names zones; "" when the browser cannot say. */
export function zoneOffset(zone: string, at: Date = new Date()): string {
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
    return name === "GMT" ? "UTC+00:00" : name.replace("GMT", "UTC");
  } catch { return ""; }
}

/** Whether a simulated time can be read: "2026-11-23 10:00" (in the tenant's zone), seconds and an offset optional,
 * and a real date and time (no 31 November, no 25 o'clock). */
export function readableTime(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1).map((v) => Number(v ?? 0));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}

/** How a call ended, in words (the engine's outcome codes). */
const OUTCOMES: Record<string, string> = {
  completed: "Completed normally", caller_hangup: "Caller hung up", abandoned: "Abandoned while queued",
  transferred: "Transferred", error: "Ended with an error",
};

/** Scrolls the element's nearest scrolling ancestor (the property column) so the element's top is at its top; the
 * page itself is not scrolled (`scrollIntoView` also moved the whole studio on a phone). */
export function scrollToTop(el: HTMLElement): void {
  for (let box = el.parentElement; box; box = box.parentElement) {
    const style = window.getComputedStyle(box);
    if (/(auto|scroll)/.test(style.overflowY) && box.scrollHeight > box.clientHeight) {
      box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
      return;
    }
  }
}

export function TestCallPanel({ ctx, onCurrentNode, beforeStart, onClose, nodes = {} }: {
  ctx: EditorContext; onCurrentNode: (id: string | null) => void; beforeStart: () => Promise<void>; onClose: () => void;
  nodes?: Record<string, any>;
}) {
  const t = ctx.t;
  const words = ivrT(ctx);
  const [call, setCall] = useState<CallState | null>(null);
  const [version, setVersion] = useState("draft");
  const [versions, setVersions] = useState<number[]>([]);
  const [caller, setCaller] = useState("13800138000");
  const [at, setAt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const poll = useRef<number | undefined>(undefined);
  const [entry, setEntry] = useState("");
  const [clock, setClock] = useState<CallClock | null>(null);
  const zone = ctx.context.timezone || "";
  const name = (id: string | null | undefined) => (id && nodes[id]?.label) || id || "";
  const [mocks, setMocks] = useState<Record<string, MockChoice>>({});
  const lookups = Object.entries(nodes).filter(([, n]) => n?.type === "lookup");
  const setMock = (id: string, change: Partial<MockChoice>) => setMocks((all) => {
    const was = all[id] ?? { result: "real", values: {} };
    return { ...all, [id]: { ...was, ...change, values: { ...was.values, ...(change.values ?? {}) } } };
  });
  /** "模拟：找到（status = 已签收）": what a mock answered, for the path. */
  const mockWords = (e: CallEvent) => {
    const label = MOCK_RESULTS.find(([code]) => code === e.result)?.[1] ?? e.result ?? "";
    const values = Object.entries(e.values ?? {}).map(([k, v]) => `${k} = ${v}`).join(", ");
    return (values ? t("Mock: {result} ({values})") : t("Mock: {result}")).replace("{result}", t(label))
      .replace("{values}", values);
  };

  useEffect(() => {
    ctx.api<{ versions: { number: number }[] }>("GET", `/documents/ivr/${encodeURIComponent(ctx.name)}/versions`)
      .then((r) => setVersions(r.versions.map((v) => v.number).sort((a, b) => b - a))).catch(() => undefined);
  }, [ctx]);

  const show = useCallback((state: CallState) => {
    setCall(state);
    onCurrentNode(state.status === "ended" ? null : state.current_node);
    window.clearTimeout(poll.current);
    if (state.status === "running") {
      poll.current = window.setTimeout(() => {
        ctx.api<CallState>("GET", `/test-calls/${state.id}`).then(show).catch((exc) => setError(String(exc?.message || exc)));
      }, 400);
    }
  }, [ctx, onCurrentNode]);

  useEffect(() => () => window.clearTimeout(poll.current), []);

  // Opened from the toolbar while the property column below it was scrolled down, the panel (at the column's
  // top) opened out of view: its start button at y = -452. Brought to the column's top when it opens; a frame
  // later, since on a phone the same click opens the drawer the column is drawn in.
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const frame = window.requestAnimationFrame(() => { if (panel.current) scrollToTop(panel.current); });
    return () => window.cancelAnimationFrame(frame);
  }, []);

  const run = async (action: () => Promise<CallState>) => {
    setBusy(true);
    setError(null);
    // The server's sentence is in the reader's language and already lists a few findings (the rest are in
    // the findings panel): appending every finding here repeated them, in developer English.
    try { show(await action()); } catch (exc) {
      setError(`${t("Test call failed")}: ${exc instanceof ApiError ? exc.message : String(exc)}`);
    } finally { setBusy(false); }
  };

  const start = () => {
    // Read in the tenant's zone by the server; a text that is no time is refused here, in the reader's language.
    if (at.trim() && !readableTime(at)) {
      setError(t("The simulated time must be a date and time such as 2026-11-23 10:00 (read in {zone}); “{text}” is not one")
        .replace("{zone}", zone || "UTC").replace("{text}", at));
      return;
    }
    return run(async () => {
      if (version === "draft") await beforeStart();
      const started = await ctx.api<CallState>("POST", "/test-calls", {
        name: ctx.name, version: version === "draft" ? "draft" : Number(version), caller, ...(at.trim() ? { at: at.trim() } : {}),
        mocks: mocksToSend(mocks),
      });
      setClock(started.clock ?? null);
      return started;
    });
  };
  const press = (key: string) => call && call.status !== "ended" && run(() =>
    ctx.api<CallState>("POST", `/test-calls/${call.id}/digits`, { digits: key }));
  const noInput = () => call && call.status !== "ended" && run(() =>
    ctx.api<CallState>("POST", `/test-calls/${call.id}/no-input`));
  /** A whole entry (a waybill): refused here, in words, when the waiting collect node takes fewer digits. */
  const send = () => {
    if (!call || call.status === "ended" || !entry) return;
    if (!/^[0-9*#]{1,64}$/.test(entry)) { setError(t("Only the keys 0-9, * and # can be entered")); return; }
    const node = call.current_node ? nodes[call.current_node] : undefined;
    if (node?.type === "collect") {
      const most = Number(node.max_digits ?? 20);
      const typed = entry.replace(new RegExp(`[${node.terminator === "*" ? "*" : "#"}]$`), "").length;
      if (typed > most) {
        setError(t("「{node}」 takes at most {most} digits; you entered {n}").replace("{node}", name(call.current_node))
          .replace("{most}", String(most)).replace("{n}", String(typed)));
        return;
      }
    }
    run(() => ctx.api<CallState>("POST", `/test-calls/${call.id}/digits`, { digits: entry })).then(() => setEntry(""));
  };
  const hangup = () => call && call.status !== "ended" && run(() => ctx.api<CallState>("DELETE", `/test-calls/${call.id}`));

  const live = call !== null && call.status !== "ended";
  return (
    <div className="test-call" data-testid="test-call-panel" ref={panel}>
      <div className="test-call-head">
        <strong>{t("Test call")}</strong>
        <button className="link" onClick={() => { hangup(); onCurrentNode(null); onClose(); }}>{t("Close")}</button>
      </div>
      <div className="row">
        <label>{t("Version")}{" "}
          <select data-testid="call-version" value={version} onChange={(e) => setVersion(e.target.value)} disabled={live}>
            <option value="draft">{t("Draft")}</option>
            {versions.map((n) => <option key={n} value={String(n)}>{t("Version")} {n}</option>)}
          </select>
        </label>{" "}
        <label>{t("Caller number")}{" "}
          <input data-testid="call-caller" value={caller} size={12} onChange={(e) => setCaller(e.target.value)} disabled={live} />
        </label>
      </div>
      <div className="row">
        <label data-testid="call-at-label" title="2026-11-23 10:00">{t("Pretend the call starts at")}
          {zone ? ` (${zone}${zoneOffset(zone) ? ` ${zoneOffset(zone)}` : ""})` : ""}{" "}
          <input data-testid="call-at" value={at} size={18} placeholder={`${t("now")} · 2026-11-23 10:00`} onChange={(e) => setAt(e.target.value)} disabled={live} />
        </label>
      </div>
      {lookups.length ? (
        <details className="call-mocks" data-testid="call-mocks">
          <summary>{t("Mock lookup answers")}</summary>
          <p className="muted">{t("For this test call only; nothing is saved")}</p>
          {lookups.map(([id, node]) => {
            const mock = mocks[id] ?? { result: "real", values: {} };
            return (
              <div key={id} className="call-mock" data-node={id}>
                <label>{name(id)}{" "}
                  <select data-testid={`mock-${id}`} value={mock.result} disabled={live}
                    onChange={(e) => setMock(id, { result: e.target.value as MockChoice["result"] })}>
                    {MOCK_RESULTS.map(([code, words]) => <option key={code} value={code}>{t(words)}</option>)}
                  </select>
                </label>
                {mock.result === "found" ? Object.keys(node.assign ?? {}).map((variable) => (
                  <label key={variable} className="call-mock-value">{variable} ={" "}
                    <input data-testid={`mock-${id}-${variable}`} value={mock.values[variable] ?? ""} maxLength={MOCK_MAX}
                      disabled={live} onChange={(e) => setMock(id, { values: { [variable]: e.target.value } })} />
                  </label>
                )) : null}
              </div>
            );
          })}
        </details>
      ) : null}
      <div className="row">
        <button className="primary" data-testid="call-start" onClick={start} disabled={busy || live}>{t("Start call")}</button>{" "}
        <button data-testid="call-hangup" onClick={hangup} disabled={!live}>{t("Hang up")}</button>{" "}
        <span data-testid="call-status" className={`call-status status-${call?.status || "idle"}`}>
          {t("Status")}: {call ? t(STATUSES[call.status] ?? call.status) : t("not started")}
          {call?.outcome ? ` · ${t("Outcome")}: ${t(OUTCOMES[call.outcome] ?? call.outcome)}` : ""}
        </span>
      </div>
      <div className="keypad">
        {KEYS.map((key) => (
          <button key={key} data-testid={`key-${keyId(key)}`} disabled={!live || busy} onClick={() => press(key)}>{key}</button>
        ))}
      </div>
      <div className="row">
        <button data-testid="call-no-input" disabled={!live || busy} onClick={noInput}
          title={t("The caller presses nothing: the node's time-out passes now")}>{t("No input (time-out)")}</button>{" "}
        <input data-testid="call-digits" value={entry} size={16} placeholder={t("Type a whole entry")} disabled={!live}
          onChange={(e) => setEntry(e.target.value.trim())} onKeyDown={(e) => { if (e.key === "Enter") send(); }} />{" "}
        <button data-testid="call-send" disabled={!live || busy || !entry} onClick={send}>{t("Send")}</button>
      </div>
      {error && <p className="error" data-testid="call-error">{error}</p>}
      {call?.outcome === "error" && (
        <ul className="error" data-testid="call-errors">
          {(call.errors?.length ? call.errors : [{ node: null, reason: "" }]).map((e, i) => (
            <li key={i}>
              {e.node ? `${t("Node")} ${name(e.node)}: ` : `${t("The runtime failed")}: `}
              {e.reason || t("no reason was recorded")}
            </li>
          ))}
        </ul>
      )}
      <h4>{t("Prompts")}</h4>
      <ul data-testid="call-prompts" className="call-prompts">
        {(call?.prompts || []).map((prompt, i) => (
          <li key={i} data-node={prompt.node}>
            <span className="muted" title={prompt.node}>{name(prompt.node)}:</span> {prompt.text}
            {prompt.audio_url ? <audio controls preload="none" src={prompt.audio_url} /> : null}
          </li>
        ))}
      </ul>
      <h4>{t("Variables")}</h4>
      <dl data-testid="call-variables" className="call-variables">
        {Object.entries(call?.variables || {}).map(([key, value]) => (
          <div key={key}><dt>{key}</dt><dd>{typeof value === "object" ? JSON.stringify(value) : String(value)}</dd></div>
        ))}
      </dl>
      <h4>{t("Path")}</h4>
      {call && clock ? (
        <p className="muted" data-testid="call-clock">{t("Simulated time")}: {clock.at} {clock.zone} ({clock.offset})</p>
      ) : null}
      <ol data-testid="call-path" className="call-path">
        {(call?.path || []).map((id, i) => {
          // the k-th visit of a lookup node goes with its k-th mock answer
          const visit = (call?.path || []).slice(0, i).filter((p) => p === id).length;
          const mocked = (call?.events || []).filter((e) => e.type === "mock" && e.node === id)[visit];
          const step = call?.steps?.[i];
          const way = step && step.node === id ? wayText(step, nodes, words) : null;
          return (
            <li key={i} data-node={id}>{name(id)}{nodes[id]?.label ? <span className="muted"> ({id})</span> : null}
              {way ? <span className="call-way" data-testid="call-way"> → {way}</span> : null}
              {mocked ? <span className="call-mock-note" data-testid="call-mock-note"> · {mockWords(mocked)}</span> : null}
            </li>
          );
        })}
      </ol>
      {(call?.events || []).filter((e) => e.type === "keys_dropped").map((e, i) => (
        <p key={i} className="muted" data-testid="call-keys-dropped">
          {t("「{node}」 was full at {most} digits: “{keys}” after it was not sent").replace("{node}", e.label ?? "")
            .replace("{most}", String(e.most ?? "")).replace("{keys}", e.keys ?? "")}
        </p>
      ))}
    </div>
  );
}
