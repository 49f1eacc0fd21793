/** The outbound script editor: the script's pages (questions, branches, endings), its call results and
 * its dialing policy. */
import { useEffect, useMemo, useState } from "react";
import type { EditorProps } from "../../shell/types";
import { EnvContext, makeT } from "../common/env";
import { EditorFrame } from "../common/findings";
import { Labeled, Section, SelectInput, TextInput } from "../common/inputs";
import { ptr, segments } from "../common/pointer";
import { assign, edit } from "../common/update";
import { DialingPolicy } from "./DialingPolicy";
import { DispositionsEditor } from "./DispositionsEditor";
import type { OutboundDoc } from "./model";
import { addPage, pageOrder } from "./model";
import { PageCard } from "./PageCard";
import { TicketPanel } from "./TicketPanel";
import "../editors.css";

export function OutboundEditor({ draft, onChange, findings, focusPointer, ctx }: EditorProps<OutboundDoc>) {
  const env = useMemo(() => ({ ctx, t: makeT(ctx) }), [ctx]);
  const t = env.t;
  const doc: OutboundDoc = draft ?? ({ pages: {}, dispositions: [] } as unknown as OutboundDoc);
  const ids = pageOrder(doc);
  const [open, setOpen] = useState<Set<string>>(new Set(ids.slice(0, 1)));

  useEffect(() => {
    const [root, id] = segments(focusPointer ?? "");
    if (root === "pages" && id !== undefined) setOpen((o) => new Set(o).add(id));
  }, [focusPointer]);

  const toggle = (id: string) => setOpen((o) => { const n = new Set(o); if (n.has(id)) n.delete(id); else n.add(id); return n; });

  return (
    <EnvContext.Provider value={env}>
      <EditorFrame findings={findings} focusPointer={focusPointer} disabled={!ctx.canWrite} className="ed-outbound-editor">
        <Section title={t("Outbound script")}>
          <div className="ed-grid">
            <Labeled label={t("Title")} at={ptr("title")} required>
              {(id) => <TextInput id={id} value={doc.title} optional={false} testid="script-title"
                                  onChange={(v) => onChange(edit(doc, (d) => { d.title = v ?? ""; }))} />}
            </Labeled>
            <Labeled label={t("First page")} at={ptr("start")} required>
              {(id) => <SelectInput id={id} value={doc.start} testid="script-start"
                                    choices={ids.map((p) => ({ value: p, label: doc.pages[p].title ? `${doc.pages[p].title} (${p})` : p }))}
                                    onChange={(v) => onChange(edit(doc, (d) => { d.start = v ?? ""; }))} />}
            </Labeled>
            <Labeled label={t("Description")} at={ptr("description")} className="ed-wide">
              {(id) => <TextInput id={id} value={doc.description} multiline
                                  onChange={(v) => onChange(edit(doc, (d) => assign(d, "description", v)))} />}
            </Labeled>
          </div>
        </Section>
        <Section title={t("Pages")} at={ptr("pages")} testid="pages"
                 actions={<>
                   <button type="button" className="ed-link" onClick={() => setOpen(new Set(ids))}>{t("Open all")}</button>
                   <button type="button" className="ed-link" onClick={() => setOpen(new Set())}>{t("Close all")}</button>
                 </>}>
          <p className="ed-hint">{t("Pages are listed in the order a call meets them; pages no path reaches come last.")}</p>
          <ol className="ed-cards">
            {ids.map((id, i) => (
              <PageCard key={id} doc={doc} id={id} index={i} count={ids.length} open={open.has(id)} findings={findings}
                        onToggle={() => toggle(id)} onChange={onChange}
                        onRenamed={(to) => setOpen((o) => new Set([...o].map((x) => (x === id ? to : x))))} />
            ))}
          </ol>
          <button type="button" className="ed-button ed-primary" data-testid="add-page"
                  onClick={() => {
                    const [next, id] = addPage(doc, t("New page"));
                    onChange(next);
                    setOpen((o) => new Set(o).add(id));
                  }}>+ {t("Add page")}</button>
        </Section>
        <DispositionsEditor doc={doc} onChange={onChange} />
        <TicketPanel doc={doc} ctx={ctx} onChange={onChange} />
        <DialingPolicy doc={doc} onChange={onChange} />
      </EditorFrame>
    </EnvContext.Provider>
  );
}
