/**
 * Hearing a prompt's text before publishing: POST /api/prompts/preview answers WAV audio spoken by the
 * deployment's TTS engine (the one publish uses), played here. The API client of the shell reads JSON, so this
 * small fetch reads the audio itself; a refusal's JSON message is returned for the field to show.
 */
import { pageCsrfToken } from "../shell/api";
import { readBoot } from "../shell/boot";

export const MAX_PREVIEW_TEXT = 300;

let playing: HTMLAudioElement | null = null;

/** Plays the text; resolves to null when it plays, else to the server's (or the network's) reason. */
export async function previewText(text: string): Promise<string | null> {
  let boot: { api: string; csrf_token: string };
  try { boot = readBoot(); } catch { boot = { api: "/api", csrf_token: "" }; }
  let response: Response;
  try {
    response = await fetch(`${boot.api}/prompts/preview`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "audio/wav, application/json", "X-CSRFToken": pageCsrfToken(boot.csrf_token) },
      body: JSON.stringify({ text }),
    });
  } catch (exc) {
    return String(exc);
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    return body?.error || `HTTP ${response.status}`;
  }
  const url = URL.createObjectURL(await response.blob());
  playing?.pause();
  playing = new Audio(url);
  playing.dataset.testid = "tts-preview-audio";
  playing.addEventListener("ended", () => URL.revokeObjectURL(url));
  try {
    await playing.play();
  } catch { /* autoplay refused (headless, muted tab): the audio was still fetched and is ready */ }
  return null;
}
