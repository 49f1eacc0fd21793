/**
 * "录音": records a prompt with the browser's microphone (MediaRecorder), plays it back, and hands it as a WAV
 * file to the prompt field's upload, the same POST /api/prompts path as a chosen file (the server checks it
 * as it checks any upload). Recording stops by itself after MAX_RECORD_SECONDS, so nothing unbounded is kept.
 */
import { useEffect, useRef, useState } from "react";
import { Button, Space } from "antd";
import { MAX_RECORD_SECONDS, MAX_UPLOAD_BYTES, recordingToWav } from "./wav";
import { fill, type T } from "./strings";

type State =
  | { step: "idle" }
  | { step: "starting" }
  | { step: "recording"; started: number; elapsed: number }
  | { step: "converting" }
  | { step: "recorded"; wav: Blob; url: string; seconds: number };

/** Whether this browser can record at all (an old or locked-down browser shows no record button). */
export function canRecord(): boolean {
  return typeof window !== "undefined" && typeof (window as any).MediaRecorder === "function"
    && !!navigator.mediaDevices?.getUserMedia;
}

export function PromptRecorder({ name, t, disabled, uploading, onUpload, onMessage }: {
  name: string; t: T; disabled: boolean; uploading: boolean;
  onUpload: (file: File) => Promise<boolean>; onMessage: (message: string | null) => void;
}) {
  const [state, setState] = useState<State>({ step: "idle" });
  const recorder = useRef<MediaRecorder | null>(null);
  const timer = useRef<number | null>(null);
  const stream = useRef<MediaStream | null>(null);

  const release = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  };
  // Leaving the panel mid-recording frees the microphone; a kept recording's object URL is let go.
  useEffect(() => () => { release(); recorder.current?.state === "recording" && recorder.current.stop(); }, []);
  useEffect(() => () => { if (state.step === "recorded") URL.revokeObjectURL(state.url); }, [state]);

  const stop = () => { if (recorder.current?.state === "recording") recorder.current.stop(); };

  const start = async () => {
    onMessage(null);
    setState({ step: "starting" }); // asking for the microphone can take a moment: no second click meanwhile
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (exc) {
      setState({ step: "idle" });
      onMessage(`${t("The microphone cannot be used")}: ${exc instanceof Error ? exc.message : String(exc)}`);
      return;
    }
    stream.current = media;
    const chunks: Blob[] = [];
    const made = new MediaRecorder(media);
    recorder.current = made;
    made.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
    made.onstop = async () => {
      release();
      setState({ step: "converting" });
      try {
        const { wav, seconds } = await recordingToWav(new Blob(chunks, { type: made.mimeType }));
        if (wav.size > MAX_UPLOAD_BYTES) throw new Error(t("The recording is too large"));
        setState({ step: "recorded", wav, url: URL.createObjectURL(wav), seconds });
      } catch (exc) {
        setState({ step: "idle" });
        onMessage(`${t("The recording could not be read")}: ${exc instanceof Error ? exc.message : String(exc)}`);
      }
    };
    const started = Date.now();
    made.start(250);
    setState({ step: "recording", started, elapsed: 0 });
    timer.current = window.setInterval(() => {
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed >= MAX_RECORD_SECONDS) stop();
      else setState((s) => (s.step === "recording" ? { ...s, elapsed } : s));
    }, 250);
  };

  const upload = async () => {
    if (state.step !== "recorded") return;
    const ok = await onUpload(new File([state.wav], "recording.wav", { type: "audio/wav" }));
    if (ok) setState({ step: "idle" });
  };

  if (state.step === "recording") {
    return (
      <Space className="prompt-recorder" wrap>
        <Button danger size="small" data-testid={`prompt-record-stop-${name}`} onClick={stop}>
          ■ {t("Stop")} {fill(t("{s} s of {max} s"), { s: Math.floor(state.elapsed), max: MAX_RECORD_SECONDS })}
        </Button>
      </Space>
    );
  }
  return (
    <Space className="prompt-recorder" wrap>
      <Button size="small" data-testid={`prompt-record-${name}`} disabled={disabled || state.step === "converting"}
        loading={state.step === "starting"}
        title={fill(t("Record with the microphone (at most {max} s)"), { max: MAX_RECORD_SECONDS })} onClick={start}>
        ● {state.step === "recorded" ? t("Record again") : t("Record")}
      </Button>
      {state.step === "recorded" ? (
        <>
          <audio controls src={state.url} data-testid={`prompt-recording-${name}`} style={{ width: 220 }} />
          <span className="muted">{fill(t("{s} s"), { s: state.seconds.toFixed(1) })}</span>
          <Button size="small" type="primary" loading={uploading} data-testid={`prompt-record-upload-${name}`}
            onClick={upload}>{t("Upload the recording")}</Button>
          <Button size="small" autoInsertSpace={false} data-testid={`prompt-record-discard-${name}`} onClick={() => setState({ step: "idle" })}>
            {t("Discard")}
          </Button>
        </>
      ) : null}
    </Space>
  );
}
