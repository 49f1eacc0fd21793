/** The live preview: the server renders the draft with the agents' own form code (so the preview is the
 * very form an agent gets); asked again a moment after the last edit, stale answers ignored. */
import DOMPurify from "dompurify";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Finding } from "../../shell/types";
import { useEnv } from "../common/env";
import type { FormDoc } from "./model";

const DEBOUNCE_MS = 400;

interface PreviewAnswer { html: string; findings: Finding[] }

export function FormPreview({ draft }: { draft: FormDoc }) {
  const { ctx, t } = useEnv();
  const [html, setHtml] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "error">("loading");
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  // The server escapes the draft's labels and help texts; DOMPurify is the second wall, so no analyst's
  // text in a preview can ever run script in another analyst's browser (issue 10), CSP the third.
  const safe = useMemo(() => DOMPurify.sanitize(html ?? ""), [html]);

  useEffect(() => {
    const ticket = ++asked.current;
    setState("loading");
    const timer = window.setTimeout(() => {
      ctx.api<PreviewAnswer>("POST", `/documents/form/${encodeURIComponent(ctx.name)}/preview`, { draft })
        .then((answer) => {
          if (ticket !== asked.current) return;
          setHtml(answer.html);
          setError(null);
          setState("ready");
        })
        .catch((exc: unknown) => {
          if (ticket !== asked.current) return;
          // Keep the last good preview on screen; say why this one is missing.
          setError(exc instanceof Error ? exc.message : String(exc));
          setState("error");
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [draft, ctx]);

  return (
    <div className="ed-preview-pane">
      <div className="ed-preview-head">
        <h3>{t("What agents see")}</h3>
        <span className="ed-muted" data-testid="form-preview-state" data-state={state}>
          {state === "loading" ? t("updating…") : state === "error" ? t("preview failed") : t("up to date")}
        </span>
      </div>
      {error ? <div className="ed-finding ed-error">{error}</div> : null}
      {/* Agents' forms are not submitted from here: a click on a submit button must not leave the page. */}
      <div className="ed-preview" data-testid="form-preview" onSubmitCapture={(e) => e.preventDefault()}
           dangerouslySetInnerHTML={{ __html: safe }} />
    </div>
  );
}
