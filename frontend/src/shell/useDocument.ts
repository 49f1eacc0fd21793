/**
 * The document being edited: loading, debounced autosave with the revision it was based on, conflicts and the
 * localStorage rescue copy.
 *
 * Invariants: the user's latest edit is always either on the server (state "saved") or in localStorage, so an
 * expired session (401) or a stale save (409) never loses it; a save only ever sends the revision the local
 * draft was based on, so the server can refuse it instead of overwriting someone else's work.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, refreshCsrf, type Api } from "./api";
import type { Finding } from "./types";

export interface DocumentDetail {
  kind: string; name: string; title: string; draft_revision: number; published_version: number | null;
  draft_updated_at: string | null; draft_updated_by: string | null; template_ref: string | null; draft: any;
}

export type SaveState = "loading" | "saved" | "dirty" | "saving" | "conflict" | "signed-out" | "error";

export interface Conflict { theirs: any; revision: number }
export interface Rescue { draft: any; base_revision: number; at: string }

const AUTOSAVE_MS = 700;
/** The pause after an edit before the body on screen is validated (findings follow the screen). */
const VALIDATE_MS = 300;

export function useDocument(api: Api, storageKey: string, kind: string, name: string) {
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  const [draft, setDraft] = useState<any>(null);
  const [state, setState] = useState<SaveState>("loading");
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [rescue, setRescue] = useState<Rescue | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  // Refs hold what the async save loop needs without re-rendering: the latest draft, its base revision.
  const latest = useRef<any>(null);
  const revision = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const inflight = useRef<Promise<void> | null>(null);
  const blocked = useRef(false); // a conflict or sign-out stops autosave until the user decides
  const savedBody = useRef<any>(null); // the body the server holds (same object identity as sent)

  const path = `/documents/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`;

  const keep = useCallback((body: any) => {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ draft: body, base_revision: revision.current,
        at: new Date().toISOString() }));
    } catch { /* storage full or disabled: the server copy is all we have */ }
  }, [storageKey]);

  const forget = useCallback(() => { try { localStorage.removeItem(storageKey); } catch { /* ignore */ } }, [storageKey]);

  // Validations overlap (after each save, after a finding's fix): only the newest request's answer is shown, so an
  // older body's findings arriving late never replace the current ones (a fixed finding came back for a moment).
  const validations = useRef(0);
  const checked = useRef<any>(null); // the last edited body sent to be validated
  const validate = useCallback(async (body?: any): Promise<Finding[]> => {
    const asked = ++validations.current;
    const result = await api<{ findings: Finding[] }>("POST", `${path}/validate`, body === undefined ? {} : { body });
    if (asked === validations.current) setFindings(result.findings);
    return result.findings;
  }, [api, path]);

  const load = useCallback(async () => {
    const fresh = await api<DocumentDetail>("GET", path);
    setDoc(fresh);
    revision.current = fresh.draft_revision;
    latest.current = fresh.draft;
    savedBody.current = fresh.draft;
    setDraft(fresh.draft);
    setState("saved");
    let stored: Rescue | null = null;
    try { stored = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch { stored = null; }
    if (stored && JSON.stringify(stored.draft) !== JSON.stringify(fresh.draft)) setRescue(stored);
    else if (stored) forget();
    validate().catch(() => undefined);
    return fresh;
  }, [api, path, storageKey, forget, validate]);

  /** One PUT of the latest draft; saves are serialised, and a save asked for meanwhile runs right after. */
  const saveOnce: () => Promise<void> = useCallback(async (): Promise<void> => {
    const body = latest.current;
    setState("saving");
    try {
      const saved = await api<DocumentDetail>("PUT", `${path}/draft`, { body, base_revision: revision.current });
      revision.current = saved.draft_revision;
      savedBody.current = body;
      setDoc(saved);
      if (latest.current === body) { setState("saved"); forget(); } else { keep(latest.current); setState("dirty"); }
      setError(null);
      // Only when the saved body is still what is on screen: else the edit's own validation (below) is newer, and
      // this one, asked later, would win with the findings of a body no longer shown.
      // Nor when that body was validated already (each check counts against the tenant's document quota).
      if (latest.current === body && checked.current !== body) validate().catch(() => undefined);
    } catch (exc) {
      if (!(exc instanceof ApiError)) throw exc;
      keep(latest.current);
      if (exc.status === 409 && exc.body?.draft !== undefined) {
        blocked.current = true;
        setConflict({ theirs: exc.body.draft, revision: exc.body.current_revision });
        setState("conflict");
      } else if (exc.status === 401 || (exc.status === 400 && /CSRF/i.test(exc.message))) {
        // An expired session shows as 401, or as a refused CSRF token when the session cookie is gone.
        const session = await api<{ authenticated: boolean; csrf_token: string }>("GET", "/session").catch(() => null);
        if (session?.authenticated && exc.status === 400) {
          refreshCsrf(session.csrf_token);
          return saveOnce();
        }
        blocked.current = true;
        setState("signed-out");
      } else {
        setError(exc.message);
        setState("error");
      }
    }
  }, [api, path, keep, forget, validate]);

  const save = useCallback((): Promise<void> => {
    if (blocked.current) return Promise.resolve();
    const previous = inflight.current ?? Promise.resolve();
    const run = previous.then(() => {
      if (blocked.current) return undefined;
      // Back to what the server holds (an undo, say): nothing to send.
      if (latest.current === savedBody.current) { setState("saved"); forget(); return undefined; }
      return saveOnce();
    });
    inflight.current = run;
    run.finally(() => { if (inflight.current === run) inflight.current = null; });
    return run;
  }, [saveOnce, forget]);

  /** Every edit: kept locally at once, saved after a short pause. */
  const checking = useRef<number | undefined>(undefined);
  const change = useCallback((next: any) => {
    latest.current = next;
    setDraft(next);
    keep(next);
    // Findings follow every edit, not only the autosave (QA: an SMS action's "missing template" stayed after the
    // action became "assign to queue"): the body on screen is validated after a short pause, saved or not.
    window.clearTimeout(checking.current);
    checking.current = window.setTimeout(() => {
      if (latest.current !== next) return;
      checked.current = next;
      validate(next).catch(() => undefined);
    }, VALIDATE_MS);
    if (blocked.current) return;
    setState("dirty");
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => { save().catch(() => undefined); }, AUTOSAVE_MS);
  }, [keep, save]);

  /** Saves now (before publish, on leaving): resolves when the server has the latest draft. */
  const flush = useCallback(async () => {
    window.clearTimeout(timer.current);
    // Leaving (a language switch reloads the page) or publishing: the pending check of an edit is not needed, and
    // one sent while the page goes away fails in the browser's console.
    window.clearTimeout(checking.current);
    await save();
  }, [save]);

  const keepMine = useCallback(async () => {
    if (!conflict) return;
    revision.current = conflict.revision;
    blocked.current = false;
    setConflict(null);
    await save();
  }, [conflict, save]);

  const takeTheirs = useCallback(() => {
    if (!conflict) return;
    revision.current = conflict.revision;
    blocked.current = false;
    latest.current = conflict.theirs;
    savedBody.current = conflict.theirs;
    setDraft(conflict.theirs);
    setDoc((d) => (d ? { ...d, draft: conflict.theirs, draft_revision: conflict.revision } : d));
    setConflict(null);
    forget();
    setState("saved");
    validate().catch(() => undefined);
  }, [conflict, forget, validate]);

  const restore = useCallback(() => {
    if (!rescue) return;
    setRescue(null);
    // Saved on the revision it was based on: if someone saved since, the user gets the conflict banner.
    revision.current = rescue.base_revision;
    change(rescue.draft);
  }, [rescue, change]);

  const discard = useCallback(() => { setRescue(null); forget(); }, [forget]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (latest.current !== savedBody.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  return { doc, draft, state, error, conflict, rescue, findings, setFindings, revision, load, change, save, flush,
    validate, keepMine, takeTheirs, restore, discard, path };
}
