/**
 * JSON Schema helpers for the designer: bundling a kind's schema into one self-contained document (the
 * kinds refer to shared definitions in common.schema.json, and rjsf resolves only local "#/" references).
 * The rjsf validator is in `validator.ts`: Ajv is needed only by the forms, not by the page's first paint.
 */
import type { Api } from "./api";

const EXTERNAL = /^([^#]+)#(.*)$/;

function prefixOf(file: string): string {
  return file.replace(/\.schema\.json$|\.json$/, "").replace(/[^A-Za-z0-9_]/g, "_") + "__";
}

/** Files named by "$ref": "<file>#/..." anywhere in `schema`. */
export function externalFiles(schema: any, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => externalFiles(item, found));
  else if (schema && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string") {
        const match = EXTERNAL.exec(value);
        if (match) found.add(match[1]);
      } else externalFiles(value, found);
    }
  }
  return found;
}

/** Rewrites refs: "<file>#/$defs/X" → "#/$defs/<file>__X"; a local "#/$defs/X" inside `file` gets the prefix too. */
function rewrite(node: any, localPrefix: string): any {
  if (Array.isArray(node)) return node.map((item) => rewrite(item, localPrefix));
  if (!node || typeof node !== "object") return node;
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const match = EXTERNAL.exec(value);
      if (match) out[key] = "#/$defs/" + prefixOf(match[1]) + match[2].replace(/^\/\$defs\//, "");
      else if (localPrefix && value.startsWith("#/$defs/")) out[key] = "#/$defs/" + localPrefix + value.slice(8);
      else out[key] = value;
    } else if (key === "$id" || key === "$schema") {
      continue; // one bundled document; ids would make Ajv refuse a second compile
    } else out[key] = rewrite(value, localPrefix);
  }
  return out;
}

/** One self-contained schema: the kind's own definitions plus those of every file it refers to. */
export function bundle(schema: any, files: Record<string, any>): any {
  const root = rewrite(schema, "");
  root.$defs = { ...(root.$defs || {}) };
  for (const [file, other] of Object.entries(files)) {
    const prefix = prefixOf(file);
    for (const [name, def] of Object.entries(other.$defs || {})) root.$defs[prefix + name] = rewrite(def, prefix);
  }
  return root;
}

/** The kind's schema from the API, bundled (shared files fetched from the studio's schema route when needed). */
export async function loadKindSchema(api: Api, kind: string): Promise<any> {
  let schema: any;
  try {
    schema = await api<any>("GET", `/kinds/${encodeURIComponent(kind)}/schema`);
  } catch (exc: any) {
    if (exc?.status !== 404) throw exc;
    schema = await fetchJson(`/studio/schemas/${encodeURIComponent(kind)}.schema.json`);
  }
  const files: Record<string, any> = {};
  for (const file of externalFiles(schema)) files[file] = await fetchJson(`/studio/schemas/${file}`);
  return bundle(schema, files);
}

async function fetchJson(url: string): Promise<any> {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** Follows a local "#/$defs/..." reference chain to the schema it names. */
export function deref(root: any, schema: any, depth = 0): any {
  if (!schema || typeof schema !== "object" || typeof schema.$ref !== "string" || depth > 20) return schema;
  const path = schema.$ref.replace(/^#\//, "").split("/");
  let target = root;
  for (const part of path) target = target?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  if (!target) return schema;
  const { $ref: _ref, ...rest } = schema;
  return { ...deref(root, target, depth + 1), ...rest };
}

/**
 * The shared definition a "$ref" names, without the bundling prefix: "#/$defs/common_next" (bundled by the
 * API) and "#/$defs/common__next" (bundled here) both → "next"; a kind's own "#/$defs/menu" → "menu".
 */
export function refName(schema: any): string | null {
  if (!schema || typeof schema.$ref !== "string") return null;
  const last = schema.$ref.split("/").pop() as string;
  if (last.includes("__")) return last.split("__").pop()!;
  return last.startsWith("common_") ? last.slice("common_".length) : last;
}

/** Splits a JSON Pointer into unescaped segments. */
export function pointerParts(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.replace(/^\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function toPointer(parts: (string | number)[]): string {
  return parts.map((p) => "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}
