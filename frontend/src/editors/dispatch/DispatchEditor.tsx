/** The dispatch rule editor: the ordered rules of the tenant, each opened to edit. */
import { useEffect, useMemo, useState } from "react";
import type { EditorProps } from "../../shell/types";
import { EnvContext, makeT } from "../common/env";
import { EditorFrame } from "../common/findings";
import type { Choice } from "../common/inputs";
import { Labeled, Section, TextInput } from "../common/inputs";
import { ptr, segments } from "../common/pointer";
import { assign, edit, move } from "../common/update";
import type { DispatchDoc } from "./model";
import { newRule } from "./model";
import { FiringLog } from "./FiringLog";
import { RuleCard } from "./RuleCard";
import { TrialPanel } from "./TrialPanel";
import "../editors.css";

export function DispatchEditor({ draft, onChange, findings, focusPointer, ctx }: EditorProps<DispatchDoc>) {
  const env = useMemo(() => ({ ctx, t: makeT(ctx) }), [ctx]);
  const t = env.t;
  const doc: DispatchDoc = draft ?? { rules: [] };
  const rules = doc.rules ?? [];
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [scripts, setScripts] = useState<Choice[]>([]);

  useEffect(() => {
    // The outbound scripts a return visit can start: not in the designer context, so listed here.
    ctx.api<{ documents: { name: string; title: string }[] }>("GET", "/documents?kind=outbound")
      .then((r) => setScripts(r.documents.map((d) => ({ value: d.name, label: d.title ? `${d.title} (${d.name})` : d.name }))))
      .catch(() => setScripts([]));
  }, [ctx]);

  useEffect(() => {
    const [root, index] = segments(focusPointer ?? "");
    if (root === "rules" && index !== undefined) setOpen((o) => new Set(o).add(Number(index)));
  }, [focusPointer]);

  const setRules = (next: DispatchDoc["rules"]) => onChange(edit(doc, (d) => { d.rules = next; }));
  // Open cards follow their rule when rules move or go (the set holds indexes).
  const reindex = (map: (i: number) => number | null) =>
    setOpen((o) => new Set([...o].map(map).filter((i): i is number => i !== null)));

  const add = () => {
    const event = ctx.context.dispatch_events?.[0] ?? "ticket.created";
    setRules([...rules, newRule(doc, event, t("New rule"))]);
    setOpen((o) => new Set(o).add(rules.length));
  };

  return (
    <EnvContext.Provider value={env}>
      <EditorFrame findings={findings} focusPointer={focusPointer} disabled={!ctx.canWrite} className="ed-dispatch-editor">
        <Section title={t("Dispatch rules")}>
          <div className="ed-grid">
            <Labeled label={t("Title")} at={ptr("title")}>
              {(id) => <TextInput id={id} value={doc.title} onChange={(v) => onChange(edit(doc, (d) => assign(d, "title", v)))} />}
            </Labeled>
            <Labeled label={t("Description")} at={ptr("description")} className="ed-wide">
              {(id) => <TextInput id={id} value={doc.description} multiline
                                  onChange={(v) => onChange(edit(doc, (d) => assign(d, "description", v)))} />}
            </Labeled>
          </div>
          <p className="ed-hint">{t("Rules run from top to bottom on each event; a rule whose condition holds runs its actions.")}</p>
        </Section>
        <Section title={t("Rules")} at={ptr("rules")} testid="rules"
                 actions={<>
                   <button type="button" className="ed-link" onClick={() => setOpen(new Set(rules.map((_, i) => i)))}>{t("Open all")}</button>
                   <button type="button" className="ed-link" onClick={() => setOpen(new Set())}>{t("Close all")}</button>
                 </>}>
          <ol className="ed-cards">
            {rules.map((rule, i) => (
              <RuleCard key={i} rule={rule} index={i} count={rules.length} open={open.has(i)} findings={findings}
                        names={rules.map((r) => r.name)} scripts={scripts}
                        onToggle={() => setOpen((o) => { const n = new Set(o); if (n.has(i)) n.delete(i); else n.add(i); return n; })}
                        onChange={(r) => setRules(rules.map((x, j) => (j === i ? r : x)))}
                        onMove={(delta) => {
                          const to = i + delta;
                          setRules(move(rules, i, delta));
                          reindex((k) => (k === i ? to : k === to ? i : k));
                        }}
                        onRemove={() => {
                          setRules(rules.filter((_, j) => j !== i));
                          reindex((k) => (k === i ? null : k > i ? k - 1 : k));
                        }} />
            ))}
          </ol>
          <button type="button" className="ed-button ed-primary" data-testid="add-rule" onClick={add}>+ {t("Add rule")}</button>
        </Section>
        {/* Trying rules and reading their firings is for those who may change them (the API's roles). */}
        {ctx.canWrite ? (
          <>
            <Section title={t("Try the rules")} testid="trial-section">
              <TrialPanel doc={doc} ctx={ctx} t={t} />
            </Section>
            <Section title={t("Rule firings")} testid="firings-section">
              <FiringLog ctx={ctx} t={t} />
            </Section>
          </>
        ) : null}
      </EditorFrame>
    </EnvContext.Provider>
  );
}
