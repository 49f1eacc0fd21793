/** JSON Pointers (RFC 6901), the addresses findings use to point into a document. */

export function ptr(...parts: (string | number)[]): string {
  return parts.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function join(base: string, ...parts: (string | number)[]): string {
  return base + ptr(...parts);
}

/** True when `pointer` is `prefix` itself or lies below it. */
export function within(pointer: string | null | undefined, prefix: string): boolean {
  if (pointer == null) return false;
  return pointer === prefix || pointer.startsWith(prefix + "/");
}

/** The unescaped segments of a pointer ("/a/b~1c" → ["a", "b/c"]). */
export function segments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The pointer's parents from itself up to the root "" (used to find the nearest rendered anchor). */
export function ancestors(pointer: string): string[] {
  const out = [pointer];
  let p = pointer;
  while (p) {
    p = p.slice(0, p.lastIndexOf("/"));
    out.push(p);
  }
  return out;
}
