/** The findings of the last validate/save/publish; clicking one focuses the field or node it points at, and a
 * finding with a known repair offers it as a button (connect to…, remove the digit, pick or create the queue). */
import { useState } from "react";
import type { Finding, FindingFix } from "./types";
import { findingPlace } from "./readable";
import { cut, QUOTE_MAX, ShortText } from "./ShortText";

/** What the fix buttons offer: the nodes to connect to, the tenant's queues, and how to apply a fix. */
export interface FixSupport {
  nodes: { id: string; label: string }[];
  queues: { name: string; title: string }[];
  apply: (fix: FindingFix, value?: string) => Promise<void>;
}

type T = (s: string, p?: Record<string, string | number>) => string;

function FixControls({ fixes, support, t }: { fixes: FindingFix[]; support: FixSupport; t: T }) {
  const [target, setTarget] = useState("");
  const [queue, setQueue] = useState("");
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const run = (fix: FindingFix, value?: string) => {
    setBusy(true);
    setFailed(null);
    support.apply(fix, value).catch((exc) => setFailed(String(exc?.message || exc))).finally(() => setBusy(false));
  };
  return (
    <div className="fixes" data-testid="fixes">
      {fixes.map((fix, i) => {
        if (fix.action === "connect") {
          return (
            <span key={i} className="fix">
              <select data-testid="fix-target" value={target} aria-label={t("Connect to")} onChange={(e) => setTarget(e.target.value)}>
                <option value="">{t("Connect to…")}</option>
                {/* A label is cut as ShortText cuts it (QUOTE_MAX), whole on hover: a 5,000-character label filled the list. */}
                {support.nodes.map((n) => (
                  <option key={n.id} value={n.id} title={n.label && Array.from(n.label).length > QUOTE_MAX ? n.label : undefined}>
                    {n.label ? `${cut(n.label, QUOTE_MAX)} (${n.id})` : n.id}</option>))}
              </select>{" "}
              <button className="small" data-testid="fix-connect" disabled={busy || !target} onClick={() => run(fix, target)}>{t("Connect")}</button>
            </span>
          );
        }
        if (fix.action === "remove") {
          return <button key={i} className="small" data-testid="fix-remove" disabled={busy} onClick={() => run(fix)}>{t("Remove this digit")}</button>;
        }
        if (fix.action === "pick") {
          return (
            <span key={i} className="fix">
              <select data-testid="fix-pick-select" value={queue} aria-label={t("Use an existing queue")} onChange={(e) => setQueue(e.target.value)}>
                <option value="">{t("Use an existing queue…")}</option>
                {support.queues.map((q) => <option key={q.name} value={q.name}>{q.title && q.title !== q.name ? `${q.title} (${q.name})` : q.name}</option>)}
              </select>{" "}
              <button className="small" data-testid="fix-pick" disabled={busy || !queue} onClick={() => run(fix, queue)}>{t("Use it")}</button>
            </span>
          );
        }
        return (
          <button key={i} className="small" data-testid="fix-create" disabled={busy} onClick={() => run(fix)}>
            {t("Create queue “{name}”", { name: fix.name ?? "" })}
          </button>
        );
      })}
      {failed && <span className="error" data-testid="fix-error"> {t("The fix failed")}: {failed}</span>}
    </div>
  );
}

/** Where a finding is ("主菜单 (main_menu) › 按键选项 › 6"): a label in it may be long; each part is cut alone. */
function Where({ text }: { text: string }) {
  const parts = text.split(" › ");
  const shown = parts.map((part) => cut(part, QUOTE_MAX + 20)).join(" › ");
  return <span className="where" title={shown === text ? undefined : text}>{shown}</span>;
}

export function FindingsPanel({ findings, onFocus, t, body, fixes }: {
  findings: Finding[]; onFocus: (pointer: string) => void; t: T; body: any; fixes?: FixSupport;
}) {
  return (
    <section className="panel" data-testid="findings">
      <h3>{t("Findings")} {findings.length ? <span className="count">{findings.length}</span> : null}</h3>
      {findings.length === 0 ? <p className="muted">{t("No problems found")}</p> : (
        <ul className="findings">
          {findings.map((finding, i) => (
            <li key={`${finding.pointer}\u0001${finding.code}\u0001${i}`} data-testid="finding" data-pointer={finding.pointer}
              className={`finding ${finding.severity}`}>
              <a href={`#${finding.pointer}`} onClick={(e) => { e.preventDefault(); onFocus(finding.pointer); }}>
                <span className={`badge ${finding.severity}`}>{t(finding.severity)}</span>{" "}
                <Where text={findingPlace(finding, body, t)} />
              </a>
              <div className="message"><ShortText text={finding.message} testId="finding-message" /></div>
              {fixes && finding.fixes?.length ? <FixControls fixes={finding.fixes} support={fixes} t={t} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
