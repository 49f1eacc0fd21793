/** One page of the script: what the agent says, the questions asked, then where the call goes
 * (branches by answer, else the next page) or the disposition it ends with. */
import type { Finding } from "../../shell/types";
import { useEnv } from "../common/env";
import { Anchor, countUnder } from "../common/findings";
import type { Choice } from "../common/inputs";
import { Labeled, ListButtons, NameInput, SelectInput, TextInput } from "../common/inputs";
import { join, ptr } from "../common/pointer";
import { assign, edit, freshName, move } from "../common/update";
import { BranchesEditor } from "./BranchesEditor";
import type { OutboundDoc, Page, Question } from "./model";
import { CONTACT_FIELDS, branchFields, questionNames, removePage, renamePage, renameQuestion } from "./model";
import { QuestionEditor } from "./QuestionEditor";

interface Props {
  doc: OutboundDoc;
  id: string;
  index: number;
  count: number;
  open: boolean;
  findings: Finding[];
  onToggle: () => void;
  onRenamed: (to: string) => void;
  onChange: (doc: OutboundDoc) => void;
}

export function PageCard({ doc, id, index, count, open, findings, onToggle, onRenamed, onChange }: Props) {
  const { ctx, t } = useEnv();
  const page: Page = doc.pages[id];
  const at = ptr("pages", id);
  const problems = countUnder(findings, at);
  const setPage = (next: Page) => onChange(edit(doc, (d) => { d.pages[id] = next; }));
  const set = (key: keyof Page, value: unknown) => {
    const next = { ...page };
    assign(next, key, value);
    setPage(next);
  };
  const pages: Choice[] = Object.entries(doc.pages).filter(([p]) => p !== id)
    .map(([p, pg]) => ({ value: p, label: pg.title ? `${pg.title} (${p})` : p }));
  const dispositions: Choice[] = (doc.dispositions ?? []).map((d) => ({ value: d.code, label: `${d.label} (${d.code})` }));
  const questions = page.questions ?? [];
  const allNames = questionNames(doc);
  const setQuestions = (list: Question[]) => set("questions", list.length ? list : undefined);
  const addQuestion = () => {
    const name = freshName("question", allNames);
    setQuestions([...questions, { name, label: t("New question"), type: "text" }]);
  };
  return (
    <Anchor at={at} as="li" className={`ed-card ed-page${open ? " ed-open" : ""}`} testid={`page-${id}`} notesFirst>
      <div className="ed-card-head" onClick={onToggle} role="button" aria-expanded={open}>
        <span className="ed-toggle" aria-hidden>{open ? "▾" : "▸"}</span>
        <strong className="ed-card-title">{page.title || id}</strong>
        <span className="ed-mono ed-muted">{id}</span>
        {doc.start === id ? <span className="ed-badge ed-start">{t("Start")}</span> : null}
        {page.disposition ? <span className="ed-badge">{t("Ends")}: {page.disposition}</span> : null}
        {problems ? <span className="ed-badge ed-error">{problems}</span> : null}
        <span className="ed-grow" />
        <ListButtons index={index} count={count} onRemove={() => onChange(removePage(doc, id))} testid={`page-${id}`} />
      </div>
      {open ? (
        <div className="ed-card-body">
          <div className="ed-grid">
            <Labeled label={t("Page title")} at={join(at, "title")}>
              {(fid) => <TextInput id={fid} value={page.title} testid="page-title" onChange={(v) => set("title", v)} />}
            </Labeled>
            <Labeled label={t("Page id")} at={join(at, "id")}>
              {(fid) => <NameInput id={fid} value={id} taken={Object.keys(doc.pages).filter((p) => p !== id)}
                                   onCommit={(to) => { onChange(renamePage(doc, id, to)); onRenamed(to); }} />}
            </Labeled>
            <Labeled label={t("What the agent says")} at={join(at, "say")} className="ed-wide" hint={t("Click to insert a contact value")}>
              {(fid) => (
                <>
                  <TextInput id={fid} value={page.say} multiline testid="page-say" onChange={(v) => set("say", v)} />
                  <div className="ed-chips">
                    {CONTACT_FIELDS.slice(0, 8).map((f) => (
                      <button key={f} type="button" className="ed-chip"
                              onClick={() => set("say", `${page.say ?? ""}{{contact.${f}}}`)}>{t(`contact.${f}`)}</button>
                    ))}
                  </div>
                </>
              )}
            </Labeled>
          </div>
          <Anchor at={join(at, "questions")} className="ed-subsection" notesFirst>
            <h4>{t("Questions")}</h4>
            <ol className="ed-questions">
              {questions.map((q, i) => (
                <QuestionEditor key={i} question={q} at={join(at, "questions", i)} index={i} count={questions.length}
                                taken={allNames.filter((n) => n !== q.name)}
                                onChange={(next) => setQuestions(questions.map((x, j) => (j === i ? next : x)))}
                                onRename={(to) => onChange(renameQuestion(doc, id, i, to))}
                                onMove={(d) => setQuestions(move(questions, i, d))}
                                onRemove={() => setQuestions(questions.filter((_, j) => j !== i))} />
              ))}
            </ol>
            <button type="button" className="ed-button" data-testid="add-question" onClick={addQuestion}>+ {t("Add question")}</button>
          </Anchor>
          <div className="ed-subsection">
            <h4>{t("Branches by answer")}</h4>
            <BranchesEditor branches={page.branches ?? []} at={join(at, "branches")} pages={pages}
                            fields={branchFields(doc, ctx.context.fields ?? [])} onChange={(b) => set("branches", b)} />
          </div>
          <div className="ed-grid">
            <Labeled label={t("Otherwise go to")} at={join(at, "next")}>
              {(fid) => <SelectInput id={fid} value={page.next} choices={pages} empty={t("(end the call here)")} testid="page-next"
                                     onChange={(v) => set("next", v)} />}
            </Labeled>
            <Labeled label={t("Ending here records")} at={join(at, "disposition")}>
              {(fid) => <SelectInput id={fid} value={page.disposition} choices={dispositions} empty={t("None")} testid="page-disposition"
                                     onChange={(v) => set("disposition", v)} />}
            </Labeled>
          </div>
        </div>
      ) : null}
    </Anchor>
  );
}
