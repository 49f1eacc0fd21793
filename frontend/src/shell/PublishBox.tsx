/** Publish with a note; a refusal lists every finding, each a link to where it is. */
import { useState } from "react";
import { ApiError } from "./api";
import type { Finding } from "./types";
import { findingPlace } from "./readable";

/** Characters of a publish or rollback note; the server refuses a longer one (services/documents.py NOTE_MAX). */
export const NOTE_MAX = 500;

export interface PublishOutcome { published?: number; refused?: Finding[]; error?: string }

export function PublishBox({ onPublish, onFocus, canWrite, t, body }: {
  onPublish: (note: string) => Promise<PublishOutcome>; onFocus: (pointer: string) => void; canWrite: boolean;
  t: (s: string, p?: Record<string, string | number>) => string; body: any;
}) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  /** Characters cut from the last paste or typing past NOTE_MAX (the textarea's maxLength cut it silently). */
  const [cutBy, setCutBy] = useState(0);
  const typed = (text: string) => {
    const chars = Array.from(text);
    setCutBy(Math.max(0, chars.length - NOTE_MAX));
    setNote(chars.length > NOTE_MAX ? chars.slice(0, NOTE_MAX).join("") : text);
  };

  const confirm = async () => {
    setBusy(true);
    try {
      const result = await onPublish(note);
      setOutcome(result);
      setOpen(false);
      if (result.published) { setNote(""); setCutBy(0); }
    } catch (exc) {
      setOutcome({ error: exc instanceof ApiError ? exc.message : String(exc) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="publish">
      <button className="primary" data-testid="publish" disabled={!canWrite} onClick={() => { setOpen(!open); setOutcome(null); }}>
        {t("Publish")}
      </button>
      {open && (
        <div className="popover publish-box">
          <label>{t("Publish note")}
            <textarea data-testid="publish-note" value={note} placeholder={t("What changed and why")}
              onChange={(e) => typed(e.target.value)} rows={3} />
          </label>
          <div className="muted note-count" data-testid="publish-note-count">{Array.from(note).length} / {NOTE_MAX}</div>
          {cutBy ? <div className="error" role="alert" data-testid="publish-note-cut">
            {t("A note holds at most {max} characters: the last {n} were cut", { max: NOTE_MAX, n: cutBy })}</div> : null}
          <button className="primary" data-testid="publish-confirm" disabled={busy} onClick={confirm}>{t("Publish now")}</button>{" "}
          <button onClick={() => setOpen(false)}>{t("Cancel")}</button>
        </div>
      )}
      {outcome && (
        <div className={`popover publish-result ${outcome.published ? "ok" : "refused"}`} data-testid="publish-result">
          {outcome.published ? <span>{t("Published version {n}", { n: outcome.published })}</span> : null}
          {outcome.error ? <span className="error">{outcome.error}</span> : null}
          {outcome.refused ? (
            <>
              <strong>{t("Publishing was refused: fix these problems first")}</strong>
              <ul>
                {outcome.refused.map((finding, i) => (
                  <li key={i} className={finding.severity}>
                    <a href={`#${finding.pointer}`} onClick={(e) => { e.preventDefault(); onFocus(finding.pointer); }}>
                      {findingPlace(finding, body, t)}
                    </a>: {finding.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <button className="link" onClick={() => setOutcome(null)}>{outcome.published ? "×" : t("Close")}</button>
        </div>
      )}
    </span>
  );
}
