/** The JSON API client the shell and the editors share: sends the CSRF token, turns refusals into ApiError. */
import type { Finding } from "./types";

export class ApiError extends Error {
  /** HTTP status (0 when the network failed) and the server's JSON body (`error`, `findings`, extras). */
  constructor(public status: number, public body: any) {
    super(body?.error || `request failed (${status})`);
  }
  get findings(): Finding[] {
    return Array.isArray(this.body?.findings) ? this.body.findings : [];
  }
}

export type Api = <T>(method: string, path: string, body?: unknown) => Promise<T>;

// Requests in flight. Every response re-sends the session cookie as it was when its request started, so a
// change to the session (the language) is sent only when nothing older can overwrite it.
let inflight = 0;
let waiters: (() => void)[] = [];

/** Resolves when no API request is in flight. */
export function idle(): Promise<void> {
  return inflight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
}

function settled(): void {
  inflight -= 1;
  if (inflight === 0) { const ready = waiters; waiters = []; ready.forEach((resolve) => resolve()); }
}

/** An API function bound to the base URL and the CSRF token (taken from the boot data or the meta tag). */
export function makeApi(base: string, csrfToken: () => string): Api {
  return async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    if (method.toUpperCase() !== "GET") headers["X-CSRFToken"] = csrfToken();
    let response: Response;
    let text: string;
    inflight += 1;
    try {
      response = await fetch(base + path, { method, headers, body: payload, credentials: "same-origin" });
      text = await response.text();
    } catch (exc) {
      throw new ApiError(0, { error: String(exc) });
    } finally {
      settled();
    }
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { error: text.slice(0, 200) };
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data as T;
  };
}

/** The token of the page (the meta tag from base.html wins over the boot copy: both come from one session). */
export function pageCsrfToken(fallback: string): string {
  const meta = document.querySelector('meta[name="csrf-token"]') as HTMLMetaElement | null;
  return meta?.content || fallback;
}

/** Puts a fresh token where pageCsrfToken reads it (after the session's token changed). */
export function refreshCsrf(token: string): void {
  const meta = document.querySelector('meta[name="csrf-token"]') as HTMLMetaElement | null;
  if (meta) meta.content = token;
}
