/** A stale save: theirs next to yours, and the user decides; their own work is kept until they do. */
import { ChangeTable, type Change } from "./readable";

/** Top-level changes between two bodies, enough to see what differs without reading JSON. */
function shallowChanges(theirs: any, yours: any, prefix = ""): Change[] {
  const out: Change[] = [];
  const keys = new Set([...Object.keys(theirs || {}), ...Object.keys(yours || {})]);
  for (const key of keys) {
    const a = theirs?.[key], b = yours?.[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && prefix === "") {
      out.push(...shallowChanges(a, b, `/${key}`).map((c) => ({ ...c, pointer: `/${key}${c.pointer}` })));
    } else out.push({ op: a === undefined ? "added" : b === undefined ? "removed" : "changed", pointer: `/${key}`, old: a, new: b });
  }
  return out;
}

export function ConflictBanner({ theirs, yours, onKeepMine, onTakeTheirs, t }: {
  theirs: any; yours: any; onKeepMine: () => void; onTakeTheirs: () => void; t: (s: string) => string;
}) {
  return (
    <div className="banner conflict" data-testid="conflict" role="alert">
      <strong>{t("Conflict")}:</strong> {t("Someone else saved this document meanwhile.")}
      <div className="conflict-columns">
        <ChangeTable changes={shallowChanges(theirs, yours)} t={(s) => (s === "Before" ? t("Theirs") : s === "After" ? t("Yours") : t(s))} body={yours} />
      </div>
      <button data-testid="keep-mine" onClick={onKeepMine}>{t("Keep mine")}</button>{" "}
      <button data-testid="take-theirs" onClick={onTakeTheirs}>{t("Take theirs")}</button>
    </div>
  );
}
