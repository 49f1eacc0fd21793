/** 规则触发记录 / Rule firings: the latest firings of the tenant's published rules, newest first, asked for
 * every few seconds (GET /api/dispatch/firings; worded as the supervision firings page). Times are the
 * tenant's, with its zone named. Text only, in React elements (no innerHTML). */
import { Table, Tag } from "antd";
import type { HTMLAttributes } from "react";
import { useEffect, useState } from "react";
import type { EditorContext } from "../../shell/types";
import type { Translate } from "../common/env";

interface FiringRow {
  id: number; at_local: string; event_label: string; rule: string; rule_label: string; rule_number: number | null;
  document: string; outcome: string; ticket: string | null; call: string | null;
  actions: { type: string; status: string }[]; action_labels: string[];
}

const EVERY_MS = 4000;
const OUTCOMES: Record<string, [string, string]> = {
  fired: ["Fired", "blue"], partial: ["Partly done", "orange"], skipped: ["Skipped", "default"],
};
const STATUS_WORDS: Record<string, string> = {
  done: "Action done", skipped: "Action skipped", failed: "Action failed", unassigned: "Nobody to assign: on the dispatch list",
};

export function FiringLog({ ctx, t }: { ctx: EditorContext; t: Translate }) {
  const [rows, setRows] = useState<FiringRow[]>([]);
  const [zone, setZone] = useState("");
  useEffect(() => {
    let stopped = false;
    const ask = () => ctx.api<{ zone: string; firings: FiringRow[] }>("GET", "/dispatch/firings")
      .then((r) => { if (!stopped) { setRows(r.firings); setZone(r.zone); } })
      .catch(() => { /* keep what is shown; the next poll tries again */ });
    void ask();
    const timer = window.setInterval(ask, EVERY_MS);
    return () => { stopped = true; window.clearInterval(timer); };
  }, [ctx]);

  return (
    <div data-testid="firing-log">
      <p className="ed-hint">{t("The latest firings of the published rules, newest first; refreshed every few seconds.")}</p>
      <Table<FiringRow> size="small" rowKey="id" dataSource={rows} scroll={{ x: "max-content" }} pagination={{ pageSize: 10, hideOnSinglePage: true }}
                        locale={{ emptyText: t("No rule has fired yet.") }}
                        onRow={(row) => ({ "data-testid": "firing-row", "data-rule": row.rule } as HTMLAttributes<HTMLElement>)}
                        columns={[
        { title: `${t("Time")} (${zone})`, dataIndex: "at_local", key: "at", width: 170 },
        { title: t("Rule"), key: "rule", render: (_, r) => (
          <span data-testid="firing-rule">{r.rule_number !== null ? `${t("Rule")} ${r.rule_number} · ` : ""}{r.rule_label}
            {r.document !== "default" ? <span className="ed-hint"> ({r.document})</span> : null}</span>) },
        { title: t("Event"), key: "event", render: (_, r) => t(r.event_label) },
        { title: t("Ticket"), key: "ticket", render: (_, r) => r.ticket
          ? <a href={`/desk/tickets/${encodeURIComponent(r.ticket)}`} data-testid="firing-ticket">{r.ticket}</a>
          : <span className="ed-hint">{r.call ?? ""}</span> },
        { title: t("What was done"), key: "done", render: (_, r) => (
          <span>
            <Tag color={OUTCOMES[r.outcome]?.[1] ?? "default"}>{t(OUTCOMES[r.outcome]?.[0] ?? r.outcome)}</Tag>
            {r.actions.map((a, i) => (
              <span key={i} className="ed-firing-action">{i > 0 ? t("; ") : " "}{t(r.action_labels[i] ?? a.type)}: {t(STATUS_WORDS[a.status] ?? a.status)}</span>
            ))}
          </span>) },
      ]} />
    </div>
  );
}
