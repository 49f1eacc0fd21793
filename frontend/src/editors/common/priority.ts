/** A priority level (0-9, 9 most urgent, 5 a new ticket's) in words, as the server words it
 * (hotline/platform/words.py priority_label): 紧急（9）/ Urgent (9). The editors offer levels by these labels
 * instead of a bare number (QA of dev-conditions, item 4). */
import type { Choice } from "./inputs";

/** Bands, highest first: lowest level of the band and its English word (translated by strings.ts). */
const BANDS: [number, string][] = [[8, "Urgent"], [6, "High"], [4, "Normal"], [0, "Low"]];

export const PRIORITY_LEVELS = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/** The band's word of a level, in the reader's language. */
export function priorityWord(level: number, t: (s: string) => string): string {
  return t((BANDS.find(([lowest]) => level >= lowest) ?? BANDS[BANDS.length - 1])[1]);
}

/** 紧急（9） in Chinese, Urgent (9) in English. */
export function priorityLabel(level: number, t: (s: string) => string, locale: string): string {
  const word = priorityWord(level, t);
  return locale === "en" ? `${word} (${level})` : `${word}（${level}）`;
}

/** The ten levels as select choices (values are the levels as text). */
export function priorityChoices(t: (s: string) => string, locale: string): Choice[] {
  return PRIORITY_LEVELS.map((n) => ({ value: String(n), label: priorityLabel(n, t, locale) }));
}
