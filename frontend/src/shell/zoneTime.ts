/**
 * Times the designer prints (version published, autosave) are shown in the tenant's one time zone, with the zone
 * named, as the header names it: the API sends UTC instants, the analyst reads "2026-12-07 21:27 Asia/Shanghai".
 */

/** "2026-12-07 21:27" of the instant `iso` in `zone`; the text as sent (trimmed to minutes) when it cannot be read. */
export function wallClock(iso: string, zone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso.replace("T", " ").slice(0, 16);
  try {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: zone || "UTC", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  } catch { return iso.replace("T", " ").slice(0, 16); }
}

/** The wall clock followed by the zone's name: "2026-12-07 21:27 Asia/Shanghai" (UTC when the tenant has none). */
export function inZone(iso: string, zone: string | null | undefined): string {
  const name = zone || "UTC";
  return `${wallClock(iso, name)} ${name}`;
}
