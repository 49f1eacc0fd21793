/** The fallback editor for a kind without its own: an rjsf form of the whole document, from the kind's schema. */
import { useEffect, useMemo } from "react";
import Form from "@rjsf/core";
import type { EditorProps } from "./types";
import { pointerParts } from "./schema";
import { validator } from "./validator";
import { errorSchema, flash, rjsfId } from "./errors";

export function GenericEditor({ draft, onChange, findings, focusPointer, ctx }: EditorProps) {
  const extraErrors = useMemo(() => errorSchema(findings), [findings]);
  useEffect(() => {
    if (focusPointer !== null) flash(rjsfId(pointerParts(focusPointer)));
  }, [focusPointer]);
  return (
    <div className="generic-editor" data-testid="generic-editor">
      <Form schema={ctx.schema} formData={draft} validator={validator} extraErrors={extraErrors}
        disabled={!ctx.canWrite} showErrorList={false} noHtml5Validate
        uiSchema={{ "ui:submitButtonOptions": { norender: true } }}
        onChange={(event) => onChange(event.formData)} />
    </div>
  );
}
