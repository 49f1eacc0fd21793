/** Immutable edits of a document: every editor change is a deep copy with one change applied, so the
 * shell always receives a new object (its autosave compares revisions, never mutated drafts). */

export function edit<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

/** Sets obj[key] = value, or deletes the key when value is undefined (the schema has no nulls). */
export function assign<T extends object>(obj: T, key: string, value: unknown): void {
  const target = obj as Record<string, unknown>;
  if (value === undefined) delete target[key];
  else target[key] = value;
}

export function move<T>(list: T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** Renames an object key in place of the old one, keeping the key order (order is what users see). */
export function renameKey<V>(obj: Record<string, V>, from: string, to: string): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v;
  return out;
}

/** The first of base, base_2, base_3… not in taken. */
export function freshName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** common.schema.json#/$defs/name: the machine names documents refer to each other by. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
