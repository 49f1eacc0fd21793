/**
 * The funnel panel of the IVR designer: pick a published version (and optionally a second one to compare) and a
 * period; shows callers, hang-ups and self-service completions per node, side by side, and hands the first
 * version's figures to the canvas overlay (overlay.ts). Reads GET /supervision/api/funnel.
 */
import { useEffect, useState } from "react";
import type { EditorContext } from "../shell/types";
import type { FunnelData } from "./overlay";

const ZH: Record<string, string> = {
  "Funnel": "漏斗分析", "Version": "版本", "Compare with": "对比版本", "From": "开始日期", "To": "结束日期", "Node": "节点",
  "Callers": "到达", "Hung up": "挂机", "Self-service": "自助完成", "None": "无", "Close": "关闭",
  "No calls in this period": "该时段没有来电", "Funnel not available": "无法读取漏斗数据",
};

/** A published version as the pickers offer it: its label says number, publication time and note (第3版 · …). */
interface Published { number: number; published_at: string; note: string; label: string }
interface Answer {
  versions: number[]; published?: Published[]; funnel: FunnelData; compare?: FunnelData; from: string; to: string;
}

export function FunnelPanel({ ctx, onData, onClose, labels }: {
  ctx: EditorContext; onData: (data: FunnelData | null) => void; onClose: () => void;
  /** node id -> the label the canvas shows (人工客服…): users read labels, never node codes */
  labels?: Record<string, string>;
}) {
  const t = (text: string) => (ctx.locale === "zh_CN" ? ZH[text] || text : text);
  const [version, setVersion] = useState<string>("");
  const [compare, setCompare] = useState<string>("");
  // Empty: the server's default range (the last 7 days up to today in the tenant's time zone).
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  // The last answer that came back: a refused period clears the figures, not the typed dates or the version
  // lists the analyst picks from (QA 14: an end date before the start blanked both).
  const [known, setKnown] = useState<Answer | null>(null);

  useEffect(() => {
    const query = new URLSearchParams({ ivr: ctx.name });
    if (from) query.set("from", from);
    if (to) query.set("to", to);
    if (version) query.set("version", version);
    if (compare) query.set("compare", compare);
    let stale = false;
    fetch(`/supervision/api/funnel?${query}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      // A refusal carries its reason ({error}, in the reader's language): shown, and the old figures cleared.
      .then((r) => (r.ok ? r.json() : r.json().catch(() => ({})).then((b: any) => Promise.reject(b?.error || ""))))
      .then((body: Answer) => { if (!stale) { setAnswer(body); setKnown(body); setFailed(null); onData(body.funnel); } })
      .catch((reason: unknown) => {
        if (!stale) { setAnswer(null); setFailed(typeof reason === "string" ? reason : ""); onData(null); }
      });
    return () => { stale = true; };
  }, [ctx.name, version, compare, from, to, onData]);
  useEffect(() => () => onData(null), [onData]);

  const meta = answer || known;
  const shown = version || String(meta?.funnel.version || "");
  // published versions by label (number, date, note); the versions with traffic as a fallback for an old server
  const choices: Published[] = meta?.published?.length ? meta.published
    : (meta?.versions || []).map((v) => ({ number: v, published_at: "", note: "", label: String(v) }));
  const nodes = answer ? Object.keys({ ...answer.funnel.nodes, ...(answer.compare?.nodes || {}) }).sort(
    (a, b) => (answer.funnel.nodes[b]?.reached || 0) - (answer.funnel.nodes[a]?.reached || 0)) : [];
  const cell = (data: FunnelData | undefined, node: string, key: "reached" | "hangups" | "completed") =>
    data?.nodes[node]?.[key] ?? 0;
  return (
    <section className="funnel-panel" data-testid="funnel-panel">
      <h3>{t("Funnel")} <button onClick={onClose}>{t("Close")}</button></h3>
      <label>{t("Version")} <select data-testid="funnel-version" value={shown}
        onChange={(e) => { setVersion(e.target.value); if (e.target.value === compare) setCompare(""); }}>
        {choices.map((v) => <option key={v.number} value={v.number}>{v.label}</option>)}</select></label>{" "}
      {/* the other published versions only: a version is never compared with itself (the server refuses it too) */}
      <label>{t("Compare with")} <select data-testid="funnel-compare" value={compare} onChange={(e) => setCompare(e.target.value)}>
        <option value="">{t("None")}</option>
        {choices.filter((v) => String(v.number) !== shown).map((v) => (
          <option key={v.number} value={v.number}>{v.label}</option>))}</select></label>
      <div><label>{t("From")} <input type="date" value={from || meta?.from || ""} onChange={(e) => setFrom(e.target.value)} /></label>{" "}
        <label>{t("To")} <input type="date" value={to || meta?.to || ""} onChange={(e) => setTo(e.target.value)} /></label></div>
      {failed !== null && <p className="muted" data-testid="funnel-error">{t("Funnel not available")}{failed ? `: ${failed}` : ""}</p>}
      {answer && !nodes.length && <p className="muted" data-testid="funnel-empty">{t("No calls in this period")}</p>}
      {answer && nodes.length > 0 && (
        <table data-testid="funnel-table"><thead><tr><th>{t("Node")}</th><th>{t("Callers")}</th><th>{t("Hung up")}</th>
          <th>{t("Self-service")}</th>{answer.compare && <th>v{answer.compare.version}: {t("Callers")}</th>}
          {answer.compare && <th>v{answer.compare.version}: {t("Hung up")}</th>}</tr></thead>
          <tbody>{nodes.map((node) => (
            <tr key={node} data-testid={`funnel-row-${node}`}><td>{labels?.[node] || node}</td>
              <td>{cell(answer.funnel, node, "reached")}</td><td>{cell(answer.funnel, node, "hangups")}</td>
              <td>{cell(answer.funnel, node, "completed")}</td>
              {answer.compare && <td>{cell(answer.compare, node, "reached")}</td>}
              {answer.compare && <td>{cell(answer.compare, node, "hangups")}</td>}</tr>))}</tbody></table>)}
    </section>
  );
}
