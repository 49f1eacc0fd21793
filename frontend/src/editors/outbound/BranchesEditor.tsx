/** Where the call goes after a page, by the answers given: "if <condition> go to <page>", in order. */
import type { FieldRef } from "../../shell/types";
import { ConditionEditor } from "../common/condition/ConditionEditor";
import { newComparison } from "../common/condition/model";
import { useT } from "../common/env";
import { Anchor } from "../common/findings";
import type { Choice } from "../common/inputs";
import { Labeled, ListButtons, SelectInput } from "../common/inputs";
import { join } from "../common/pointer";
import { move } from "../common/update";
import type { Branch } from "./model";

interface Props {
  branches: Branch[];
  at: string;
  fields: FieldRef[];
  pages: Choice[];
  onChange: (branches: Branch[] | undefined) => void;
}

export function BranchesEditor({ branches, at, fields, pages, onChange }: Props) {
  const t = useT();
  const set = (list: Branch[]) => onChange(list.length ? list : undefined);
  // A new branch reads no answer until one is chosen (the builder says so), never the first one silently.
  const add = () => set([...branches, { when: newComparison(fields), next: pages[0]?.value ?? "" }]);
  return (
    <Anchor at={at} className="ed-branches" notesFirst>
      <ol>
        {branches.map((b, i) => (
          <Anchor key={i} at={join(at, i)} as="li" className="ed-branch" testid={`branch-${i}`} notesFirst>
            <div className="ed-row">
              <strong>{t("If")}</strong>
              <span className="ed-grow" />
              <ListButtons index={i} count={branches.length} onMove={(d) => set(move(branches, i, d))}
                           onRemove={() => set(branches.filter((_, j) => j !== i))} />
            </div>
            <ConditionEditor value={b.when} at={join(at, i, "when")} fields={fields}
                             onChange={(when) => set(branches.map((x, j) => (j === i ? { ...x, when: when ?? newComparison(fields) } : x)))} />
            <Labeled label={t("go to page")} at={join(at, i, "next")}>
              {(id) => <SelectInput id={id} value={b.next} choices={pages} testid="branch-next"
                                    onChange={(v) => set(branches.map((x, j) => (j === i ? { ...x, next: v ?? "" } : x)))} />}
            </Labeled>
          </Anchor>
        ))}
      </ol>
      <button type="button" className="ed-button" data-testid="add-branch" onClick={add}>+ {t("Add branch")}</button>
    </Anchor>
  );
}
