/**
 * A browser recording made into what the prompt upload accepts. Chromium's MediaRecorder writes WebM/Opus,
 * which the server refuses (it takes WAV, MP3 and Ogg, checked by content, and the switch plays WAV best),
 * so the recording is decoded by the browser, mixed to mono, resampled to 16 kHz and written as 16-bit PCM
 * WAV: 32 KB a second, so the longest recording (MAX_RECORD_SECONDS) stays far below the 5 MB upload limit.
 */

/** The longest recording the designer makes; recording stops by itself there. A prompt is seconds of speech. */
export const MAX_RECORD_SECONDS = 60;
/** The upload's own limit (hotline/designer/api/prompts.py MAX_AUDIO_BYTES). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const WAV_RATE = 16000;

/** 16-bit PCM mono WAV bytes of samples in [-1, 1]. */
export function encodeWav(samples: Float32Array, rate: number = WAV_RATE): Blob {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (offset: number, value: string) => { for (let i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i)); };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buffer], { type: "audio/wav" });
}

/** Decodes what MediaRecorder made and returns it as a mono 16 kHz WAV (at most MAX_RECORD_SECONDS long). */
export async function recordingToWav(recorded: Blob): Promise<{ wav: Blob; seconds: number }> {
  const context = new AudioContext();
  let decoded: AudioBuffer;
  try {
    decoded = await context.decodeAudioData(await recorded.arrayBuffer());
  } finally {
    void context.close();
  }
  const seconds = Math.min(decoded.duration, MAX_RECORD_SECONDS);
  const length = Math.max(1, Math.round(seconds * WAV_RATE));
  const offline = new OfflineAudioContext(1, length, WAV_RATE);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination); // the mono destination mixes the channels down
  source.start();
  const rendered = await offline.startRendering();
  return { wav: encodeWav(rendered.getChannelData(0), WAV_RATE), seconds };
}
