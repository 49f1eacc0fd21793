/**
 * What the caller hears, without JSON: pick one of the tenant's recorded prompts, type text read aloud, or
 * upload a recording (POST /api/prompts) which then becomes the prompt. The value is the schema's
 * {text?, audio?} object.
 */
import { useState } from "react";
import { Button, Input, Upload } from "antd";
import type { FieldProps } from "@rjsf/utils";
import { ApiError } from "../shell/api";
import type { EditorContext } from "../shell/types";
import { MAX_PREVIEW_TEXT, previewText } from "./ttsPreview";
import { ivrT } from "./strings";
import { PromptRecorder, canRecord } from "./PromptRecorder";

/** A prompt name the server takes (a letter or '_' first; letters, digits, '_' and '-'; at most 64). */
export function promptName(typed: string, fallback: string): string {
  return (typed || fallback).replace(/[^A-Za-z0-9_-]/g, "_").replace(/^([^A-Za-z_])/, "_$1").slice(0, 64);
}

export function PromptField(props: FieldProps) {
  const { formData, onChange, fieldPathId, name, disabled, readonly, rawErrors, errorSchema, registry } = props;
  const ctx = registry.formContext as { ctx: EditorContext; onPromptAdded: () => void };
  const t = ivrT(ctx.ctx);
  const value: { text?: string; audio?: string } = formData || {};
  const [uploading, setUploading] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [newName, setNewName] = useState("");
  const id = fieldPathId.$id;
  const set = (next: { text?: string; audio?: string }) => {
    const clean: any = {};
    if (next.text) clean.text = next.text;
    if (next.audio) clean.audio = next.audio;
    onChange(Object.keys(clean).length ? clean : undefined, fieldPathId.path);
  };
  // rjsf lists the messages under the field; here they only colour it.
  const errors = [...(rawErrors || []), ...((errorSchema as any)?.__errors || []),
    ...Object.values<any>(errorSchema || {}).flatMap((e: any) => e?.__errors || [])];
  /** Uploads a chosen file or a recording (named rec_<time> unless a name was typed); true when stored. */
  const upload = async (file: File | undefined, recorded = false): Promise<boolean> => {
    if (!file) return false;
    const fallback = recorded ? `rec_${Date.now().toString(36)}` : file.name.replace(/\.[^.]*$/, "");
    const body = new FormData();
    body.append("name", promptName(newName, fallback));
    body.append("text", value.text || "");
    body.append("audio", file);
    setUploading(true);
    try {
      const prompt = await ctx.ctx.api<{ name: string; text: string }>("POST", "/prompts", body);
      set({ ...value, audio: prompt.name, text: value.text || prompt.text });
      setMessage(`${t("Uploaded")}: ${prompt.name}`);
      ctx.onPromptAdded();
      return true;
    } catch (exc) {
      setMessage(`${t("Upload failed")}: ${exc instanceof ApiError ? exc.message : String(exc)}`);
      return false;
    } finally {
      setUploading(false);
    }
  };
  const [previewing, setPreviewing] = useState(false);
  const preview = async () => {
    setPreviewing(true);
    const problem = await previewText(value.text || "");
    setPreviewing(false);
    setMessage(problem ? `${t("Preview failed")}: ${problem}` : t("Playing the text as callers will hear it"));
  };
  const prompts = ctx.ctx.context.prompts || [];
  const chosen = prompts.find((p) => p.name === value.audio);
  return (
    <fieldset className={`prompt-field ${errors.length ? "has-error" : ""}`} id={id}>
      <legend>{props.uiSchema?.["ui:title"] || props.schema.title || t(name)}</legend>
      <label>{t("Existing prompt")}
        <select id={`${id}_audio`} data-testid={`prompt-audio-${name}`} value={value.audio || ""} disabled={disabled || readonly}
          onChange={(e) => {
            const picked = prompts.find((p) => p.name === e.target.value);
            set({ audio: e.target.value, text: value.text || picked?.text });
          }}>
          <option value="">{t("none (text read aloud)")}</option>
          {value.audio && !chosen ? <option value={value.audio}>{value.audio}</option> : null}
          {prompts.map((p) => <option key={p.name} value={p.name}>{p.name}{p.text ? ` — ${p.text.slice(0, 30)}` : ""}</option>)}
        </select>
      </label>
      {chosen?.audio_url ? <audio controls src={chosen.audio_url} preload="none" /> : null}
      <label>{t("Text read to the caller")}
        <Input.TextArea id={`${id}_text`} data-testid={`prompt-text-${name}`} rows={2} value={value.text || ""} disabled={disabled || readonly}
          onChange={(e) => set({ ...value, text: e.target.value })} />
      </label>
      <Button size="small" data-testid={`prompt-preview-${name}`}
        disabled={previewing || !(value.text || "").trim() || (value.text || "").length > MAX_PREVIEW_TEXT}
        title={t("Hear the text spoken by the TTS voice")} onClick={preview}>▶ {t("Preview")}</Button>
      {!(disabled || readonly) && (
        <div className="upload">
          <Input placeholder={t("Prompt name")} value={newName} onChange={(e) => setNewName(e.target.value)}
            data-testid={`prompt-name-${name}`} style={{ width: "12em" }} size="small" />{" "}
          <span data-testid={`prompt-upload-${name}`}>
            <Upload accept="audio/wav,audio/x-wav,audio/mpeg,audio/ogg,.wav,.mp3,.ogg" showUploadList={false}
              disabled={uploading} beforeUpload={(file) => { void upload(file); return false; }}>
              <Button size="small" loading={uploading}>{t("Upload audio")}</Button>
            </Upload>
          </span>{" "}
          {canRecord() ? (
            <PromptRecorder name={name} t={t} disabled={uploading} uploading={uploading}
              onUpload={(file) => upload(file, true)} onMessage={setMessage} />
          ) : null}
        </div>
      )}
      {message && <div className="muted">{message}</div>}
    </fieldset>
  );
}
