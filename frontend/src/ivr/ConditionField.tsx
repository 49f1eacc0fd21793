/**
 * A condition node's "when", edited with the dispatch editor's condition builder (field, operator, value in
 * all/any groups) instead of rjsf's generated oneOf form; the fields offered are what an IVR can read:
 * its variables, the call and the caller's customer record, each by its label (conditionFields.ts).
 */
import { useMemo } from "react";
import type { FieldProps } from "@rjsf/utils";
import { ConditionEditor } from "../editors/common/condition/ConditionEditor";
import type { Condition } from "../editors/common/condition/model";
import { EnvContext, makeT } from "../editors/common/env";
import "../editors/editors.css";
import type { EditorContext } from "../shell/types";
import { labelledFields } from "./conditionFields";

const IVR_SOURCES = /^(var|call|customer)\./;

export function ConditionField(props: FieldProps) {
  const { formData, onChange, fieldPathId, registry } = props;
  const { ctx, nodes } = registry.formContext as { ctx: EditorContext; nodes?: Record<string, any> };
  const env = useMemo(() => ({ ctx, t: makeT(ctx) }), [ctx]);
  const fields = useMemo(() => labelledFields((ctx.context.fields || []).filter((f) => IVR_SOURCES.test(f.path)), nodes || {}, ctx.locale),
    [ctx, nodes]);
  return (
    <EnvContext.Provider value={env}>
      <div className="ivr-condition" id={fieldPathId.$id} data-testid="condition-builder">
        {/* A branch without a condition is refused at publish (the schema requires one; the runtime evaluates
            every branch's condition), so the empty builder says so instead of the dispatch rules' "always". */}
        <ConditionEditor value={formData as Condition | undefined} at={fieldPathId.$id} fields={fields}
          emptyText={env.t("No condition yet: a branch needs one")}
          onChange={(next) => onChange(next as any, fieldPathId.path)} />
      </div>
    </EnvContext.Provider>
  );
}
